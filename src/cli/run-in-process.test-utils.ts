import { readFile } from "node:fs/promises";
import { expect, vi } from "vitest";
import { main } from "./main.js";

/** Runs the CLI in this process (fast, no build needed), capturing what it prints and its exit code. */
export async function runCliInProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * {@link runCliInProcess} with the command and its plain words as one line: `line` is split on
 * spaces, `rest` (paths, texts with spaces) is passed as it is, after it.
 * @example runCommand("synth dialogues --count 16 --json --out", out)
 */
export function runCommand(line: string, ...rest: string[]): ReturnType<typeof runCliInProcess> {
  return runCliInProcess(...line.split(" ").filter(Boolean), ...rest);
}

/** The records of a JSONL file, each parsed with `parse` (a zod schema's `parse`, or as they are). */
export async function readJsonLines<T = unknown>(
  path: string,
  parse: (value: unknown) => T = (value) => value as T,
): Promise<T[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parse(JSON.parse(line)));
}

/** Runs a command that must succeed (exit 0, nothing on stderr) and returns its `--json` output, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test output, checked by the assertions that read it
export async function runJson(line: string, ...rest: string[]): Promise<any> {
  const result = await runCommand(line, ...rest);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}
