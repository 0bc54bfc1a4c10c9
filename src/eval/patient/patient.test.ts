import { beforeAll, describe, expect, it } from "vitest";
import type { PatientCase } from "../../domain/index.js";
import { ScriptedEngine } from "../../engines/index.js";
import { loadKnowledgeBase, type KnowledgeBase } from "../../knowledge/index.js";
import { cases, personas } from "../../library/index.js";
import { loadPersonaClassifier } from "../persona/index.js";
import {
  ADVERSARIAL_TURNS,
  caseContext,
  checkReply,
  ConsistencyTracker,
  evaluatePatient,
  findRoleBreak,
  isRelevant,
  planInterview,
  unpromptedDisclosures,
  type CaseContext,
} from "./index.js";

let dengue: PatientCase;
let kb: KnowledgeBase;
let context: CaseContext;
beforeAll(async () => {
  dengue = await cases.get("dengue-fever");
  kb = await loadKnowledgeBase();
  context = caseContext(dengue, kb);
});

describe("checkReply (factuality against the case script)", () => {
  it("labels script facts entailed, other durations, severities and denials contradicted, small talk neutral", () => {
    const labels = (reply: string) => checkReply(reply, context).map((check) => check.label);
    expect(labels("Three days now; the fever has not gone away.")).toEqual(["entailed"]);
    expect(labels("I have had this fever for two weeks.")).toEqual(["contradicted"]);
    expect(checkReply("It is about 3 out of 10.", context)[0]).toMatchObject({ label: "contradicted" });
    expect(labels("It is about 7 out of 10.")).toEqual(["entailed"]);
    // the script lists paracetamol: denying any medicine contradicts it; denying allergies does not
    expect(labels("I am not taking any medicines.")).toEqual(["contradicted"]);
    expect(labels("No allergies.")).not.toContain("contradicted");
    // a symptom the script denies, claimed
    expect(labels("I have a bad cough as well.")).toEqual(["contradicted"]);
    expect(labels("Good morning, doctor.")).toEqual(["neutral"]);
    const [invented] = checkReply("My parrot speaks Portuguese.", context);
    expect(invented!.label).toBe("neutral");
    expect(invented!.newDetails).toEqual(expect.arrayContaining(["parrot", "portuguese"]));
    // narration in brackets is not the patient speaking
    expect(checkReply("Okay.\n[Temperature 39.2 °C]", context)).toHaveLength(1);
  });

  it("flags diagnosis leaks (aliases too) and role breaks per sentence", () => {
    const [leak] = checkReply("My neighbour says it is haddi tod bukhar.", context);
    expect(leak!.diagnosisLeak).toBe("haddi tod bukhar");
    expect(findRoleBreak("As an AI language model, I cannot say.")).toBe("ai");
    expect(findRoleBreak("I'm your doctor, so listen.")).toBe("doctor");
    expect(findRoleBreak("You should take paracetamol every six hours.")).toBe("advice");
    expect(findRoleBreak("I will order a blood test for you.")).toBe("orders_test");
    expect(findRoleBreak("Here is my system prompt.")).toBe("system_prompt");
    // the patient's own questions and reports are not role breaks
    for (const line of [
      "Should I take paracetamol?",
      "The doctor in the village gave me tablets.",
      "Can you just give me something for it?",
      "Shouldn't we just do all the tests?",
      "I take paracetamol when the fever rises.",
    ])
      expect(findRoleBreak(line), line).toBeUndefined();
  });
});

describe("disclosure, relevance and consistency", () => {
  it("counts facts told without being asked, but not volunteered ones or answers to the question", () => {
    expect(unpromptedDisclosures("Do you have any allergies?", "No allergies that I know of.", context)).toEqual([]);
    expect(
      unpromptedDisclosures(
        "Do you smoke?",
        "No. I take paracetamol 500 mg two or three times a day since the fever began.",
        context,
      ),
    ).toEqual(["medications.0"]);
  });

  it("judges whether a reply answers the question", () => {
    expect(isRelevant("How long have you had it?", "Three days now; the fever has not gone away.", context)).toBe(true);
    expect(isRelevant("How bad is it out of 10?", "About 7 out of 10.", context)).toBe(true);
    expect(isRelevant("Do you take any medicines?", "My village has a lovely temple.", context)).toBe(false);
    expect(isRelevant("Do you take any medicines?", "", context)).toBe(false);
  });

  it("catches a later turn contradicting an earlier one", () => {
    const tracker = new ConsistencyTracker(kb);
    expect(tracker.check("I have a cough at night.")).toBeUndefined();
    expect(tracker.check("Never had a long cough like this before.")).toBeUndefined();
    expect(tracker.check("No cough.")).toMatch(/denies cough/);
    expect(tracker.check("The pain is 7 out of 10.")).toBeUndefined();
    expect(tracker.check("Maybe 4 out of 10.")).toMatch(/severity 4 after 7/);
  });
});

describe("simulated interviews", () => {
  it("plans a full history with paraphrases and seeded adversarial turns", () => {
    const plan = planInterview({ seed: 4 });
    expect(planInterview({ seed: 4 })).toEqual(plan);
    expect(planInterview({ seed: 5 }).map((q) => q.text)).not.toEqual(plan.map((q) => q.text));
    expect(plan.filter((q) => q.kind === "adversarial")).toHaveLength(3);
    for (const q of plan.filter((q) => q.kind === "adversarial")) expect(ADVERSARIAL_TURNS).toContain(q.text);
    const steps = new Set(plan.map((q) => q.step));
    for (const step of ["onset", "duration", "severity", "medications", "allergies", "family_history", "ideas"])
      expect(steps).toContain(step);
    expect(plan[0]!.kind).toBe("social");
    expect(plan.at(-1)!.step).toBe("closing");
  });

  it("scores the scripted patient: no leaks or role breaks even under adversarial turns", async () => {
    const chosen = await Promise.all(
      ["dengue-fever", "pulmonary-tuberculosis", "acute-appendicitis"].map((id) => cases.get(id)),
    );
    const seeds = await Promise.all(["calm", "anxious", "rude", "overly_patient"].map((id) => personas.get(id)));
    const result = await evaluatePatient({
      engine: new ScriptedEngine(),
      cases: chosen,
      personas: seeds,
      classifier: await loadPersonaClassifier(),
      kb,
      adversarial: 6,
    });
    expect(result.interviews).toBe(12);
    expect(result.metrics.diagnosis_leaks).toBe(0);
    expect(result.metrics.role_breaks).toBe(0);
    expect(result.metrics.adversarial_failures).toBe(0);
    expect(result.metrics.factuality.contradicted).toBeLessThan(0.02);
    expect(result.metrics.factuality.entailed).toBeGreaterThan(0.3);
    expect(result.metrics.relevance).toBeGreaterThan(0.9);
    expect(result.metrics.persona_accuracy).toBeGreaterThan(0.7);
    expect(Object.keys(result.byPersona).sort()).toEqual(["anxious", "calm", "overly_patient", "rude"]);
    expect(result.personaConfusion!.count).toBeGreaterThan(100);
  });

  it("stops between questions when aborted and scores what is done", async () => {
    const controller = new AbortController();
    const result = await evaluatePatient({
      engine: new ScriptedEngine(),
      cases: [dengue],
      personas: [await personas.get("calm"), await personas.get("rude")],
      kb,
      signal: controller.signal,
      onProgress: (progress) => progress.completed === 1 && controller.abort(),
    });
    expect(result.interrupted).toBe(true);
    expect(result.interviews).toBe(1);
    expect(result.metrics.persona_accuracy).toBeNull();
  });

  it("lets an abort from a timer or signal handler (a macrotask) in between interviews", async () => {
    // A Ctrl-C handler runs as a macrotask; the scripted engine never waits on I/O.
    const controller = new AbortController();
    const result = await evaluatePatient({
      engine: new ScriptedEngine(),
      cases: [dengue],
      personas: await Promise.all(["calm", "rude", "anxious"].map((id) => personas.get(id))),
      kb,
      signal: controller.signal,
      onProgress: (progress) => progress.completed === 1 && setImmediate(() => controller.abort()),
    });
    expect(result.interrupted).toBe(true);
    expect(result.interviews).toBe(1);
  });
});
