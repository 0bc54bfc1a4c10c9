import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-data-cli-");

describe("medsim data", () => {
  it("import agentclinic: a malformed line is reported by number, the rest imported, exit 1", async () => {
    const file = temp.file("osce.jsonl");
    const record = {
      OSCE_Examination: {
        Patient_Actor: {
          Demographics: "30-year-old man",
          History: "Fever for 2 days.",
          Symptoms: { Primary_Symptom: "Fever" },
        },
        Correct_Diagnosis: "Malaria",
      },
    };
    await writeFile(file, `${JSON.stringify(record)}\n{"OSCE_Examination": 5}\n${JSON.stringify(record)}\n`);
    const result = await runCommand("data import agentclinic", file, "--out", temp.file("osce"), "--json");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 2, failed: 1, errors: [{ line: 2 }] });
    expect(result.stderr).toBe(
      `medsim: ${file}:2: OSCE_Examination: Invalid input: expected object, received number\n`,
    );
    expect((await readdir(temp.file("osce"))).sort()).toEqual(["agentclinic-001.yaml", "agentclinic-003.yaml"]);
  });

  it("import qa-table writes qa JSONL and counts dropped rows", async () => {
    const file = temp.file("table.csv");
    await writeFile(file, "input,output,extra\nWhat is fever?,A raised temperature.,x\n,missing,y\n");
    const out = temp.file("table.jsonl");
    const result = await runCommand("data import qa-table", file, "--out", out, "--prompt", "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 2,
      imported: 1,
      droppedMissing: 1,
      ignoredColumns: ["extra"],
    });
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual({
      input_text: "What is fever?",
      output_text: "A raised temperature.",
      text: "### Input:\nWhat is fever?\n\n### Output:\nA raised temperature.",
      meta: { generator: "import" },
    });
  });

  it("import medsim converts to chat; stats reads both", async () => {
    const medsim = temp.file("set.jsonl");
    expect((await runCommand("synth dialogues --count 8 --format medsim --out", medsim)).code).toBe(0);
    const chat = temp.file("set.chat.jsonl");
    const imported = await runCommand("data import medsim", medsim, "--format", "chat", "--out", chat, "--json");
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 8, failed: 0 });
    const stats = JSON.parse((await runCommand("data stats", chat, "--json")).stdout);
    expect(stats).toMatchObject({ format: "chat", records: 8, duplicates: 0, invalid: [] });
    expect(Object.values(stats.dialogues.perPersona)).toEqual(Array(8).fill(1));
    const text = await runCommand("data stats", medsim);
    expect(text.stdout).toMatch(/8 valid medsim records, 0 invalid, 0 exact duplicates/);
  });

  it("stats on a missing file is one line, exit 1", async () => {
    const result = await runCommand("data stats", temp.file("nope.jsonl"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`medsim: ${temp.file("nope.jsonl")}: file not found\n`);
  });
});

describe("medsim data stats on qa and persona-pairs; medsim knowledge import", () => {
  it("reads qa JSONL and conversations.json", async () => {
    const qa = temp.file("qa.jsonl");
    expect((await runCommand("synth qa --per-disease 2 --diseases malaria,dengue --paraphrase --out", qa)).code).toBe(
      0,
    );
    const stats = JSON.parse((await runCommand("data stats", qa, "--json")).stdout);
    expect(stats).toMatchObject({
      format: "qa",
      records: 8,
      duplicates: 0,
      qa: { perDisease: { dengue: 4, malaria: 4 } },
    });
    const pairs = temp.file("pairs");
    expect(
      (await runCommand("synth dialogues --count 4 --personas calm,rude --format persona-pairs --out", pairs)).code,
    ).toBe(0);
    const pairStats = JSON.parse((await runCommand("data stats", join(pairs, "conversations.json"), "--json")).stdout);
    expect(pairStats.format).toBe("persona-pairs");
    expect(Object.keys(pairStats.pairs.perPersona)).toEqual(["calm", "rude"]);
  });

  it("knowledge import writes a knowledge base the synth commands can use", async () => {
    const folder = temp.file("csvset");
    await import("node:fs/promises").then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(
      join(folder, "dataset.csv"),
      "Disease,Symptom_1,Symptom_2,Symptom_3\nMalaria, chills, vomiting, high_fever\nDiabetes , fatigue, weight_loss, polyuria\n",
    );
    const kb = temp.file("kb.yaml");
    const result = await runCommand("knowledge import", folder, "--out", kb, "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 2,
      diseases: 2,
      renamedDiseases: [],
      unmatchedDiseases: [],
      trimmedValues: 7,
    });
    const list = JSON.parse((await runCommand("knowledge list --knowledge", kb, "--json")).stdout);
    expect(list.map((item: { id: string }) => item.id)).toEqual(["malaria", "diabetes"]);
    const qa = temp.file("kbqa.jsonl");
    const summary = JSON.parse(
      (await runCommand("synth qa --knowledge", kb, "--per-disease", "3", "--out", qa, "--json")).stdout,
    );
    expect(summary).toMatchObject({ records: 6, diseases: 2 });
  });
});

describe("medsim synth dialogues --cases <dir>", () => {
  it("talks through imported or generated case files", async () => {
    const file = temp.file("osce-two.jsonl");
    const record = (diagnosis: string) => ({
      OSCE_Examination: {
        Patient_Actor: {
          Demographics: "30-year-old man",
          History: "Fever for 2 days.",
          Symptoms: { Primary_Symptom: "Fever", Secondary_Symptoms: ["Chills"] },
        },
        Correct_Diagnosis: diagnosis,
      },
    });
    await writeFile(file, `${JSON.stringify(record("Malaria"))}\n${JSON.stringify(record("Typhoid fever"))}\n`);
    const folder = temp.file("osce-two");
    expect((await runCommand("cases import agentclinic", file, "--out", folder)).code).toBe(0);
    const out = temp.file("osce-dialogues.jsonl");
    const result = await runCommand("synth dialogues --cases", folder, "--count", "8", "--out", out, "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dialogues: 8,
      cases: 2,
      perDisease: { malaria: 4, "typhoid-fever": 4 },
    });

    const generated = temp.file("generated-cases");
    expect((await runCommand("synth cases --per-disease 1 --diseases gerd,acne --out", generated)).code).toBe(0);
    const fromManifest = JSON.parse(
      (await runCommand("synth dialogues --cases", generated, "--count", "4", "--out", temp.file("g.jsonl"), "--json"))
        .stdout,
    );
    expect(fromManifest.perDisease).toEqual({ acne: 2, gerd: 2 });

    const empty = await runCommand("synth dialogues --cases", temp.file("nowhere"), "--out", temp.file("x.jsonl"));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe(`medsim: ${temp.file("nowhere")}: cannot read the case folder\n`);
  });
});
