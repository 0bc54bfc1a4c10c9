import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic, parseStructuredText, validate } from "../util/files.js";
import { FileError } from "../util/errors.js";
import { CohortSpecSchema, type CohortSpec } from "./spec.js";

/** A conversation about one cohort: the current specification and the requests that shaped it. */
export const EhrSessionSchema = z.strictObject({
  spec: CohortSpecSchema,
  requests: z.array(z.string()).default([]),
});
export type EhrSession = z.output<typeof EhrSessionSchema>;

/** Reads a session file; a missing file is a new session (undefined). */
export async function readEhrSession(path: string): Promise<EhrSession | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new FileError(path, `cannot read the session (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return validate(EhrSessionSchema, parseStructuredText(text, path.endsWith(".json") ? path : `${path}.json`), path);
}

/** Writes the session atomically. */
export async function writeEhrSession(path: string, session: EhrSession): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(session, null, 2)}\n`);
}

export type { CohortSpec };
