import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SessionRecordSchema } from "../domain/index.js";
import { cases } from "../library/index.js";
import { analyzeUtterance } from "./classify.js";
import {
  buildClassReport,
  classReportCsv,
  EncounterFeedbackSchema,
  FEEDBACK_ITEM_IDS,
  scoreEncounter,
} from "./index.js";

const fixture = async (name: string) =>
  SessionRecordSchema.parse(JSON.parse(await readFile(join(import.meta.dirname, "fixtures", `${name}.json`), "utf8")));

/**
 * Expected status per item (hand-labelled): the student's evidence turn for a met item, "met" for an
 * item met with nothing to quote (no jargon, no stacked questions), or "missed" / "not_applicable".
 */
type Expected = Record<string, "met" | "missed" | "not_applicable" | number>;

async function check(name: string, expected: Expected) {
  const record = await fixture(name);
  const feedback = scoreEncounter(await cases.get(record.caseId), record.turns);
  EncounterFeedbackSchema.parse(feedback);
  expect(feedback.items.map((item) => item.id)).toEqual([...FEEDBACK_ITEM_IDS]);
  const actual: Expected = {};
  for (const item of feedback.items) {
    actual[item.id] = item.status === "met" ? (item.evidence[0]?.turn ?? "met") : item.status;
    for (const evidence of item.evidence)
      expect(record.turns[evidence.turn]!.content).toContain(evidence.quote.replace(/…$/, ""));
  }
  expect(actual).toEqual(expected);
  return feedback;
}

describe("scoreEncounter on hand-written transcripts", () => {
  it("an excellent interview meets every item, with the question and the answer as evidence", async () => {
    const feedback = await check("excellent", {
      presenting_complaint: 2,
      onset: 4,
      duration: 4,
      location: 6,
      character: 8,
      severity: 10,
      timing: 12,
      aggravating_relieving: 14,
      associated_symptoms: 16,
      pertinent_negatives: 18,
      past_history: 20,
      medications: 22,
      allergies: 24,
      family_history: 26,
      tobacco: 28,
      alcohol: 30,
      occupation: 32,
      living_situation: 34,
      ideas: 36,
      concerns: 38,
      expectations: 40,
      introduction: 0,
      open_opening_question: 2,
      empathy: 4,
      summarising: 42,
      checks_understanding: 44,
      avoids_jargon: "met",
      one_question_at_a_time: "met",
      closing: 46,
    });
    const result = feedback;
    const byId = Object.fromEntries(result.items.map((item) => [item.id, item]));
    expect(result.items.every((item) => item.met)).toBe(true);
    expect(byId.avoids_jargon!.evidence).toEqual([]);
    expect(byId.onset!.evidence).toEqual([
      { turn: 4, quote: "When did the fever start?" },
      { turn: 5, quote: "It started suddenly three days ago in the evening, with chills." },
    ]);
    expect(result.totals).toEqual({
      history: { met: 21, applicable: 21, total: 21 },
      communication: { met: 8, applicable: 8, total: 8 },
    });
    expect(result.impression.verdict).toBe("not_stated");
    expect(result.tips).toHaveLength(1);
  });

  it("a poor interview misses most items; jargon and stacked questions are quoted", async () => {
    const feedback = await check("poor", {
      presenting_complaint: "missed",
      onset: "missed",
      duration: 2,
      location: "missed",
      character: "missed",
      severity: "missed",
      timing: "missed",
      aggravating_relieving: "missed",
      associated_symptoms: 2,
      pertinent_negatives: "missed",
      past_history: "missed",
      medications: 6,
      allergies: "missed",
      family_history: "missed",
      tobacco: "missed",
      alcohol: "missed",
      occupation: "missed",
      living_situation: "missed",
      ideas: "missed",
      concerns: "missed",
      expectations: "missed",
      introduction: "missed",
      open_opening_question: "missed",
      empathy: "missed",
      summarising: "missed",
      checks_understanding: "missed",
      avoids_jargon: "missed",
      one_question_at_a_time: "missed",
      closing: "missed",
    });
    const byId = Object.fromEntries(feedback.items.map((item) => [item.id, item]));
    expect(byId.avoids_jargon!.evidence).toEqual([{ turn: 4, quote: "Any myalgia or arthralgia?" }]);
    expect(byId.avoids_jargon!.note).toContain("myalgia");
    expect(byId.one_question_at_a_time!.evidence[0]!.turn).toBe(2);
    expect(byId.open_opening_question!.evidence).toEqual([{ turn: 0, quote: "Do you have a fever?" }]);
    expect(feedback.impression.verdict).toBe("not_stated");
    expect(feedback.totals.history).toEqual({ met: 3, applicable: 21, total: 21 });
    expect(feedback.tips).toHaveLength(3);
    expect(feedback.tips[0]).toMatch(/introduce yourself/i);
  });

  it("a student who states the right diagnosis gets `correct`, with the turn", async () => {
    const feedback = await check("right-diagnosis", {
      presenting_complaint: 2,
      onset: "missed",
      duration: "missed",
      location: "missed",
      character: 4,
      severity: "missed",
      timing: 10,
      aggravating_relieving: "missed",
      associated_symptoms: 6,
      pertinent_negatives: 8,
      past_history: "missed",
      medications: "missed",
      allergies: "missed",
      family_history: "missed",
      tobacco: 14,
      alcohol: "missed",
      occupation: "missed",
      living_situation: "missed",
      ideas: "missed",
      concerns: 16,
      expectations: "missed",
      introduction: 0,
      open_opening_question: 2,
      empathy: 16,
      summarising: "missed",
      checks_understanding: 20,
      avoids_jargon: "missed",
      one_question_at_a_time: "met",
      closing: 20,
    });
    expect(feedback.impression).toMatchObject({ verdict: "correct", evidence: [{ turn: 18 }] });
    expect(feedback.impression.stated).toContain("tuberculosis");
  });
});

describe("the utterance classifier", () => {
  const topicsOf = (text: string) => analyzeUtterance(text).sentences.flatMap((sentence) => sentence.topics);
  it.each([
    ["What brings you here today?", "presenting_complaint"],
    ["So what seems to be the problem?", "presenting_complaint"],
    ["Since when have you been unwell?", "onset"],
    ["How many days has this been going on?", "duration"],
    ["Can you show me where it hurts?", "location"],
    ["Does the pain go anywhere else?", "location"],
    ["What does the pain feel like?", "character"],
    ["How would you rate it out of ten?", "severity"],
    ["Is it there all the time?", "timing"],
    ["Is there anything that makes it better?", "aggravating_relieving"],
    ["Apart from the fever, have you noticed anything else?", "associated_symptoms"],
    ["Have you ever been admitted to hospital?", "past_history"],
    ["Do you take any tablets regularly?", "medications"],
    ["Are you allergic to anything?", "allergies"],
    ["Has anyone in your family had something similar?", "family_history"],
    ["Do you use gutkha or smoke?", "tobacco"],
    ["Do you drink?", "alcohol"],
    ["What kind of work do you do?", "occupation"],
    ["Who is at home with you?", "living_situation"],
    ["Do you have any idea what might be causing it?", "ideas"],
    ["What worries you most about this?", "concerns"],
    ["What are you expecting from today's visit?", "expectations"],
  ])("%s -> %s", (text, topic) => {
    expect(topicsOf(text)).toContain(topic);
  });

  it("tells open from closed questions and finds statement types", () => {
    const first = (text: string) => analyzeUtterance(text).sentences[0]!;
    expect(first("Could you tell me more about the cough?").openness).toBe("open");
    expect(first("Do you have a cough?").openness).toBe("closed");
    expect(first("How long has it been?").openness).toBe("closed");
    expect(first("I can see this has been really hard for you.").acts).toContain("empathy");
    expect(first("Hi, my name is Sam, I'm a third-year medical student.").acts).toEqual(
      expect.arrayContaining(["introduction_name", "introduction_role"]),
    );
    expect(first("Does that make sense?").acts).toContain("checks_understanding");
    expect(first("Is that right?").acts).toContain("tag_question");
  });

  it("counts stacked questions but not a question with a tag", () => {
    expect(analyzeUtterance("When did it start? And does anything help?").stacked).toBe(true);
    expect(analyzeUtterance("When did it start and does anything make it better?").stacked).toBe(true);
    expect(analyzeUtterance("So it started on Monday, is that right?").stacked).toBe(false);
    expect(analyzeUtterance("Is it sharp or dull?").stacked).toBe(false);
    expect(analyzeUtterance("I'm sorry to hear that. How long has it been?").stacked).toBe(false);
  });

  it("treats an explained term as plain language", () => {
    expect(analyzeUtterance("Any dyspnoea?").sentences[0]!.jargon).toEqual(["dyspnoea"]);
    expect(analyzeUtterance("Any dyspnoea, that is, shortness of breath?").sentences[0]!.jargon).toEqual([]);
  });
});

describe("impression", () => {
  it("is incorrect for another disease, and ignores questions about the patient's illnesses", async () => {
    const patientCase = await cases.get("dengue-fever");
    const score = (...doctor: string[]) =>
      scoreEncounter(
        patientCase,
        doctor.flatMap((content) => [
          { role: "doctor" as const, content },
          { role: "patient" as const, content: "Okay." },
        ]),
        { otherDiagnoses: ["Typhoid fever", "Diabetes"] },
      ).impression;
    expect(score("I think this is probably malaria.").verdict).toBe("incorrect");
    expect(score("Do you have diabetes?").verdict).toBe("not_stated");
    expect(score("It looks like dengue to me.").verdict).toBe("correct");
    expect(score("It is not dengue, I think it is typhoid.").verdict).toBe("incorrect");
    expect(score("I think it's malaria.", "Actually, I think this is dengue fever.").verdict).toBe("correct");
  });
});

describe("applicability", () => {
  it("reports an item the case has nothing for as not applicable, outside the totals", async () => {
    const base = await cases.get("dengue-fever");
    const patientCase = {
      ...base,
      medications: [],
      historyOfPresentIllness: { ...base.historyOfPresentIllness, location: undefined },
    };
    const feedback = scoreEncounter(patientCase, [{ role: "doctor", content: "Are you taking any medicines?" }]);
    const medications = feedback.items.find((item) => item.id === "medications")!;
    expect(medications).toMatchObject({ met: false, applicable: false, status: "not_applicable", evidence: [] });
    expect(feedback.items.find((item) => item.id === "location")!.status).toBe("not_applicable");
    expect(feedback.totals.history).toEqual({ met: 0, applicable: 19, total: 21 });
  });
});

describe("class report", () => {
  it("groups sessions by case, ranks the most missed items and exports CSV", async () => {
    const poor = await fixture("poor");
    const excellent = await fixture("excellent");
    const dengue = await cases.get("dengue-fever");
    const sessions = [
      { record: poor, owner: "student-a" },
      { record: excellent, owner: "student-b" },
    ].map(({ record, owner }, index) => ({
      id: `s${index}`,
      owner,
      caseId: record.caseId,
      title: "Fever, with a comma",
      persona: record.personaId,
      status: "ended" as const,
      createdAt: record.startedAt,
      feedback: scoreEncounter(dengue, record.turns),
    }));
    const report = buildClassReport([
      ...sessions,
      { ...sessions[0]!, id: "s2", status: "active", feedback: undefined },
    ]);
    expect(report.cases).toEqual([
      {
        caseId: "dengue-fever",
        title: "Fever, with a comma",
        sessions: 3,
        ended: 2,
        meanHistory: (3 / 21 + 1) / 2,
        meanCommunication: 0.5,
      },
    ]);
    // Missed by the poor interview only: each 1 of 2.
    expect(report.mostMissed).toHaveLength(10);
    for (const item of report.mostMissed) expect(item).toMatchObject({ missed: 1, of: 2 });
    const csv = classReportCsv(sessions).split("\r\n");
    expect(csv[0]!.split(",").slice(0, 3)).toEqual(["session_id", "student", "case_id"]);
    expect(csv[1]).toContain('"Fever, with a comma"');
    expect(csv[1]).toMatch(/,missed,missed,/);
    expect(csv).toHaveLength(4); // header, two rows, and the final line break
  });
});
