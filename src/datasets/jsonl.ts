import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { FileError, MedsimError, ValidationError } from "../util/errors.js";
import { ChatRecordSchema, type ChatRecord } from "./formats.js";
import { validate } from "../util/files.js";

/** A line that could not be read, with its 1-based line number. */
export interface LineError {
  line: number;
  message: string;
}

/**
 * Reads a JSONL file, validating every line with `schema`. Bad lines do not stop the read: they
 * are returned as errors naming the line and field, and the good lines are kept.
 */
export async function readJsonl<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<{ records: z.output<Schema>[]; errors: LineError[] }> {
  const records: z.output<Schema>[] = [];
  const errors: LineError[] = [];
  for await (const { line, text } of readLines(path)) {
    try {
      records.push(validate(schema, parseLine(text, path, line), `${path}:${line}`));
    } catch (error) {
      if (!(error instanceof MedsimError)) throw error;
      errors.push({ line, message: error.message });
    }
  }
  return { records, errors };
}

/**
 * Reads a JSONL file in which every line must be valid: training and evaluation must see every
 * line the user gave them, so a bad line is an error naming the file, the line and the field (and
 * how many more lines are bad), never a silently skipped record.
 */
export async function readJsonlStrict<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<z.output<Schema>[]> {
  const { records, errors } = await readJsonl(path, schema);
  if (errors.length > 0)
    throw new ValidationError(
      path,
      errors.map((e) => {
        const location = `${path}:${e.line}: `;
        return {
          field: `line ${e.line}`,
          message: e.message.startsWith(location) ? e.message.slice(location.length) : e.message,
        };
      }),
    );
  return records;
}

/**
 * Reads a `chat` JSONL file (`{"messages": [...], "meta": {...}}` per line), the one reader of
 * conversations for evaluation and training: every line must be valid, and there must be at least one.
 */
export async function readChatJsonl(path: string): Promise<ChatRecord[]> {
  const records = await readJsonlStrict(path, ChatRecordSchema);
  if (records.length === 0) throw new MedsimError("invalid_input", `${path}: no conversations found`);
  return records;
}

/** The non-empty lines of a text file with their 1-based numbers; a missing file is a one-line error. */
export async function* readLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(path, code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`);
  }
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim()) yield { line, text };
  }
}

/** Parses one JSON line; the error names the file and line. */
export function parseLine(text: string, path: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FileError(`${path}:${line}`, `invalid JSON: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Writes records as JSONL, each validated with `schema` first, through a temporary file that is
 * renamed over `path` at the end: a failure never leaves a half-written output. Streams, so large
 * sets do not need one big string.
 */
export async function writeJsonl<Schema extends z.ZodType>(
  path: string,
  records: Iterable<unknown>,
  schema: Schema,
  source = path,
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "w");
  let count = 0;
  try {
    let buffer = "";
    for (const record of records) {
      count++;
      validate(schema, record, `${source} record ${count}`);
      buffer += `${JSON.stringify(record)}\n`;
      if (buffer.length > 1 << 20) {
        await handle.write(buffer);
        buffer = "";
      }
    }
    await handle.write(buffer);
    await handle.close();
    await rename(temporary, path);
    return count;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}
