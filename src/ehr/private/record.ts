import { existsSync } from "node:fs";
import { z } from "zod";
import { readStructuredFile, validate, writeFileAtomic } from "../../util/files.js";
import type { FitSummary } from "./fit.js";
import { TableSchemaSchema, type TableSchema } from "./schema.js";

/**
 * The fit record written beside a synthetic table (`<synthetic.csv>.fit.json`): the mechanism,
 * the budget and its ledger, and the schema used, so `ehr report` can state the guarantee and use
 * the same column types.
 */
export interface FitRecord {
  summary: FitSummary;
  schema: TableSchema;
}

/** Where the record of a synthetic file lives. */
export function fitRecordPath(syntheticPath: string): string {
  return `${syntheticPath}.fit.json`;
}

/** Writes the record atomically. */
export async function saveFitRecord(syntheticPath: string, record: FitRecord): Promise<void> {
  await writeFileAtomic(fitRecordPath(syntheticPath), `${JSON.stringify(record, null, 2)}\n`);
}

// The summary is checked for the fields the report reads; the rest is carried as written.
const FitRecordSchema = z.object({
  summary: z
    .object({
      mechanism: z.enum(["mst", "copula"]),
      private: z.boolean(),
      domainFromData: z.boolean(),
    })
    .passthrough(),
  schema: TableSchemaSchema,
});

/** Reads the record beside a synthetic file, or undefined when there is none. */
export async function loadFitRecord(syntheticPath: string): Promise<FitRecord | undefined> {
  const path = fitRecordPath(syntheticPath);
  if (!existsSync(path)) return undefined;
  const record = validate(FitRecordSchema, await readStructuredFile(path), path);
  return { summary: record.summary as unknown as FitSummary, schema: record.schema };
}
