import { stringify as stringifyYaml } from "yaml";
import { z } from "zod";
import { MedsimError } from "../../util/errors.js";
import { readStructuredFile, validate, writeFileAtomic } from "../../util/files.js";
import type { Table } from "./table.js";

/**
 * The public description of a table: which columns to synthesise, their types and domains. MST's
 * guarantee covers the rows only; the domain must come from public knowledge (a data dictionary,
 * clinical ranges), which is why it lives in a file of its own.
 *
 * ```yaml
 * missing: ["NA", ""]          # tokens meaning "no value"; the first is written for missing values
 * outside: error               # a value outside the declared domain: error (default) or clip (numbers only)
 * columns:
 *   - { name: gender, type: categorical, categories: [female, male] }
 *   - { name: age, type: numeric, bounds: [0, 120], bins: 40, precision: 1 }
 *   - { name: ct_result, type: numeric, bounds: [10, 45], bins: 35, precision: 0.01, special: [45] }
 * ```
 *
 * `bins` is a count of equal-width bins over the bounds or a list of bin edges from the lower to
 * the upper bound; `precision` is the reporting precision (synthetic values are drawn uniformly
 * from the multiples of it inside their bin); `special` values get a bin of their own (e.g. a Ct
 * of 45, the assay's "not detected"). Columns of the CSV that the schema does not list are left
 * out of the copy.
 */
const CategoryValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const CategoricalColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal("categorical"),
  categories: z.array(CategoryValue).max(100_000, "at most 100,000 categories per column"),
});

export const NumericColumnSchema = z
  .strictObject({
    name: z.string().min(1),
    type: z.literal("numeric"),
    bounds: z.tuple([z.number(), z.number()]),
    bins: z.union([z.number().int().min(1).max(10_000), z.array(z.number()).min(2).max(10_001)]).default(32),
    precision: z.number().positive().default(1),
    special: z.array(z.number()).default([]),
  })
  .superRefine((column, context) => {
    const [low, high] = column.bounds;
    if (!(low <= high)) context.addIssue({ code: "custom", path: ["bounds"], message: "lower bound above upper" });
    if (Array.isArray(column.bins)) {
      const edges = column.bins;
      if (edges[0] !== low || edges[edges.length - 1] !== high) {
        context.addIssue({ code: "custom", path: ["bins"], message: "bin edges must start and end at the bounds" });
      }
      for (let index = 1; index < edges.length; index++) {
        if (!(edges[index]! > edges[index - 1]!)) {
          context.addIssue({ code: "custom", path: ["bins", index], message: "bin edges must increase" });
          break;
        }
      }
    }
  });

export const ColumnSchema = z.discriminatedUnion("type", [CategoricalColumnSchema, NumericColumnSchema]);

export const TableSchemaSchema = z.strictObject({
  missing: z.array(z.string()).min(1).default(["NA", ""]),
  outside: z.enum(["error", "clip"]).default("error"),
  /** Set when the domain was taken from the data (by `ehr fit` without `--schema`). */
  inferredFromData: z.boolean().default(false),
  columns: z.array(ColumnSchema).min(1),
});

export type CategoricalColumn = z.output<typeof CategoricalColumnSchema>;
export type NumericColumn = z.output<typeof NumericColumnSchema>;
export type ColumnSpec = z.output<typeof ColumnSchema>;
/** A public table schema: columns, types and domains (see {@link TableSchemaSchema}). */
export type TableSchema = z.output<typeof TableSchemaSchema>;

/** Reads and validates a schema file (YAML or JSON). */
export async function loadTableSchema(path: string): Promise<TableSchema> {
  const schema = validate(TableSchemaSchema, await readStructuredFile(path), path);
  const names = new Set<string>();
  for (const column of schema.columns) {
    if (names.has(column.name)) throw new MedsimError("invalid_input", `${path}: column "${column.name}" listed twice`);
    names.add(column.name);
  }
  return schema;
}

/** Writes a schema as YAML (atomically), with a header comment saying where it came from. */
export async function writeTableSchema(path: string, schema: TableSchema, comment: string): Promise<void> {
  const body = stringifyYaml(schema, { lineWidth: 0, flow: false });
  const header = comment
    .split("\n")
    .map((line) => `# ${line}`)
    .join("\n");
  await writeFileAtomic(path, `${header}\n${body}`);
}

/** The plain-words warning every output carries when the domain came from the data. */
export const INFERRED_DOMAIN_WARNING =
  "The columns' categories and numeric bounds were taken from the real data itself, so they are NOT covered by " +
  "the privacy guarantee: a rare category or an extreme value of one patient can appear in the copy. Write a " +
  "schema from public knowledge (see examples/covid_testing.schema.yaml) and pass it with --schema.";

/** Options of {@link inferTableSchema}. */
export interface InferOptions {
  /** Tokens read as missing (default `["NA", ""]`). */
  missing?: string[];
  /** A text column with more distinct values than this is left out as an identifier or free text (default 1000). */
  maxCategories?: number;
  /** Equal-width bins for a numeric column with more distinct grid values than this (default 32). */
  numericBins?: number;
}

/** What inference decided, with the columns it left out and why. */
export interface InferredSchema {
  schema: TableSchema;
  leftOut: { column: string; reason: string }[];
}

/**
 * Infers a schema from the data (NOT private: see {@link INFERRED_DOMAIN_WARNING}). A column is
 * numeric when every value parses as a number and it has more than two distinct values (0/1
 * flags stay categorical); its bounds are the observed range and its precision the finest decimal
 * place seen. A text column with more than `maxCategories` distinct values, or one distinct value
 * per row, is left out as an identifier.
 */
export function inferTableSchema(table: Table, options: InferOptions = {}): InferredSchema {
  const missing = options.missing ?? ["NA", ""];
  const maxCategories = options.maxCategories ?? 1000;
  const numericBins = options.numericBins ?? 32;
  const missingSet = new Set(missing);
  const columns: ColumnSpec[] = [];
  const leftOut: InferredSchema["leftOut"] = [];
  table.header.forEach((name, columnIndex) => {
    const distinct = new Map<string, number>();
    for (const row of table.rows) {
      const value = row[columnIndex]!;
      if (missingSet.has(value)) continue;
      distinct.set(value, (distinct.get(value) ?? 0) + 1);
      if (distinct.size > Math.max(maxCategories, 100_000)) break;
    }
    const values = [...distinct.keys()];
    const numbers = values.map((value) => (value.trim() === "" ? NaN : Number(value)));
    if (values.length > 2 && numbers.every((number) => Number.isFinite(number))) {
      let low = Infinity;
      let high = -Infinity;
      let decimals = 0;
      values.forEach((value, index) => {
        low = Math.min(low, numbers[index]!);
        high = Math.max(high, numbers[index]!);
        const fraction = /\.(\d+)$/.exec(value.trim())?.[1];
        if (fraction) decimals = Math.max(decimals, Math.min(6, fraction.replace(/0+$/, "").length));
      });
      const precision = Number((10 ** -decimals).toFixed(decimals));
      const gridValues = Math.round((high - low) / precision) + 1;
      columns.push({
        name,
        type: "numeric",
        bounds: [low, high],
        bins: Math.max(1, Math.min(numericBins, gridValues)),
        precision,
        special: [],
      });
      return;
    }
    if (values.length > maxCategories) {
      leftOut.push({ column: name, reason: `${values.length}+ distinct values (an identifier or free text)` });
      return;
    }
    if (values.length === table.rows.length && table.rows.length > 20) {
      leftOut.push({ column: name, reason: "a different value in every row (an identifier)" });
      return;
    }
    columns.push({ name, type: "categorical", categories: values.sort() });
  });
  if (columns.length === 0) {
    throw new MedsimError("invalid_input", `${table.source}: no column can be synthesised (all left out)`);
  }
  return { schema: { missing, outside: "error", inferredFromData: true, columns }, leftOut };
}
