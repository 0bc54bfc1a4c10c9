import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { FileError } from "../../util/errors.js";
import { writeFileAtomic } from "../../util/files.js";

/** A CSV table as read: a header and rows of strings, each row with the file line it started on. */
export interface Table {
  /** The file it came from, for error messages. */
  source: string;
  header: string[];
  rows: string[][];
  /** The 1-based file line each row starts on. */
  lines: number[];
}

/**
 * Reads a CSV table with a header row. Every problem is a one-line {@link FileError} naming the
 * file and line: a file that is not UTF-8 (UTF-16 or Latin-1 exports), a row with the wrong
 * number of fields, an empty or duplicated column name, no header. A UTF-8 byte order mark is
 * skipped; empty lines are skipped.
 */
export async function readCsvTable(path: string): Promise<Table> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(path, code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`);
  }
  return parseCsvTable(bytes, path);
}

/** Parses CSV bytes (see {@link readCsvTable}). */
export function parseCsvTable(bytes: Uint8Array, source: string): Table {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new FileError(source, "the file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8)");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder("utf-8").decode(bytes);
    const at = lenient.indexOf("\uFFFD");
    const line = lenient.slice(0, Math.max(0, at)).split("\n").length;
    throw new FileError(
      `${source}:${line}`,
      "not valid UTF-8 (a Latin-1 or Windows-1252 export?); convert it, e.g. iconv -f latin1 -t utf-8",
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new FileError(
      `${source}${line ? `:${line}` : ""}`,
      `invalid CSV: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  const first = records[0];
  if (!first) throw new FileError(source, "empty file: expected a header row and at least one data row");
  const header = first.record.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === "") throw new FileError(`${source}:${first.info.lines}`, `column ${index + 1} has an empty name`);
    if (seen.has(name)) throw new FileError(`${source}:${first.info.lines}`, `column name "${name}" appears twice`);
    seen.add(name);
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let index = 1; index < records.length; index++) {
    const { record, info } = records[index]!;
    // csv-parse counts the line a record ends on; a record spanning lines (quoted newlines) starts earlier.
    const line = info.lines - countNewlines(record);
    if (record.length !== header.length) {
      throw new FileError(
        `${source}:${line}`,
        `row has ${record.length} fields, expected ${header.length} (as in the header)`,
      );
    }
    rows.push(record);
    lines.push(line);
  }
  if (rows.length === 0) throw new FileError(source, "no data rows below the header");
  return { source, header, rows, lines };
}

function countNewlines(record: readonly string[]): number {
  let count = 0;
  for (const field of record) for (let index = 0; index < field.length; index++) if (field[index] === "\n") count++;
  return count;
}

/** Writes a table as CSV atomically (temporary file, then rename). */
export async function writeCsvTable(path: string, header: readonly string[], rows: readonly string[][]): Promise<void> {
  await writeFileAtomic(path, formatCsv(header, rows));
}

/** Formats a table as CSV text (RFC 4180 quoting, LF line ends). */
export function formatCsv(header: readonly string[], rows: readonly string[][]): string {
  // Quoting is five lines; not worth a second CSV dependency next to csv-parse.
  const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  const parts: string[] = [header.map(quote).join(",")];
  for (const row of rows) parts.push(row.map(quote).join(","));
  return `${parts.join("\n")}\n`;
}
