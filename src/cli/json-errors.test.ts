// One error path: every command group, asked for --json, prints the error object on stdout and
// the one-line message on stderr when it fails, with the code of the error hierarchy.
import { writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../util/errors.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { runCliInProcess } from "./run-in-process.test-utils.js";

const temp = useTempDirectory("medsim-cli-json-errors-");

beforeAll(async () => {
  await writeFile(temp.file("not-a-model.gguf"), "GGUF but not really");
  await writeFile(temp.file("bad.jsonl"), '{"messages": "not a list"}\n');
});

/** Each command group with an invocation that fails, the code and exit status it must give. */
const failures: { name: string; argv: () => string[]; code: string; exit: number }[] = [
  {
    name: "chat",
    argv: () => ["chat", "--case", "nope", "--persona", "calm", "--engine", "scripted"],
    code: "not_found",
    exit: 1,
  },
  {
    name: "generate",
    argv: () => ["generate", "--persona", "nope", "--input", "hi", "--engine", "scripted"],
    code: "not_found",
    exit: 1,
  },
  { name: "personas", argv: () => ["personas", "show", "nope"], code: "not_found", exit: 1 },
  { name: "cases", argv: () => ["cases", "show", temp.file("absent.yaml")], code: "file_error", exit: 1 },
  {
    name: "cases import",
    argv: () => ["cases", "import", "agentclinic", temp.file("absent.jsonl"), "--out", temp.file("c")],
    code: "file_error",
    exit: 1,
  },
  { name: "knowledge", argv: () => ["knowledge", "show", "nope"], code: "not_found", exit: 1 },
  {
    name: "synth",
    argv: () => ["synth", "qa", "--knowledge", temp.file("absent.yaml"), "--out", temp.file("qa.jsonl")],
    code: "file_error",
    exit: 1,
  },
  { name: "data", argv: () => ["data", "stats", temp.file("absent.jsonl")], code: "file_error", exit: 1 },
  { name: "model", argv: () => ["model", "info", temp.file("not-a-model.gguf")], code: "gguf_error", exit: 1 },
  {
    name: "export",
    argv: () => ["export", "--base", temp.file("not-a-model.gguf"), "--out", temp.file("o")],
    code: "gguf_error",
    exit: 1,
  },
  { name: "adapter", argv: () => ["adapter", "info", temp.file("absent.gguf")], code: "gguf_error", exit: 1 },
  {
    name: "eval",
    argv: () => ["eval", "perplexity", "--model", temp.file("not-a-model.gguf"), "--data", temp.file("bad.jsonl")],
    code: "invalid_input",
    exit: 1,
  },
  {
    name: "train",
    argv: () => [
      "train",
      "--base",
      temp.file("not-a-model.gguf"),
      "--data",
      temp.file("absent.jsonl"),
      "--out",
      temp.file("t"),
    ],
    code: "file_error",
    exit: 1,
  },
  { name: "bench", argv: () => ["bench", "train", "--preset", "nope"], code: "invalid_input", exit: 2 },
  {
    name: "a usage mistake commander finds",
    argv: () => ["model", "create", "--preset", "tiny"],
    code: "invalid_input",
    exit: 2,
  },
];

describe("--json failures", () => {
  it.each(failures)("$name prints {error: {code, message}} on stdout and one line on stderr", async (failure) => {
    const result = await runCliInProcess(...failure.argv(), "--json");
    expect(result.code, result.stderr).toBe(failure.exit);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe(failure.code);
    expect(ERROR_CODES).toContain(body.error.code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.message).not.toContain("\n");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^medsim: /);
    expect(lines[0]).toContain(body.error.message);
  });

  it("prints nothing on stdout without --json", async () => {
    const result = await runCliInProcess("personas", "show", "nope");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^medsim: unknown persona "nope"/);
  });

  it("takes --json after -- as an argument, not the flag", async () => {
    const result = await runCliInProcess("personas", "show", "nope", "--", "--json");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });
});
