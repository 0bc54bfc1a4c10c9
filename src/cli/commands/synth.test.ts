import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChatRecordSchema, MedsimRecordSchema, QaRecordSchema } from "../../datasets/index.js";
import type { PatientCase } from "../../domain/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { personas as personaCatalog } from "../../library/index.js";
import { findDiagnosisLeak } from "../../simulator/guard.js";
import { buildSystemPrompt } from "../../simulator/index.js";
import { checkPatientTurn, factProfile, generateCaseSet } from "../../synth/index.js";
import { readJsonLines, runCommand, runJson } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-synth-");

describe("medsim synth dialogues --count 500 --seed 7 --format chat", () => {
  it("writes 500 valid, balanced, unique, reproducible and grounded records", async () => {
    const out = temp.file("a.jsonl");
    const summary = await runJson("synth dialogues --count 500 --seed 7 --format chat --out", out, "--json");
    expect(summary).toMatchObject({ dialogues: 500, records: 500, outputs: [out] });

    const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(500);
    const records = lines.map((line) => ChatRecordSchema.parse(JSON.parse(line)));

    // Every persona within 10% of an equal share (8 personas: 62.5 each).
    const perPersona = new Map<string, number>();
    for (const record of records)
      perPersona.set(record.meta!.personaId!, (perPersona.get(record.meta!.personaId!) ?? 0) + 1);
    expect(perPersona.size).toBe(8);
    for (const count of perPersona.values()) expect(Math.abs(count - 62.5) / 62.5).toBeLessThanOrEqual(0.1);
    expect(summary.perPersona).toEqual(Object.fromEntries([...perPersona].sort()));

    // No exact duplicate patient turn sequences.
    const sequences = records.map((record) =>
      JSON.stringify(record.messages.filter((m) => m.role === "assistant").map((m) => m.content)),
    );
    expect(new Set(sequences).size).toBe(500);

    // 6 to 16 doctor turns.
    for (const record of records) {
      const doctorTurns = record.messages.filter((m) => m.role === "user").length;
      expect(doctorTurns).toBeGreaterThanOrEqual(6);
      expect(doctorTurns).toBeLessThanOrEqual(16);
    }

    // Same bytes on a second run.
    const again = temp.file("b.jsonl");
    expect((await runCommand("synth dialogues --count 500 --seed 7 --format chat --out", again, "--json")).code).toBe(
      0,
    );
    const digest = async (path: string) =>
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex");
    expect(await digest(again)).toBe(await digest(out));

    // No patient turn names the diagnosis or contradicts the facts: read the facts of each case.
    const kb = await loadKnowledgeBase();
    const cases = new Map<string, PatientCase>(
      generateCaseSet(kb, await personaCatalog.list(), { perDisease: 3, seed: 7 }).map((item) => [
        item.patientCase.id,
        item.patientCase,
      ]),
    );
    let checked = 0;
    const problems: string[] = [];
    for (const record of records) {
      const patientCase = cases.get(record.meta!.caseId!)!;
      expect(patientCase).toBeDefined();
      const persona = await personaCatalog.get(record.meta!.personaId!);
      const profile = factProfile(patientCase, kb, persona);
      for (const message of record.messages.filter((m) => m.role === "assistant")) {
        const leak = findDiagnosisLeak(message.content, patientCase);
        if (leak) problems.push(`${patientCase.id}: names "${leak}": ${message.content}`);
        const violation = checkPatientTurn(message.content, patientCase, kb, { profile, persona });
        if (violation) problems.push(`${patientCase.id}: ${violation.detail}: ${message.content}`);
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(500 * 6);
  });

  it("splits by case: no case in two splits", async () => {
    const out = temp.file("split.jsonl");
    const summary = await runJson("synth dialogues --count 200 --seed 3 --format medsim --split --json", "--out", out);
    expect(summary.outputs).toHaveLength(4);
    const owner = new Map<string, string>();
    let total = 0;
    for (const split of ["train", "validation", "test"]) {
      const lines = (await readFile(temp.file(`split.${split}.jsonl`), "utf8")).trimEnd().split("\n").filter(Boolean);
      total += lines.length;
      expect(lines.length).toBe(summary.perSplit[split]);
      for (const line of lines) {
        const record = JSON.parse(line);
        expect(record.meta.split).toBe(split);
        expect(owner.get(record.script.id) ?? split).toBe(split);
        owner.set(record.script.id, split);
      }
    }
    expect(total).toBe(200);
    expect(new Set(owner.values()).size).toBe(3);
  });

  it("writes persona-pairs as conversations.json and personas.json", async () => {
    const out = temp.file("pairs");
    const result = await runCommand("synth dialogues --count 16 --format persona-pairs --out", out, "--json");
    expect(result.code).toBe(0);
    const conversations = JSON.parse(await readFile(join(out, "conversations.json"), "utf8"));
    const personas = JSON.parse(await readFile(join(out, "personas.json"), "utf8"));
    expect(conversations.length).toBe(JSON.parse(result.stdout).records);
    expect(Object.keys(conversations[0]).sort()).toEqual(["doctor_input", "patient_response", "persona"]);
    expect(personas.map((p: { persona: string }) => p.persona)).toContain(conversations[0].persona);
  });

  it("--system-prompt compact writes the simulator's compact prompt (the one chat --system-prompt compact sends)", async () => {
    const compact = temp.file("compact.jsonl");
    const full = temp.file("full.jsonl");
    const scripts = temp.file("scripts.jsonl");
    expect((await runCommand("synth dialogues --count 16 --system-prompt compact --out", compact)).code).toBe(0);
    expect((await runCommand("synth dialogues --count 16 --out", full)).code).toBe(0);
    expect((await runCommand("synth dialogues --count 16 --format medsim --out", scripts)).code).toBe(0);
    const [compactRecords, fullRecords, medsimRecords] = await Promise.all([
      readJsonLines(compact, (v) => ChatRecordSchema.parse(v)),
      readJsonLines(full, (v) => ChatRecordSchema.parse(v)),
      readJsonLines(scripts, (v) => MedsimRecordSchema.parse(v)),
    ]);
    expect(compactRecords).toHaveLength(16);
    for (const [i, record] of compactRecords.entries()) {
      const persona = await personaCatalog.get(record.meta!.personaId!);
      const script = medsimRecords[i]!.script as PatientCase;
      const fullRecord = fullRecords[i]!;
      expect(record.messages[0]!.content).toBe(buildSystemPrompt(script, persona, { style: "compact" }));
      // The same dialogue as with the full prompt, whose system prompt is the longer default.
      expect(record.messages.slice(1)).toEqual(fullRecord.messages.slice(1));
      expect(fullRecord.messages[0]!.content).toBe(buildSystemPrompt(script, persona));
      expect(record.messages[0]!.content.length).toBeLessThan(fullRecord.messages[0]!.content.length * 0.8);
    }
    const refused = await runCommand(
      "synth dialogues --count 2 --format medsim --system-prompt compact --out",
      scripts,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toEqual([expect.stringMatching(/--system-prompt compact .*chat format/)]);
  });

  it("rejects bad flags with one line and exit code 2", async () => {
    const result = await runCommand("synth dialogues --count 0 --out", temp.file("x.jsonl"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--count: expected an integer/);
  });
});

describe("medsim synth qa --per-disease 15 --paraphrase --seed 7", () => {
  it("writes at least 41 × 15 × 2 records; every critical disease's answers recommend a doctor", async () => {
    const out = temp.file("qa.jsonl");
    const result = await runCommand("synth qa --per-disease 15 --paraphrase --seed 7 --out", out, "--json");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    const records = await readJsonLines(out, (value) => QaRecordSchema.parse(value));
    expect(records.length).toBeGreaterThanOrEqual(41 * 15 * 2);
    expect(summary.records).toBe(records.length);
    const kb = await loadKnowledgeBase();
    const critical = new Set(kb.diseases.filter((disease) => disease.critical).map((disease) => disease.id));
    let criticalAnswers = 0;
    expect(Object.values(summary.perDisease)).toEqual(Array(41).fill(30));
    for (const record of records) {
      const diseaseId = record.meta!.diseaseId!;
      if (critical.has(diseaseId)) {
        expect(record.output_text, record.input_text).toMatch(/^See a doctor: Yes\./m);
        criticalAnswers++;
      }
    }
    expect(criticalAnswers).toBe(critical.size * 30);
    const again = temp.file("qa2.jsonl");
    await runCommand("synth qa --per-disease 15 --paraphrase --seed 7 --out", again, "--json");
    expect(await readFile(again, "utf8")).toBe(await readFile(out, "utf8"));
  });
});

describe("medsim knowledge", () => {
  it("lists 41 diseases and shows one", async () => {
    const list = await runCommand("knowledge list --json");
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(41);
    const show = await runCommand("knowledge show Dengue --json");
    expect(JSON.parse(show.stdout)).toMatchObject({
      id: "dengue",
      critical: true,
      india: { localNames: { hindi: "haddi tod bukhar" } },
    });
    const text = await runCommand("knowledge show malaria");
    expect(text.stdout).toMatch(/^\s+7\s+high_fever/m);
  });

  it("an unknown disease is one line naming the valid ids, exit 1", async () => {
    const result = await runCommand("knowledge show flu");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^medsim: unknown disease "flu"; valid disease ids: malaria, dengue/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("medsim synth dialogues --engine openai (teacher)", () => {
  it("writes the patient turns with a model server and reports what it accepted", async () => {
    const { createServer } = await import("node:http");
    let calls = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        calls++;
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(
          `data: ${JSON.stringify({ choices: [{ delta: { content: '{"reply": "I am not sure, doctor."}' } }] })}\n\n`,
        );
        response.end("data: [DONE]\n\n");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as import("node:net").AddressInfo).port;
      const out = temp.file("teacher.jsonl");
      const result = await runCommand(
        "synth dialogues --engine openai --count 2 --personas calm,rude --source library --json",
        "--base-url",
        `http://127.0.0.1:${port}/v1`,
        "--out",
        out,
      );
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      const records = await readJsonLines(out, (value) => ChatRecordSchema.parse(value));
      const answers = records.flatMap((record) =>
        record.messages.filter((message) => message.role === "assistant").map((message) => message.content),
      );
      expect(new Set(answers)).toEqual(new Set(["I am not sure, doctor."]));
      expect(summary).toMatchObject({
        dialogues: 2,
        generator: "teacher:openai:default",
        teacherTurns: { accepted: answers.length },
      });
      expect(calls).toBe(answers.length);
      expect(records[0]!.meta!.generator).toBe("teacher:openai:default");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("medsim synth cases", () => {
  it("writes valid case files and a manifest with balanced personas", async () => {
    const out = temp.file("cases");
    const summary = await runJson(
      "synth cases --per-disease 2 --diseases malaria,dengue,typhoid,migraine --seed 5 --json",
      "--out",
      out,
    );
    expect(summary).toMatchObject({
      cases: 8,
      diseases: 4,
      perPersona: {
        anxious: 1,
        calm: 1,
        distrustful: 1,
        low_literacy: 1,
        overly_patient: 1,
        pleasing: 1,
        rude: 1,
        self_diagnosing: 1,
      },
    });
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.map((item: { caseId: string }) => item.caseId)).toEqual([
      "malaria-001",
      "malaria-002",
      "dengue-001",
      "dengue-002",
      "typhoid-001",
      "typhoid-002",
      "migraine-001",
      "migraine-002",
    ]);
    const validated = await runCommand(
      "cases validate --json",
      ...manifest.map((item: { caseId: string }) => join(out, `${item.caseId}.yaml`)),
    );
    expect(JSON.parse(validated.stdout).valid).toBe(true);
  });
});
