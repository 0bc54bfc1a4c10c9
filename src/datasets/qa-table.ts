import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { FileError } from "../util/errors.js";
import { parseStructuredText, readTextFile } from "../util/files.js";
import type { QaRecord } from "./formats.js";

/** What {@link importQaTable} read: the records and the rows dropped. */
export interface QaTableImport {
  records: QaRecord[];
  rows: number;
  /** Rows with an empty or missing input or output, dropped. */
  droppedMissing: number;
  /** Rows whose input and output repeat an earlier row, dropped. */
  droppedDuplicates: number;
  /** Columns other than input and output, ignored. */
  ignoredColumns: string[];
}

/**
 * Imports a doctor-patient Q&A table: CSV with a header row, a JSON array of objects, or JSONL,
 * with `input` and `output` columns (any case; other columns are ignored). Rows with a missing
 * value are dropped and counted, and so are exact repeats.
 */
export async function importQaTable(path: string): Promise<QaTableImport> {
  const rows = readRows(await readTextFile(path), path);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const input = columns.find((column) => column.trim().toLowerCase() === "input");
  const output = columns.find((column) => column.trim().toLowerCase() === "output");
  if (!input || !output)
    throw new FileError(
      path,
      `expected "input" and "output" columns, found ${columns.length ? columns.map((column) => `"${column}"`).join(", ") : "none"}`,
    );
  const result: QaTableImport = {
    records: [],
    rows: rows.length,
    droppedMissing: 0,
    droppedDuplicates: 0,
    ignoredColumns: columns.filter((column) => column !== input && column !== output),
  };
  const seen = new Set<string>();
  for (const row of rows) {
    const inputText = asText(row[input]);
    const outputText = asText(row[output]);
    if (!inputText || !outputText) {
      result.droppedMissing++;
      continue;
    }
    const key = `${inputText}\u0000${outputText}`;
    if (seen.has(key)) {
      result.droppedDuplicates++;
      continue;
    }
    seen.add(key);
    result.records.push({ input_text: inputText, output_text: outputText });
  }
  return result;
}

function readRows(text: string, path: string): Record<string, unknown>[] {
  const extension = extname(path).toLowerCase();
  if (extension === ".jsonl") {
    return text.split("\n").flatMap((line, index) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch (error) {
        throw new FileError(`${path}:${index + 1}`, `invalid JSON: ${(error as Error).message.split("\n")[0]}`);
      }
    });
  }
  if (extension === ".json") {
    const value = parseStructuredText(text, path);
    if (!Array.isArray(value)) throw new FileError(path, "expected a JSON array of objects with input and output");
    return value.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
  }
  try {
    return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<
      string,
      unknown
    >[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new FileError(`${path}${line ? `:${line}` : ""}`, `invalid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
}

function asText(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return "";
}
