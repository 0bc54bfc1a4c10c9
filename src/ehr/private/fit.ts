import { MedsimError } from "../../util/errors.js";
import type { ProgressCallback } from "../../util/logger.js";
import { createRandom, deriveSeed } from "../../util/random.js";
import { sampleGaussianCopula } from "./copula.js";
import { buildDomains, encodeTable } from "./domain.js";
import { runMst } from "./mst.js";
import type { BudgetEntry } from "./privacy.js";
import { INFERRED_DOMAIN_WARNING, inferTableSchema, type TableSchema } from "./schema.js";
import type { Table } from "./table.js";

/** The synthesis mechanisms: `mst` is differentially private; `copula` is a NON-PRIVATE baseline. */
export const MECHANISMS = ["mst", "copula"] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/** Options of {@link fitSynthetic}. */
export interface FitSyntheticOptions {
  /** The public schema; when absent one is inferred from the data (and the result says so). */
  schema?: TableSchema;
  /** Default `mst`. */
  mechanism?: Mechanism;
  /** The privacy budget (required for `mst`). */
  epsilon?: number;
  /** Default 1e-9. */
  delta?: number;
  /** Rows to write (default: MST's noisy estimate of the row count; the copula: the real count). */
  rows?: number;
  seed: number;
  /** Mirror-descent iterations of MST's final fit (default 1000). */
  iterations?: number;
  onProgress?: ProgressCallback;
}

/** What was done and what it cost, as printed by `ehr fit` and carried into the report. */
export interface FitSummary {
  mechanism: Mechanism;
  /** False for the copula: it gives no privacy guarantee. */
  private: boolean;
  privacy?: {
    epsilon: number;
    delta: number;
    /** The zCDP budget from (epsilon, delta) (Canonne-Kamath-Steinke conversion). */
    rho: number;
    /** The sum of the ledger: what was actually spent. */
    rhoSpent: number;
    neighbours: "add or remove one row";
    ledger: BudgetEntry[];
  };
  rowsIn: number;
  rowsOut: number;
  columns: string[];
  /** Columns of the CSV not synthesised, with why. */
  leftOut: { column: string; reason: string }[];
  /** Values clipped into the schema's bounds, per column. */
  clipped: Record<string, number>;
  /** True when the domain came from the data (no --schema): not covered by the guarantee. */
  domainFromData: boolean;
  warnings: string[];
  tree?: [string, string][];
  compression?: { column: string; before: number; after: number }[];
  /** MST's final fit: mirror-descent iterations run and the loss reached. */
  model?: { iterations: number; loss: number; estimatedRows: number };
  seed: number;
}

/** The result of {@link fitSynthetic}. */
export interface FitSyntheticResult {
  header: string[];
  rows: string[][];
  schema: TableSchema;
  summary: FitSummary;
}

/** Builds a synthetic copy of `table` (see {@link FitSyntheticOptions}). */
export function fitSynthetic(table: Table, options: FitSyntheticOptions): FitSyntheticResult {
  const mechanism = options.mechanism ?? "mst";
  const warnings: string[] = [];
  let schema = options.schema;
  let leftOut: FitSummary["leftOut"];
  if (!schema) {
    const inferred = inferTableSchema(table);
    schema = inferred.schema;
    leftOut = inferred.leftOut;
  } else {
    const listed = new Set(schema.columns.map((column) => column.name));
    leftOut = table.header
      .filter((name) => !listed.has(name))
      .map((column) => ({ column, reason: "not in the schema" }));
  }
  // Also when an inferred schema is passed back unedited (it still says inferredFromData: true).
  if (schema.inferredFromData && mechanism === "mst") warnings.push(INFERRED_DOMAIN_WARNING);
  if (mechanism === "copula") {
    warnings.push("The Gaussian copula is NOT private: it copies real values and gives no guarantee at all.");
  }
  const domains = buildDomains(schema);
  const encoded = encodeTable(table, schema, domains);
  const names = schema.columns.map((column) => column.name);
  const base = {
    mechanism,
    rowsIn: table.rows.length,
    columns: names,
    leftOut,
    clipped: encoded.clipped,
    domainFromData: schema.inferredFromData,
    warnings,
    seed: options.seed,
  };
  if (mechanism === "copula") {
    const columnIndex = names.map((name) => table.header.indexOf(name));
    const missing = new Set(schema.missing);
    const rows = options.rows ?? table.rows.length;
    const sampled = sampleGaussianCopula(
      schema.columns.map((spec, index) => ({
        kind: spec.type,
        values: table.rows.map((row) => row[columnIndex[index]!]!),
        isMissing: (value: string) => missing.has(value),
      })),
      rows,
      options.seed,
    );
    return {
      header: names,
      rows: transpose(sampled, rows),
      schema,
      summary: { ...base, private: false, rowsOut: rows },
    };
  }
  const epsilon = options.epsilon;
  if (epsilon === undefined || !(epsilon > 0)) {
    throw new MedsimError("invalid_input", `--epsilon: MST needs a privacy budget epsilon > 0, found ${epsilon}`);
  }
  const delta = options.delta ?? 1e-9;
  if (!(delta > 0 && delta < 1))
    throw new MedsimError("invalid_input", `--delta: expected 0 < delta < 1, found ${delta}`);
  const result = runMst(
    encoded.columns,
    domains.map((domain) => domain.size),
    {
      epsilon,
      delta,
      seed: options.seed,
      rows: options.rows,
      iterations: options.iterations,
      onProgress: options.onProgress,
      columnNames: names,
    },
  );
  const random = createRandom(deriveSeed(options.seed, 4));
  const columns = result.columns.map((codes, column) =>
    Array.from(codes, (code) => domains[column]!.decode(code, random)),
  );
  return {
    header: names,
    rows: transpose(columns, result.rows),
    schema,
    summary: {
      ...base,
      private: true,
      rowsOut: result.rows,
      privacy: {
        epsilon,
        delta,
        rho: result.rho,
        rhoSpent: result.accountant.rhoSpent,
        neighbours: "add or remove one row",
        ledger: result.accountant.entries.map((entry) => ({ ...entry, label: nameColumns(entry.label, names) })),
      },
      tree: result.tree.map(([a, b]) => [names[a]!, names[b]!]),
      compression: result.compression.map((entry, column) => ({ column: names[column]!, ...entry })),
      model: { ...result.fit, estimatedRows: result.estimatedTotal },
    },
  };
}

/** Replaces "column 3" in a ledger label by the column's name. */
function nameColumns(label: string, names: readonly string[]): string {
  return label.replace(/columns? (\d+)(?: and (\d+))?/, (_, a: string, b?: string) =>
    b === undefined ? `column ${names[Number(a)]}` : `columns ${names[Number(a)]} and ${names[Number(b)]}`,
  );
}

function transpose(columns: readonly (readonly string[])[], rows: number): string[][] {
  const out: string[][] = new Array(rows);
  for (let row = 0; row < rows; row++) out[row] = columns.map((column) => column[row]!);
  return out;
}
