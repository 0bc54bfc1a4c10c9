import { describe, expect, it } from "vitest";
import { buildDomains, encodeTable } from "./domain.js";
import { buildEhrReport } from "./report.js";
import { fitSynthetic } from "./fit.js";
import { inferTableSchema, TableSchemaSchema, type TableSchema } from "./schema.js";
import { formatCsv, parseCsvTable, type Table } from "./table.js";

const csv = (text: string, source = "t.csv") => parseCsvTable(Buffer.from(text, "utf8"), source);

function demoTable(rows: number): Table {
  const lines = ["sex,age,result,ct"];
  for (let index = 0; index < rows; index++) {
    const sex = index % 3 === 0 ? "male" : "female";
    const age = (index * 7) % 90;
    const positive = index % 5 === 0;
    lines.push(
      `${sex},${age},${positive ? "positive" : "negative"},${positive ? (20 + (index % 15)).toFixed(2) : index % 11 === 0 ? "NA" : "45"}`,
    );
  }
  return csv(`${lines.join("\n")}\n`, "demo.csv");
}

const demoSchema: TableSchema = TableSchemaSchema.parse({
  columns: [
    { name: "sex", type: "categorical", categories: ["female", "male"] },
    { name: "age", type: "numeric", bounds: [0, 120], bins: 12, precision: 1 },
    { name: "result", type: "categorical", categories: ["negative", "positive"] },
    { name: "ct", type: "numeric", bounds: [10, 45], bins: 7, precision: 0.01, special: [45] },
  ],
});

describe("reading CSV: bad input is a one-line error naming file and line", () => {
  it("a ragged row", () => {
    expect(() => csv("a,b\n1,2\n3\n4,5\n")).toThrow("t.csv:3: row has 1 fields, expected 2 (as in the header)");
  });
  it("a UTF-8 byte order mark is skipped", () => {
    expect(csv("\uFEFFa,b\n1,2\n").header).toEqual(["a", "b"]);
  });
  it("UTF-16 and Latin-1 files", () => {
    expect(() => parseCsvTable(Buffer.from("\uFEFFa,b\n", "utf16le"), "w.csv")).toThrow(/w.csv: the file is UTF-16/);
    expect(() => parseCsvTable(Buffer.from("a,b\n1,2\ncaf\xe9,3\n", "latin1"), "l.csv")).toThrow(
      /l.csv:3: not valid UTF-8/,
    );
  });
  it("empty file, header only, empty or duplicate column names", () => {
    expect(() => csv("")).toThrow("t.csv: empty file");
    expect(() => csv("a,b\n")).toThrow("t.csv: no data rows");
    expect(() => csv("a,,c\n1,2,3\n")).toThrow("t.csv:1: column 2 has an empty name");
    expect(() => csv("a,a\n1,2\n")).toThrow('t.csv:1: column name "a" appears twice');
  });
  it("a quoted field spanning lines keeps the row's first line for later errors", () => {
    const table = csv('a,b\n"x\ny",1\n2,3\n');
    expect(table.lines).toEqual([2, 4]);
    expect(formatCsv(table.header, table.rows)).toBe('a,b\n"x\ny",1\n2,3\n');
  });
});

describe("schema and domains", () => {
  it("a value outside the bounds or the categories names file, line and column", () => {
    const table = csv("sex,age,result,ct\nmale,30,negative,45\nfemale,130,negative,45\n");
    expect(() => encodeTable(table, demoSchema)).toThrow(
      't.csv:3: column "age": 130 is outside the schema\'s bounds [0, 120]',
    );
    const unknown = csv("sex,age,result,ct\nother,30,negative,45\n");
    expect(() => encodeTable(unknown, demoSchema)).toThrow(
      't.csv:2: column "sex": "other" is not one of the schema\'s 2 categories',
    );
    const text = csv("sex,age,result,ct\nmale,thirty,negative,45\n");
    expect(() => encodeTable(text, demoSchema)).toThrow('t.csv:2: column "age": "thirty" is not a number');
  });

  it("outside: clip clips numbers into the bounds and counts them", () => {
    const table = csv("sex,age,result,ct\nmale,30,negative,45\nfemale,130,negative,45\n");
    const encoded = encodeTable(table, { ...demoSchema, outside: "clip" });
    expect(encoded.clipped).toEqual({ age: 1 });
    expect(encoded.columns[1]![1]).toBe(11); // the last of 12 bins
  });

  it("a schema column absent from the CSV is named", () => {
    expect(() => encodeTable(csv("sex,age\nmale,3\n"), demoSchema)).toThrow(
      't.csv: the schema\'s column "result" is not in the header',
    );
  });

  it("numbers decode uniformly within their bin onto the reporting precision; specials and missing exactly", () => {
    const [, age, , ct] = buildDomains(demoSchema);
    const random = () => 0.999;
    expect(age!.encode("35")).toBe(3);
    expect(age!.decode(3, random)).toBe("39"); // bin [30, 40) holds 30..39
    expect(age!.decode(3, () => 0)).toBe("30");
    expect(age!.decode(11, random)).toBe("120"); // the last bin includes the upper bound
    expect(ct!.encode("45")).toBe(7);
    expect(ct!.decode(7, random)).toBe("45.00");
    expect(ct!.encode("NA")).toBe(ct!.missingCode);
    expect(ct!.decode(ct!.missingCode, random)).toBe("NA");
    expect(ct!.decode(0, () => 0.5)).toMatch(/^1[0-4]\.\d\d$/);
  });

  it("inference: numbers with > 2 values are numeric, 0/1 flags categorical, identifiers left out", () => {
    const lines = ["id,flag,age,name,empty,constant"];
    for (let index = 0; index < 30; index++)
      lines.push(`${index},${index % 2},${(index * 1.5).toFixed(1)},n${index},NA,x`);
    const { schema, leftOut } = inferTableSchema(csv(lines.join("\n")));
    expect(schema.inferredFromData).toBe(true);
    expect(schema.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      "id:numeric",
      "flag:categorical",
      "age:numeric",
      "empty:categorical",
      "constant:categorical",
    ]);
    expect(schema.columns[2]).toMatchObject({ bounds: [0, 43.5], precision: 0.1 });
    expect(leftOut).toEqual([{ column: "name", reason: "a different value in every row (an identifier)" }]);
  });

  it("a column with a million categories is left out by inference and refused in a schema", () => {
    const lines = ["code,kind"];
    for (let index = 0; index < 2000; index++) lines.push(`c${index},k${index % 2}`);
    const { leftOut } = inferTableSchema(csv(lines.join("\n")), { maxCategories: 1000 });
    expect(leftOut[0]!.column).toBe("code");
    const huge = TableSchemaSchema.safeParse({
      columns: [{ name: "code", type: "categorical", categories: Array.from({ length: 1_000_001 }, (_, i) => i) }],
    });
    expect(huge.success).toBe(false);
  });
});

describe("fitSynthetic", () => {
  const table = demoTable(400);

  it("same seed, same bytes; another seed, another table", () => {
    const first = fitSynthetic(table, { schema: demoSchema, epsilon: 1, seed: 42, iterations: 100 });
    const again = fitSynthetic(table, { schema: demoSchema, epsilon: 1, seed: 42, iterations: 100 });
    const other = fitSynthetic(table, { schema: demoSchema, epsilon: 1, seed: 43, iterations: 100 });
    expect(formatCsv(first.header, first.rows)).toBe(formatCsv(again.header, again.rows));
    expect(formatCsv(first.header, first.rows)).not.toBe(formatCsv(other.header, other.rows));
    const copula = (seed: number) => fitSynthetic(table, { schema: demoSchema, mechanism: "copula", seed });
    expect(formatCsv(copula(1).header, copula(1).rows)).toBe(formatCsv(copula(1).header, copula(1).rows));
  });

  it("writes only values of the schema's domain, and spends exactly rho", () => {
    const result = fitSynthetic(table, { schema: demoSchema, epsilon: 2, delta: 1e-6, seed: 1, iterations: 100 });
    const privacy = result.summary.privacy!;
    expect(privacy.rhoSpent).toBeCloseTo(privacy.rho, 12);
    expect(privacy.ledger.reduce((sum, entry) => sum + entry.rho, 0)).toBe(privacy.rhoSpent);
    expect(() =>
      encodeTable({ ...table, rows: result.rows, lines: result.rows.map((_, i) => i + 2) }, demoSchema),
    ).not.toThrow();
    expect(result.summary).toMatchObject({ private: true, domainFromData: false, rowsIn: 400 });
    expect(Math.abs(result.rows.length - 400)).toBeLessThan(100);
  });

  it("without a schema, says in plain words that the domain came from the data", () => {
    const result = fitSynthetic(table, { epsilon: 1, seed: 1, iterations: 50 });
    expect(result.summary.domainFromData).toBe(true);
    expect(result.summary.warnings.join(" ")).toMatch(/taken from the real data itself, so they are NOT covered/);
    // Passing the inferred schema back unedited keeps the warning.
    const again = fitSynthetic(table, { schema: result.schema, epsilon: 1, seed: 1, iterations: 50 });
    expect(again.summary.domainFromData).toBe(true);
    expect(again.summary.warnings.join(" ")).toMatch(/NOT covered/);
  });

  it("the copula is labelled non-private", () => {
    const result = fitSynthetic(table, { schema: demoSchema, mechanism: "copula", seed: 1 });
    expect(result.summary.private).toBe(false);
    expect(result.summary.privacy).toBeUndefined();
    expect(result.summary.warnings.join(" ")).toMatch(/NOT private/);
  });

  it("one row, one column, a constant column", () => {
    const one = csv("sex,age,result,ct\nmale,30,negative,45\n");
    expect(fitSynthetic(one, { schema: demoSchema, epsilon: 1, seed: 1, rows: 5, iterations: 20 }).rows).toHaveLength(
      5,
    );
    const single = csv("kind\nx\nx\nx\n");
    const result = fitSynthetic(single, { epsilon: 1, seed: 1, rows: 3, iterations: 20 });
    expect(result.summary.privacy!.rhoSpent).toBeCloseTo(result.summary.privacy!.rho, 12);
    expect(result.rows.every((row) => row.length === 1)).toBe(true);
  });

  it("refuses MST without a usable epsilon", () => {
    expect(() => fitSynthetic(table, { schema: demoSchema, seed: 1 })).toThrow(/epsilon > 0/);
  });
});

describe("buildEhrReport", () => {
  it("counts a copied row as a copy even when its numbers are written differently", () => {
    const real = csv("sex,age,result,ct\nmale,30,negative,45\nfemale,40,positive,21.5\n", "real.csv");
    const synthetic = csv("sex,age,result,ct\nmale,30,negative,45.00\nfemale,41,positive,21.50\n", "synthetic.csv");
    const report = buildEhrReport({ real, synthetic, schema: demoSchema });
    expect(report.privacy.copyShareRaw).toBe(0.5);
    // Binned (age in 10-year bins), the second row matches too.
    expect(report.privacy.copyShareBinned).toBe(1);
    expect(report.warnings.join(" ")).toMatch(/No fit record/);
  });
});

describe("domains too large for a pair table", () => {
  it("are refused with the columns named, before any pair table is built", () => {
    const lines = ["a,b"];
    for (let index = 0; index < 5000; index++) lines.push(`a${index},b${index}`);
    const table = csv(lines.join("\n"), "wide.csv");
    const categories = (prefix: string) => Array.from({ length: 5000 }, (_, index) => `${prefix}${index}`);
    const schema = TableSchemaSchema.parse({
      columns: [
        { name: "a", type: "categorical", categories: categories("a") },
        { name: "b", type: "categorical", categories: categories("b") },
      ],
    });
    // A huge epsilon keeps every value through compression: 5001 x 5001 cells.
    expect(() => fitSynthetic(table, { schema, epsilon: 1e5, seed: 1, iterations: 5 })).toThrow(
      /columns a and b keep 500[01] and 500[01] values after compression, too many for a pair table/,
    );
  });
});
