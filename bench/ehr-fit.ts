/**
 * `ehr fit` speed and quality on the covid testing table (../shared/data/medicaldata), with the
 * shipped schema: MST at epsilon 1, delta 1e-9 over several seeds (read the CSV, fit, sample,
 * decode), then the quality (SDMetrics definitions) of each copy and of the non-private copula.
 * The Python reference (private-pgm's MST on the same table) took 74-82 s on the 2-core machine.
 * Run: npx tsx bench/ehr-fit.ts [--runs 3] [--epsilon 1] [--file path.csv] [--schema path.yaml]
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import {
  buildEhrReport,
  fitSynthetic,
  loadTableSchema,
  readCsvTable,
  type FitSyntheticResult,
  type TableSchema,
  type Table,
} from "../src/ehr/private/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const runs = Number(option("--runs", "3"));
const epsilon = Number(option("--epsilon", "1"));
const file = option(
  "--file",
  new URL("../../shared/data/medicaldata/covid_testing_deid.csv", import.meta.url).pathname,
);
const schemaFile = option("--schema", new URL("../examples/covid_testing.schema.yaml", import.meta.url).pathname);
if (!existsSync(file)) {
  console.log(`skipped: ${file} not found (the covid table lives in ../shared beside the project)`);
  process.exit(0);
}

const quality = (real: Table, schema: TableSchema, result: FitSyntheticResult) => {
  const synthetic: Table = {
    source: "synthetic",
    header: result.header,
    rows: result.rows,
    lines: result.rows.map((_, index) => index + 2),
  };
  return buildEhrReport({ real, synthetic, schema, fit: result.summary, sampleRows: 500 });
};

console.log(
  `load average before: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}`,
);
const schema = await loadTableSchema(schemaFile);
for (let run = 1; run <= runs; run++) {
  const begin = performance.now();
  const table = await readCsvTable(file);
  const result = fitSynthetic(table, { schema, epsilon, delta: 1e-9, seed: run });
  const seconds = (performance.now() - begin) / 1000;
  const report = quality(table, schema, result);
  console.log(
    `MST seed ${run}: fit ${seconds.toFixed(2)} s (read + fit + sample), ${result.rows.length} rows; ` +
      `overall ${report.quality.overall.toFixed(4)} (shapes ${report.quality.columnShapesScore.toFixed(4)}, ` +
      `pairs ${report.quality.pairTrendsScore.toFixed(4)}); rho spent ${result.summary.privacy!.rhoSpent.toPrecision(6)}`,
  );
}
const begin = performance.now();
const table = await readCsvTable(file);
const copula = fitSynthetic(table, { schema, mechanism: "copula", seed: 1 });
const seconds = (performance.now() - begin) / 1000;
const report = quality(table, schema, copula);
console.log(
  `copula (NOT private) seed 1: fit ${seconds.toFixed(2)} s; overall ${report.quality.overall.toFixed(4)} ` +
    `(shapes ${report.quality.columnShapesScore.toFixed(4)}, pairs ${report.quality.pairTrendsScore.toFixed(4)})`,
);
console.log(
  `load average after: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}`,
);
