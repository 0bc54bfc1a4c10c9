import { MedsimError } from "../../util/errors.js";
import { buildDomains } from "./domain.js";
import type { FitSummary } from "./fit.js";
import { privacyFigures, type PrivacyFigures } from "./privacy-metrics.js";
import { pearson, qualityScores, type MetricColumn, type QualityScores } from "./quality.js";
import { INFERRED_DOMAIN_WARNING, inferTableSchema, type TableSchema } from "./schema.js";
import type { Table } from "./table.js";

/** Options of {@link buildEhrReport}. */
export interface EhrReportInputs {
  real: Table;
  synthetic: Table;
  /** Real rows kept out of the fit, for the overfitting measure. */
  holdout?: Table;
  /** Column types and domains; inferred from the real table when absent (and the report says so). */
  schema?: TableSchema;
  /** What `ehr fit` recorded beside the synthetic file (mechanism, budget, ledger). */
  fit?: FitSummary;
  /** Synthetic rows sampled for the distance figures (default 2000). */
  sampleRows?: number;
  seed?: number;
}

/** One column's distribution, real against synthetic, as shares per bin or category. */
export interface ColumnDistribution {
  column: string;
  kind: "numeric" | "categorical";
  bins: { label: string; real: number; synthetic: number }[];
}

/** Everything `ehr report` shows. */
export interface EhrReport {
  files: { real: string; synthetic: string; holdout?: string };
  rows: { real: number; synthetic: number; holdout?: number };
  schemaSource: "file" | "inferred from the real data";
  quality: QualityScores;
  privacy: PrivacyFigures;
  fit?: FitSummary;
  warnings: string[];
  distributions: ColumnDistribution[];
  /** Pearson correlations of the numeric columns, real and synthetic. */
  correlations: { columns: string[]; real: number[][]; synthetic: number[][] };
}

/** The columns of `table` the measures need, by the schema's types (missing values normalised). */
export function metricColumns(table: Table, schema: TableSchema): MetricColumn[] {
  const missing = new Set(schema.missing);
  return schema.columns.map((spec) => {
    const index = table.header.indexOf(spec.name);
    if (index < 0) {
      throw new MedsimError(
        "invalid_input",
        `${table.source}: column "${spec.name}" is missing (the table has ${table.header.join(", ")})`,
      );
    }
    if (spec.type === "numeric") {
      return {
        kind: "numeric",
        values: Float64Array.from(table.rows, (row) => {
          const value = row[index]!;
          return missing.has(value) || value.trim() === "" ? NaN : Number(value);
        }),
      };
    }
    return { kind: "categorical", values: table.rows.map((row) => (missing.has(row[index]!) ? "" : row[index]!)) };
  });
}

/** Row keys over the schema's columns: raw (missing normalised) and binned by the schema's domains. */
function rowKeys(table: Table, schema: TableSchema): { raw: string[]; binned: string[] } {
  const domains = buildDomains({ ...schema, outside: "clip" });
  const missing = new Set(schema.missing);
  const indices = schema.columns.map((spec) => table.header.indexOf(spec.name));
  const numeric = schema.columns.map((spec) => spec.type === "numeric");
  const raw: string[] = [];
  const binned: string[] = [];
  for (const row of table.rows) {
    // Numbers compare by value ("45" and "45.00" are the same value).
    raw.push(
      indices
        .map((index, column) => {
          const value = row[index]!;
          if (missing.has(value)) return "";
          return numeric[column] && value.trim() !== "" && Number.isFinite(Number(value))
            ? String(Number(value))
            : value;
        })
        .join("\u0001"),
    );
    binned.push(
      indices
        .map((index, column) => {
          const code = domains[column]!.encode(row[index]!);
          return typeof code === "number" ? String(code) : "?";
        })
        .join(","),
    );
  }
  return { raw, binned };
}

/** Builds the quality and privacy report of a synthetic table against the real one. */
export function buildEhrReport(inputs: EhrReportInputs): EhrReport {
  const warnings: string[] = [];
  let schema = inputs.schema;
  if (!schema) {
    schema = inferTableSchema(inputs.real).schema;
    warnings.push("No schema was given: column types were inferred from the real table.");
  }
  if (inputs.fit?.domainFromData) warnings.push(INFERRED_DOMAIN_WARNING);
  if (inputs.fit && !inputs.fit.private) {
    warnings.push("This copy was made by a NON-PRIVATE mechanism (Gaussian copula): it carries no privacy guarantee.");
  }
  if (!inputs.fit) {
    warnings.push("No fit record (<synthetic>.fit.json) was found: the mechanism and privacy budget are unknown.");
  }
  const names = schema.columns.map((column) => column.name);
  const real = metricColumns(inputs.real, schema);
  const synthetic = metricColumns(inputs.synthetic, schema);
  const holdout = inputs.holdout ? metricColumns(inputs.holdout, schema) : undefined;
  const quality = qualityScores(names, real, synthetic);
  const realKeys = rowKeys(inputs.real, schema);
  const syntheticKeys = rowKeys(inputs.synthetic, schema);
  const privacy = privacyFigures({
    real,
    synthetic,
    holdout,
    realKeys: realKeys.raw,
    syntheticKeys: syntheticKeys.raw,
    realBinnedKeys: realKeys.binned,
    syntheticBinnedKeys: syntheticKeys.binned,
    holdoutKeys: inputs.holdout ? rowKeys(inputs.holdout, schema).raw : undefined,
    sampleRows: inputs.sampleRows,
    seed: inputs.seed,
  });
  const numericColumns = names.filter((_, index) => real[index]!.kind === "numeric");
  const correlation = (columns: readonly MetricColumn[]) =>
    numericColumns.map((a) =>
      numericColumns.map((b) =>
        pearson(columns[names.indexOf(a)]!.values as Float64Array, columns[names.indexOf(b)]!.values as Float64Array),
      ),
    );
  return {
    files: { real: inputs.real.source, synthetic: inputs.synthetic.source, holdout: inputs.holdout?.source },
    rows: {
      real: inputs.real.rows.length,
      synthetic: inputs.synthetic.rows.length,
      holdout: inputs.holdout?.rows.length,
    },
    schemaSource: inputs.schema ? "file" : "inferred from the real data",
    quality,
    privacy,
    fit: inputs.fit,
    warnings,
    distributions: names.map((column, index) => distribution(column, real[index]!, synthetic[index]!)),
    correlations: { columns: numericColumns, real: correlation(real), synthetic: correlation(synthetic) },
  };
}

/**
 * Shares per bin: numbers in 20 equal-width bins over the real values' 0.5-99.5% range (values
 * beyond it fall in the outer bins; missing values in a bin of their own), categories by real frequency (the 15
 * most common, then "other").
 */
function distribution(column: string, real: MetricColumn, synthetic: MetricColumn): ColumnDistribution {
  if (real.kind === "numeric" && synthetic.kind === "numeric") {
    // Bins span the real 0.5-99.5% quantiles, so one wild value does not squash the chart.
    const sorted = Float64Array.from(real.values.filter((value) => Number.isFinite(value))).sort();
    let min = sorted.length > 0 ? sorted[Math.floor(0.005 * (sorted.length - 1))]! : 0;
    let max = sorted.length > 0 ? sorted[Math.ceil(0.995 * (sorted.length - 1))]! : 1;
    if (!(max > min)) [min, max] = [sorted[0] ?? 0, sorted[sorted.length - 1] ?? 1];
    const count = 20;
    const width = max > min ? (max - min) / count : 1;
    const share = (values: Float64Array) => {
      const out = new Float64Array(count + 1);
      for (const value of values) {
        if (!Number.isFinite(value)) out[count]!++;
        else out[Math.min(count - 1, Math.max(0, Math.floor((value - min) / width)))]!++;
      }
      return Array.from(out, (value) => value / Math.max(1, values.length));
    };
    const realShares = share(real.values);
    const syntheticShares = share(synthetic.values);
    const bins = realShares.map((value, index) => ({
      label: index === count ? "missing" : formatEdge(min + index * width),
      real: value,
      synthetic: syntheticShares[index]!,
    }));
    return {
      column,
      kind: "numeric",
      bins: bins.filter((bin, index) => index < count || bin.real + bin.synthetic > 0),
    };
  }
  const realValues = real.values as string[];
  const syntheticValues = synthetic.values as string[];
  const counts = (values: readonly string[]) => {
    const out = new Map<string, number>();
    for (const value of values) out.set(value, (out.get(value) ?? 0) + 1);
    return out;
  };
  const realCounts = counts(realValues);
  const syntheticCounts = counts(syntheticValues);
  const ordered = [...realCounts.entries()].sort((a, b) => b[1] - a[1]).map(([value]) => value);
  const shown = ordered.slice(0, 15);
  const bins = shown.map((value) => ({
    label: value === "" ? "(missing)" : value,
    real: (realCounts.get(value) ?? 0) / realValues.length,
    synthetic: (syntheticCounts.get(value) ?? 0) / Math.max(1, syntheticValues.length),
  }));
  const shownSet = new Set(shown);
  let realOther = 0;
  let syntheticOther = 0;
  for (const [value, count] of realCounts) if (!shownSet.has(value)) realOther += count;
  for (const [value, count] of syntheticCounts) if (!shownSet.has(value)) syntheticOther += count;
  if (realOther + syntheticOther > 0) {
    bins.push({
      label: "(other)",
      real: realOther / realValues.length,
      synthetic: syntheticOther / Math.max(1, syntheticValues.length),
    });
  }
  return { column, kind: "categorical", bins };
}

function formatEdge(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
