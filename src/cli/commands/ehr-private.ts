import { randomInt } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { Option, type Command } from "commander";
import {
  buildEhrReport,
  fitSynthetic,
  loadFitRecord,
  loadTableSchema,
  MECHANISMS,
  readCsvTable,
  renderEhrReportHtml,
  saveFitRecord,
  writeCsvTable,
  writeTableSchema,
  type EhrReport,
  type FitSummary,
  type Mechanism,
} from "../../ehr/private/index.js";
import { writeFileAtomic } from "../../util/files.js";
import { CliUsageError, parseInteger, parseNumber, printJson } from "../output.js";
import { createProgressBar } from "../progress.js";

/**
 * `medsim ehr fit` and `medsim ehr report`: private copies of real tables and their quality and
 * privacy report. The `ehr` group is shared with the record generator; whichever registers first
 * creates it.
 */
export function registerEhrPrivateCommands(program: Command): void {
  const group =
    program.commands.find((command) => command.name() === "ehr") ??
    program.command("ehr").description("synthetic patient records and private copies of real tables");
  registerEhrFit(group);
  registerEhrReport(group);
}

/** `medsim ehr fit`. */
function registerEhrFit(group: Command): void {
  group
    .command("fit")
    .description("make a differentially private synthetic copy of a CSV table (MST), or a NON-PRIVATE copula baseline")
    .argument("<real.csv>", "the real table (CSV with a header row, UTF-8)")
    .requiredOption("--out <synthetic.csv>", "where to write the synthetic table")
    .option("--epsilon <number>", "privacy budget epsilon (required for mst)", parseNumber("--epsilon", 0))
    .option("--delta <number>", "privacy budget delta", parseNumber("--delta", 0, 1), 1e-9)
    .option("--schema <schema.yaml>", "public schema: columns, types, categories or bounds, bins, precision")
    .option(
      "--rows <n>",
      "rows to write (default: the mechanism's estimate of the real count)",
      parseInteger("--rows", 1),
    )
    .option("--seed <n>", "seed for a reproducible copy (default: random)", parseInteger("--seed", 0))
    .addOption(
      new Option("--mechanism <name>", "mst (private) or copula (NOT private)").choices([...MECHANISMS]).default("mst"),
    )
    .option("--iterations <n>", "mirror-descent iterations of MST's final fit", parseInteger("--iterations", 1), 1000)
    .option("--json", "print the summary as JSON")
    .action(
      async (
        realPath: string,
        options: {
          out: string;
          epsilon?: number;
          delta: number;
          schema?: string;
          rows?: number;
          seed?: number;
          mechanism: Mechanism;
          iterations: number;
          json?: boolean;
        },
      ) => {
        if (options.mechanism === "mst" && !(options.epsilon && options.epsilon > 0)) {
          throw new CliUsageError("--epsilon: MST needs a privacy budget epsilon > 0 (e.g. --epsilon 1)");
        }
        if (resolve(options.out) === resolve(realPath)) {
          throw new CliUsageError("--out: the synthetic table must not overwrite the real one");
        }
        const started = performance.now();
        const schema = options.schema ? await loadTableSchema(options.schema) : undefined;
        const table = await readCsvTable(realPath);
        const seed = options.seed ?? randomInt(0, 2 ** 31);
        const progress = createProgressBar({ quiet: options.json });
        let result: ReturnType<typeof fitSynthetic>;
        try {
          result = fitSynthetic(table, {
            schema,
            mechanism: options.mechanism,
            epsilon: options.epsilon,
            delta: options.delta,
            rows: options.rows,
            seed,
            iterations: options.iterations,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.stop();
        }
        let schemaOut: string | undefined;
        if (!schema) {
          schemaOut = join(dirname(options.out), `${basename(options.out).replace(/\.csv$/i, "")}.schema.yaml`);
          await writeTableSchema(
            schemaOut,
            result.schema,
            `Inferred by medsim ehr fit from ${realPath}.\nThe domain below was taken from the data: it is NOT covered by the privacy guarantee.\nEdit it into a public description, remove "inferredFromData: true", and pass it with --schema.`,
          );
        }
        await saveFitRecord(options.out, { summary: result.summary, schema: result.schema });
        await writeCsvTable(options.out, result.header, result.rows);
        const seconds = (performance.now() - started) / 1000;
        const outputs = [options.out, `${options.out}.fit.json`, ...(schemaOut ? [schemaOut] : [])];
        if (options.json) return printJson({ ...result.summary, seconds, outputs });
        printFitSummary(result.summary, options.out, seconds, schemaOut);
      },
    );
}

/** `medsim ehr report`. */
function registerEhrReport(group: Command): void {
  group
    .command("report")
    .description("quality (SDMetrics definitions) and privacy report of a synthetic table against the real one")
    .argument("<real.csv>", "the real table the copy was made from")
    .argument("<synthetic.csv>", "the synthetic table")
    .option("--schema <schema.yaml>", "column types and domains (default: the fit record's, else inferred)")
    .option("--holdout <holdout.csv>", "real rows kept out of the fit, for the overfitting measure")
    .option("--out <report.html>", "write the HTML report here")
    .option(
      "--sample-rows <n>",
      "synthetic rows sampled for the distance figures",
      parseInteger("--sample-rows", 1),
      2000,
    )
    .option("--json", "print the report as JSON")
    .action(
      async (
        realPath: string,
        syntheticPath: string,
        options: { schema?: string; holdout?: string; out?: string; sampleRows: number; json?: boolean },
      ) => {
        const record = await loadFitRecord(syntheticPath);
        const schema = options.schema ? await loadTableSchema(options.schema) : record?.schema;
        const real = await readCsvTable(realPath);
        const synthetic = await readCsvTable(syntheticPath);
        const holdout = options.holdout ? await readCsvTable(options.holdout) : undefined;
        const report = buildEhrReport({
          real,
          synthetic,
          holdout,
          schema,
          fit: record?.summary,
          sampleRows: options.sampleRows,
        });
        if (options.out) await writeFileAtomic(options.out, await renderEhrReportHtml(report));
        if (options.json) {
          const { distributions: _distributions, ...rest } = report;
          return printJson({ ...rest, outputs: options.out ? [options.out] : [] });
        }
        printReportSummary(report, options.out);
      },
    );
}

function budgetLine(summary: FitSummary): string {
  const privacy = summary.privacy;
  if (!summary.private || !privacy) return "NON-PRIVATE (Gaussian copula): no privacy guarantee";
  return `MST, (epsilon ${privacy.epsilon}, delta ${privacy.delta})-DP = rho ${privacy.rho.toPrecision(6)} zCDP; rho spent ${privacy.rhoSpent.toPrecision(6)}`;
}

function printFitSummary(summary: FitSummary, out: string, seconds: number, schemaOut?: string): void {
  const lines = [
    `wrote ${summary.rowsOut} rows x ${summary.columns.length} columns to ${out} in ${seconds.toFixed(1)} s (seed ${summary.seed})`,
    budgetLine(summary),
  ];
  if (summary.tree) lines.push(`tree: ${summary.tree.map(([a, b]) => `${a}-${b}`).join(", ")}`);
  if (summary.leftOut.length > 0) {
    lines.push(`left out: ${summary.leftOut.map((entry) => `${entry.column} (${entry.reason})`).join(", ")}`);
  }
  const clipped = Object.entries(summary.clipped);
  if (clipped.length > 0)
    lines.push(`clipped into bounds: ${clipped.map(([column, count]) => `${column} ${count}`).join(", ")}`);
  if (schemaOut) lines.push(`inferred schema written to ${schemaOut}`);
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

function printReportSummary(report: EhrReport, out?: string): void {
  const { quality, privacy } = report;
  const f = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(4));
  const lines = [
    report.fit ? budgetLine(report.fit) : "mechanism and budget unknown (no fit record)",
    `overall quality ${f(quality.overall)} (column shapes ${f(quality.columnShapesScore)}, pair trends ${f(quality.pairTrendsScore)})`,
    `DCR median: synthetic ${f(privacy.syntheticMedianDcr)}, random ${f(privacy.randomMedianDcr)}, ratio ${f(privacy.dcrRatio)}`,
    `copies of real rows: ${f(privacy.copyShareRaw)} raw, ${f(privacy.copyShareBinned)} binned`,
    privacy.closerToTraining === undefined
      ? "closer to training than holdout: no holdout"
      : `closer to training than holdout: ${f(privacy.closerToTraining)}; holdout rows: DCR median ${f(privacy.holdoutMedianDcr)}, copies ${f(privacy.holdoutCopyShareRaw)}`,
    ...report.warnings.map((warning) => `warning: ${warning}`),
  ];
  if (out) lines.push(`report written to ${out}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
