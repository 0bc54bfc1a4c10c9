import { FileError, MedsimError } from "../../util/errors.js";
import type { ColumnSpec, NumericColumn, TableSchema } from "./schema.js";
import type { Table } from "./table.js";

/**
 * A column's finite domain: the codes 0..size-1 that the mechanisms count. Categorical columns
 * have one code per category; numeric columns one per bin, then one per special value; every
 * column ends with a code for "missing". Encoding is strict (values outside the domain are errors
 * naming file, line and column, or are clipped when the schema says `outside: clip`); decoding
 * draws a value uniformly from the reporting-precision grid inside the code's bin.
 */
export interface ColumnDomain {
  spec: ColumnSpec;
  size: number;
  /** A short label per code, for charts and messages. */
  labels: string[];
  /** The code of the missing value (always the last). */
  missingCode: number;
  encode(value: string): number | { error: string };
  decode(code: number, random: () => number): string;
}

/** A table turned into codes, column by column. */
export interface EncodedTable {
  domains: ColumnDomain[];
  /** columns[c][r]: the code of row r in column c. */
  columns: Int32Array[];
  rows: number;
  /** How many values were clipped into the bounds, per column name. */
  clipped: Record<string, number>;
}

/** Builds the domains of a schema's columns. */
export function buildDomains(schema: TableSchema): ColumnDomain[] {
  const missingToken = schema.missing[0] ?? "";
  const missing = new Set(schema.missing);
  return schema.columns.map((spec) =>
    spec.type === "categorical"
      ? categoricalDomain(spec.categories, spec, missing, missingToken)
      : numericDomain(spec, missing, missingToken, schema.outside === "clip"),
  );
}

function categoricalDomain(
  categories: readonly string[],
  spec: ColumnSpec,
  missing: ReadonlySet<string>,
  missingToken: string,
): ColumnDomain {
  const index = new Map<string, number>();
  categories.forEach((category, code) => {
    if (!index.has(category)) index.set(category, code);
  });
  const size = categories.length + 1;
  return {
    spec,
    size,
    labels: [...categories, "(missing)"],
    missingCode: size - 1,
    encode(value) {
      const code = index.get(value);
      if (code !== undefined) return code;
      if (missing.has(value)) return size - 1;
      return { error: `"${truncate(value)}" is not one of the schema's ${categories.length} categories` };
    },
    decode(code) {
      return code === size - 1 ? missingToken : categories[code]!;
    },
  };
}

/** The bin edges of a numeric column, from its `bins` (a count or explicit edges). */
export function binEdges(spec: NumericColumn): number[] {
  if (Array.isArray(spec.bins)) return spec.bins;
  const [low, high] = spec.bounds;
  const count = spec.bins;
  return Array.from({ length: count + 1 }, (_, index) =>
    index === count ? high : low + ((high - low) * index) / count,
  );
}

/** Decimal places of a reporting precision (0.01 -> 2, 0.5 -> 1, 5 -> 0). */
export function precisionDecimals(precision: number): number {
  let decimals = 0;
  while (decimals < 12 && Math.abs(Math.round(precision * 10 ** decimals) - precision * 10 ** decimals) > 1e-9) {
    decimals++;
  }
  return decimals;
}

function numericDomain(
  spec: NumericColumn,
  missing: ReadonlySet<string>,
  missingToken: string,
  clip: boolean,
): ColumnDomain {
  const edges = binEdges(spec);
  const bins = edges.length - 1;
  const specials = spec.special;
  const [low, high] = spec.bounds;
  const decimals = precisionDecimals(spec.precision);
  const size = bins + specials.length + 1;
  const format = (value: number) => value.toFixed(decimals);
  // A special value is written as declared, even when finer than the column's precision.
  const formatSpecial = (value: number) => value.toFixed(Math.max(decimals, precisionDecimals(value)));
  const labels = [
    ...Array.from({ length: bins }, (_, bin) => `${format(edges[bin]!)}–${format(edges[bin + 1]!)}`),
    ...specials.map((value) => formatSpecial(value)),
    "(missing)",
  ];
  return {
    spec,
    size,
    labels,
    missingCode: size - 1,
    encode(value) {
      if (missing.has(value)) return size - 1;
      let number = value.trim() === "" ? NaN : Number(value);
      if (!Number.isFinite(number)) return { error: `"${truncate(value)}" is not a number` };
      for (let index = 0; index < specials.length; index++) {
        if (Math.abs(number - specials[index]!) <= 1e-9 * Math.max(1, Math.abs(number))) return bins + index;
      }
      if (number < low || number > high) {
        if (!clip) return { error: `${value} is outside the schema's bounds [${low}, ${high}]` };
        number = Math.min(high, Math.max(low, number));
      }
      // The largest edge index at or below the value; the upper bound belongs to the last bin.
      let lo = 0;
      let hi = bins - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (edges[mid]! <= number) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    decode(code, random) {
      if (code === size - 1) return missingToken;
      if (code >= bins) return formatSpecial(specials[code - bins]!);
      const from = edges[code]!;
      const to = edges[code + 1]!;
      const last = code === bins - 1;
      const step = spec.precision;
      const first = Math.ceil(from / step - 1e-9);
      const final = last ? Math.floor(to / step + 1e-9) : Math.ceil(to / step - 1e-9) - 1;
      if (final < first) return format((from + to) / 2);
      const k = first + Math.min(final - first, Math.floor(random() * (final - first + 1)));
      return format(k * step);
    },
  };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/**
 * Encodes a table's columns by the schema. A schema column missing from the CSV, or a value
 * outside the domain, is an error naming file, line and column.
 */
export function encodeTable(table: Table, schema: TableSchema, domains = buildDomains(schema)): EncodedTable {
  const clipped: Record<string, number> = {};
  const columns = domains.map((domain) => {
    const name = domain.spec.name;
    const columnIndex = table.header.indexOf(name);
    if (columnIndex < 0) {
      throw new MedsimError(
        "invalid_input",
        `${table.source}: the schema's column "${name}" is not in the header (${table.header.join(", ")})`,
      );
    }
    const codes = new Int32Array(table.rows.length);
    const clip = domain.spec.type === "numeric" ? domain.spec.bounds : undefined;
    let clips = 0;
    table.rows.forEach((row, rowIndex) => {
      const value = row[columnIndex]!;
      const code = domain.encode(value);
      if (typeof code !== "number") {
        throw new FileError(`${table.source}:${table.lines[rowIndex]}`, `column "${name}": ${code.error}`);
      }
      if (clip && code < domain.size - 1) {
        const number = Number(value);
        if (number < clip[0] || number > clip[1]) clips++;
      }
      codes[rowIndex] = code;
    });
    if (clips > 0) clipped[name] = clips;
    return codes;
  });
  return { domains, columns, rows: table.rows.length, clipped };
}
