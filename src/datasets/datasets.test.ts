import { readdir, readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  ChatRecordSchema,
  datasetStats,
  firstPerson,
  importAgentClinic,
  importQaTable,
  QaRecordSchema,
  readJsonl,
  writeJsonl,
} from "./index.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-datasets-");

/** A small OSCE record written for the tests (the layout of AgentClinic's files). */
function osce(diagnosis: string, extra: Record<string, unknown> = {}) {
  return {
    OSCE_Examination: {
      Objective_for_Doctor: "Assess the patient.",
      Patient_Actor: {
        Demographics: "42-year-old woman",
        History: "The patient reports a 3-day history of fever. She notes her cough is worse at night.",
        Symptoms: { Primary_Symptom: "Fever", Secondary_Symptoms: ["Cough", "Tiredness"] },
        Past_Medical_History: "Asthma since childhood.",
        Social_History: "Smokes 5 cigarettes a day. Works as a teacher.",
        Review_of_Systems: "Denies chest pain or leg swelling.",
      },
      Physical_Examination_Findings: {
        Vital_Signs: {
          Temperature: "101.3°F",
          Blood_Pressure: "118/76 mmHg",
          Heart_Rate: "96 bpm",
          Respiratory_Rate: "20 breaths/min",
        },
        Chest_Examination: { Auscultation: "Crackles at the right base." },
      },
      Test_Results: { Imaging: { Chest_X_Ray: { Findings: "Right lower lobe consolidation." } } },
      Correct_Diagnosis: diagnosis,
      ...extra,
    },
  };
}

describe("AgentClinic importer", () => {
  it("turns an OSCE record into a case script, exam findings and test results included", async () => {
    const file = temp.file("one.jsonl");
    await writeFile(file, `${JSON.stringify(osce("Community-acquired pneumonia"))}\n`);
    const { cases, errors } = await importAgentClinic(file);
    expect(errors).toEqual([]);
    const [item] = cases;
    expect(item).toMatchObject({
      id: "agentclinic-001",
      demographics: { age: 42, sex: "female", occupation: "teacher" },
      chiefComplaint: "Fever",
      vitalSigns: { temperatureC: 38.5, heartRate: 96, respiratoryRate: 20, bloodPressure: "118/76" },
      examination: { "chest examination, auscultation": "Crackles at the right base." },
      tests: { "imaging, chest x ray, findings": "Right lower lobe consolidation." },
      diagnosis: { primary: "Community-acquired pneumonia" },
    });
    expect(item!.historyOfPresentIllness.onset.text).toBe(
      "I report a 3-day history of fever. I note my cough is worse at night.",
    );
    expect(item!.historyOfPresentIllness.duration.text).toBe("It has been 3 days.");
    expect(item!.historyOfPresentIllness.associated.map((fact) => fact.text)).toEqual(["Cough", "Tiredness"]);
    expect(item!.historyOfPresentIllness.negatives.map((fact) => fact.text)).toEqual([
      "I deny chest pain or leg swelling.",
    ]);
    expect(item!.socialHistory.tobacco.text).toBe("I smoke 5 cigarettes a day.");
  });

  it("reports a malformed line by number and goes on with the rest", async () => {
    const file = temp.file("mixed.jsonl");
    const broken = osce("Asthma") as { OSCE_Examination: Record<string, unknown> };
    delete broken.OSCE_Examination.Correct_Diagnosis;
    await writeFile(
      file,
      [
        JSON.stringify(osce("Asthma")),
        "{not json",
        JSON.stringify(broken),
        "",
        JSON.stringify(osce("Bronchitis")),
      ].join("\n"),
    );
    const { cases, errors } = await importAgentClinic(file);
    expect(cases.map((item) => item.id)).toEqual(["agentclinic-001", "agentclinic-005"]);
    expect(errors.map((error) => error.line)).toEqual([2, 3]);
    expect(errors[0]!.message).toMatch(/mixed\.jsonl:2: invalid JSON/);
    expect(errors[1]!.message).toMatch(/mixed\.jsonl:3: OSCE_Examination\.Correct_Diagnosis:/);
  });

  it("redacts history that names the diagnosis", async () => {
    const file = temp.file("leak.jsonl");
    const record = osce("Asthma");
    record.OSCE_Examination.Patient_Actor.Past_Medical_History = "Asthma since childhood, on inhalers.";
    await writeFile(file, JSON.stringify(record));
    const { cases, redacted } = await importAgentClinic(file);
    expect(cases[0]!.pastMedicalHistory[0]!.text).toBe("this problem since childhood, on inhalers.");
    expect(redacted).toEqual([{ caseId: "agentclinic-001", facts: 1 }]);
  });
});

describe("Q&A table importer", () => {
  it("keeps input/output, ignores other columns, drops and counts rows with missing values", async () => {
    const file = temp.file("qa.csv");
    await writeFile(
      file,
      'id,input,output,source\n1,"I have a cough, what do I do?",Drink warm fluids.,web\n2,,No input here,web\n3,Headache for two days,,web\n4,"I have a cough, what do I do?",Drink warm fluids.,web\n5,Fever since yesterday,Take paracetamol and rest.,book\n',
    );
    const result = await importQaTable(file);
    expect(result).toMatchObject({
      rows: 5,
      droppedMissing: 2,
      droppedDuplicates: 1,
      ignoredColumns: ["id", "source"],
    });
    expect(result.records).toEqual([
      { input_text: "I have a cough, what do I do?", output_text: "Drink warm fluids." },
      { input_text: "Fever since yesterday", output_text: "Take paracetamol and rest." },
    ]);
    const json = temp.file("qa.json");
    await writeFile(json, JSON.stringify([{ Input: "a", Output: "b" }, { Input: "c" }]));
    expect(await importQaTable(json)).toMatchObject({
      rows: 2,
      droppedMissing: 1,
      records: [{ input_text: "a", output_text: "b" }],
    });
    await writeFile(temp.file("bad.csv"), "question,answer\nx,y\n");
    await expect(importQaTable(temp.file("bad.csv"))).rejects.toThrow(
      /bad\.csv: expected "input" and "output" columns, found "question", "answer"/,
    );
  });
});

describe("formats", () => {
  it("validate on read, naming line and field, and keep the good lines", async () => {
    const file = temp.file("chat.jsonl");
    const good = {
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
    };
    const wrongOrder = {
      messages: [
        { role: "user", content: "Hi" },
        { role: "user", content: "Hello" },
      ],
    };
    await writeFile(file, [JSON.stringify(good), JSON.stringify(wrongOrder), "[1,", JSON.stringify(good)].join("\n"));
    const { records, errors } = await readJsonl(file, ChatRecordSchema);
    expect(records).toHaveLength(2);
    expect(errors).toEqual([
      {
        line: 2,
        message: `${file}:2: messages[1].role: expected "assistant" (user and assistant alternate after the system message), found "user" (and 1 more)`,
      },
      { line: 3, message: expect.stringMatching(/chat\.jsonl:3: invalid JSON/) },
    ]);
  });

  it("validate on write, leaving no half-written file", async () => {
    const file = temp.file("out.jsonl");
    await expect(
      writeJsonl(
        file,
        [
          { input_text: "a", output_text: "b" },
          { input_text: "", output_text: "b" },
        ],
        QaRecordSchema,
      ),
    ).rejects.toThrow(/record 2: input_text/);
    expect((await readdir(temp.path)).filter((name) => name.startsWith("out.jsonl"))).toEqual([]);
    expect(await writeJsonl(file, [{ input_text: "a", output_text: "b" }], QaRecordSchema)).toBe(1);
    expect(await readFile(file, "utf8")).toBe('{"input_text":"a","output_text":"b"}\n');
  });

  it("computes statistics and counts duplicates", async () => {
    const file = temp.file("stats.jsonl");
    const record = (persona: string, answer: string) => ({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: answer },
      ],
      meta: { personaId: persona, diseaseId: "malaria", split: "train" },
    });
    await writeFile(
      file,
      [record("calm", "a"), record("calm", "a"), record("rude", "b")].map((item) => JSON.stringify(item)).join("\n"),
    );
    const stats = await datasetStats(file);
    expect(stats).toMatchObject({
      format: "chat",
      records: 3,
      duplicates: 1,
      dialogues: { perPersona: { calm: 2, rude: 1 }, perDisease: { malaria: 3 }, turns: { min: 1, max: 1, mean: 1 } },
    });
    // Shares 1.5 each: calm is 0.5/1.5 off.
    expect(stats.dialogues!.personaImbalance).toBe(0.333);
  });

  it("turns third-person notes into the first person", () => {
    expect(firstPerson("The patient reports pain in his chest. He has a cough.")).toBe(
      "I report pain in my chest. I have a cough.",
    );
    expect(firstPerson("She is a teacher and lives with her husband.")).toBe(
      "I am a teacher and lives with my husband.",
    );
    expect(firstPerson("Denies fever. Drinks wine occasionally.")).toBe("I deny fever. I drink wine occasionally.");
  });
});
