import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { FileError, ValidationError } from "./errors.js";

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, which is then
 * renamed over it, so a crash never leaves a half-written output.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a UTF-8 text file; a missing or unreadable file is a one-line {@link FileError}. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(path, code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`);
  }
}

/** Reads a JSON or YAML file (by extension; `.json` is JSON, anything else YAML, a superset). */
export async function readStructuredFile(path: string): Promise<unknown> {
  return parseStructuredText(await readTextFile(path), path);
}

/** Parses JSON or YAML text; errors name the file and the line. */
export function parseStructuredText(text: string, source: string): unknown {
  if (extname(source).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message)?.[1];
      const line = position === undefined ? undefined : text.slice(0, Number(position)).split("\n").length;
      throw new FileError(
        source,
        `invalid JSON${line === undefined ? "" : ` at line ${line}`}: ${message.split("\n")[0]}`,
      );
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      throw new FileError(
        source,
        `invalid YAML${line === undefined ? "" : ` at line ${line}`}: ${error.message.split("\n")[0]}`,
      );
    }
    throw error;
  }
}

/** Validates `value` with `schema`, turning zod issues into a one-line {@link ValidationError}. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, source: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    source,
    result.error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })),
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}
