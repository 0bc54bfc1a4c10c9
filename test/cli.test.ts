import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cases } from "../src/library/index.js";
import { findDiagnosisLeak } from "../src/simulator/index.js";

const bin = fileURLToPath(new URL("../bin/medsim.js", import.meta.url));

/** Runs the real CLI (the built dist/) in a child process. */
function medsim(
  args: string[],
  input?: string,
  environment: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { timeout: 60_000, env: { ...process.env, ...environment } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? "");
  });
}

describe("medsim CLI", () => {
  it("generate --json prints the one-shot reply object", async () => {
    const result = await medsim([
      "generate",
      "--engine",
      "scripted",
      "--case",
      "pulmonary-tuberculosis",
      "--persona",
      "anxious",
      "--input",
      "What symptoms are you experiencing?",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { reply: string; persona: string; case: string; engine: string };
    expect(output).toMatchObject({ persona: "anxious", case: "pulmonary-tuberculosis", engine: "scripted" });
    expect(output.reply.length).toBeGreaterThan(20);
    expect(findDiagnosisLeak(output.reply, await cases.get("pulmonary-tuberculosis"))).toBeUndefined();
  });

  it("exits non-zero with the valid ids for an unknown persona or case", async () => {
    const persona = await medsim(["generate", "--engine", "scripted", "--persona", "grumpy", "--input", "Hi"]);
    expect(persona.code).toBe(1);
    expect(persona.stderr.trim()).toMatch(
      /^medsim: unknown persona "grumpy"; valid persona ids: anxious, calm, .*rude/,
    );
    const patientCase = await medsim(["chat", "--engine", "scripted", "--persona", "calm", "--case", "nope"]);
    expect(patientCase.code).toBe(1);
    expect(patientCase.stderr).toMatch(/unknown case "nope"; valid case ids: .*dengue-fever/);
    expect(patientCase.stderr).not.toMatch(/\n\s+at /);
  });

  it("lists personas and cases as JSON arrays with ids", async () => {
    const personas = JSON.parse((await medsim(["personas", "list", "--json"])).stdout) as { id: string }[];
    expect(personas.map((persona) => persona.id)).toEqual(
      expect.arrayContaining(["calm", "anxious", "rude", "overly_patient"]),
    );
    const list = JSON.parse((await medsim(["cases", "list", "--json"])).stdout) as { id: string; publicId: string }[];
    expect(list.length).toBeGreaterThanOrEqual(24);
    // Both ids, so an educator can find the case behind the public id a student's session shows.
    const dengue = list.find((item) => item.id === "dengue-fever")!;
    expect(dengue.publicId).toMatch(/^case-[0-9a-f]{10}$/);
    for (const id of ["dengue-fever", dengue.publicId]) {
      const shown = JSON.parse((await medsim(["cases", "show", id, "--json"])).stdout) as {
        diagnosis: { primary: string };
      };
      expect(shown.diagnosis.primary).toBe("Dengue fever");
    }
  });

  it("validates case files and names the bad field", async () => {
    const directory = await mkdtemp(join(tmpdir(), "medsim-cli-"));
    const good = join(directory, "good.json");
    const bad = join(directory, "bad.yaml");
    await writeFile(good, JSON.stringify(await cases.get("migraine")));
    await writeFile(bad, "id: Bad Id\n");
    const result = await medsim(["cases", "validate", good, bad, "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; results: { valid: boolean; error?: string }[] };
    expect(report.valid).toBe(false);
    expect(report.results[0]?.valid).toBe(true);
    expect(report.results[1]?.error).toMatch(/bad\.yaml: id: expected lowercase/);
  });

  it("cases validate fails, naming the field, when something the patient says names the diagnosis", async () => {
    const directory = await mkdtemp(join(tmpdir(), "medsim-cli-"));
    const leaky = join(directory, "leaky.json");
    const dengue = await cases.get("dengue-fever");
    const ideas = {
      ...dengue.ideasConcernsExpectations,
      ideas: { text: "I think I also have dengue.", volunteer: false },
    };
    await writeFile(leaky, JSON.stringify({ ...dengue, ideasConcernsExpectations: ideas }));
    const result = await medsim(["cases", "validate", leaky]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ideasConcernsExpectations\.ideas: names the diagnosis \("dengue"\)/);
  });

  it("chat answers an empty or over-long line with a one-line notice and goes on", async () => {
    const result = await medsim(
      ["chat", "--engine", "scripted", "--case", "dengue-fever", "--persona", "calm"],
      `\n${"why ".repeat(1100)}\nDo you smoke?\n/quit\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(type a question for the patient, or /quit to end)");
    expect(result.stdout).toMatch(/\(that line is \d+ characters; the limit is 4000/);
    expect(result.stdout).toContain("I do not smoke");
  });

  it("chat reads questions from stdin and saves the session", async () => {
    const directory = await mkdtemp(join(tmpdir(), "medsim-chat-"));
    const save = join(directory, "session.json");
    const result = await medsim(
      ["chat", "--engine", "scripted", "--case", "dengue-fever", "--persona", "calm", "--save", save],
      "What brings you in?\nDo you smoke?\n/facts\n/quit\n",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Rahul Verma: Doctor, I have had a very high fever");
    expect(result.stdout).toContain("social.tobacco: I do not smoke or chew tobacco.");
    const record = JSON.parse(await readFile(save, "utf8")) as { turns: unknown[]; disclosedFactIds: string[] };
    expect(record.turns).toHaveLength(4);
    expect(record.disclosedFactIds).toContain("social.tobacco");
  });

  it("chat --json prints only the session record", async () => {
    const result = await medsim(
      ["chat", "--engine", "scripted", "--case", "migraine", "--persona", "rude", "--json"],
      "How long has this been going on?\n",
    );
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout) as { caseId: string; turns: { role: string }[] };
    expect(record.caseId).toBe("migraine");
    expect(record.turns.map((turn) => turn.role)).toEqual(["doctor", "patient"]);
  });

  it("falls back to the scripted engine, saying so, when the default model cannot be had", async () => {
    const result = await medsim([
      "generate",
      "--persona",
      "calm",
      "--case",
      "dengue-fever",
      "--input",
      "Do you smoke?",
      "--json",
    ]);
    // With no network, the default llama model cannot be downloaded. (Where a cached model exists,
    // the llama engine answers instead; both are fine, but only the fallback is checked here.)
    const output = JSON.parse(result.stdout) as { engine: string };
    if (output.engine === "scripted")
      expect(result.stderr).toMatch(/no model could be had, so the offline scripted engine answers instead/);
    expect(result.code).toBe(0);
  });

  it("train resolves an hf: base through the model cache and says clearly when it cannot", async () => {
    const directory = await mkdtemp(join(tmpdir(), "medsim-train-hf-"));
    const data = join(directory, "data.jsonl");
    await writeFile(
      data,
      `${JSON.stringify({
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello, doctor." },
        ],
      })}\n`,
    );
    const result = await medsim(
      ["train", "--base", "hf:medsim-test/none/none.gguf", "--data", data, "--out", join(directory, "run")],
      "",
      { MEDSIM_MODEL_CACHE: join(directory, "cache") },
    );
    // Offline (as here and in CI) the host cannot be reached; with a network, the repository does not exist.
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^medsim: llama engine: cannot get model hf:medsim-test\/none\/none\.gguf: /);
  });

  it("has --help for every command", async () => {
    for (const command of [["chat"], ["generate"], ["personas", "list"], ["cases", "validate"]]) {
      const result = await medsim([...command, "--help"]);
      expect(result.code, command.join(" ")).toBe(0);
      expect(result.stdout).toMatch(/^Usage: medsim /);
    }
  });

  it("rejects a bad flag value with a one-line usage error", async () => {
    const result = await medsim([
      "generate",
      "--engine",
      "scripted",
      "--persona",
      "calm",
      "--input",
      "hi",
      "--seed",
      "abc",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--seed: expected an integer >= 0, found "abc"/);
  });
});
