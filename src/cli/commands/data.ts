import { Argument, Option, type Command } from "commander";
import {
  DATASET_FORMATS,
  datasetStats,
  formatQaPrompt,
  importQaTable,
  medsimToChat,
  MedsimRecordSchema,
  QaRecordSchema,
  readJsonl,
  ChatRecordSchema,
  writeJsonl,
  type DatasetFormat,
  type LineError,
} from "../../datasets/index.js";
import { personas } from "../../library/index.js";
import { MedsimError } from "../../util/errors.js";
import { printJson } from "../output.js";
import { importAgentClinicToFolder, reportLineErrors } from "./cases-import.js";

/** `medsim data import|stats`: training data sets in and out of medsim's formats. */
export function registerDataCommands(program: Command): void {
  const group = program.command("data").description("import and inspect training data sets");
  registerDataImport(group);
  registerDataStats(group);
}

/** `medsim data import`. */
function registerDataImport(group: Command): void {
  group
    .command("import")
    .description(
      "import a data set: qa-table (CSV/JSON with input/output columns), medsim (JSONL), agentclinic (OSCE JSONL)",
    )
    .addArgument(
      new Argument("<kind>", "qa-table, medsim or agentclinic").choices(["qa-table", "medsim", "agentclinic"]),
    )
    .argument("<file>", "the file to import")
    .requiredOption("--out <path>", "qa-table: qa JSONL file; medsim: JSONL file; agentclinic: folder of case files")
    .addOption(
      new Option("--format <format>", "medsim: write chat or medsim records")
        .choices(["chat", "medsim"])
        .default("medsim"),
    )
    .option("--prompt", "qa-table: also write the ### Input / ### Output layout in a text field")
    .option("--json", "print a JSON summary")
    .action(async (kind: "qa-table" | "medsim" | "agentclinic", file: string, options: ImportOptions) => {
      if (kind === "agentclinic") return importAgentClinicToFolder(file, options.out, options.json);
      if (kind === "qa-table") return importQaTableFile(file, options);
      return importMedsimFile(file, options);
    });
}

interface ImportOptions {
  out: string;
  format: "chat" | "medsim";
  prompt?: boolean;
  json?: boolean;
}

/** `data import qa-table`: a CSV/JSON table of questions and answers to qa JSONL. */
async function importQaTableFile(file: string, options: ImportOptions): Promise<void> {
  const result = await importQaTable(file);
  const records = result.records.map((record) => ({
    ...record,
    ...(options.prompt ? { text: formatQaPrompt(record.input_text, record.output_text) } : {}),
    meta: { generator: "import" },
  }));
  await writeJsonl(options.out, records, QaRecordSchema);
  const summary = {
    kind: "qa-table",
    rows: result.rows,
    imported: records.length,
    droppedMissing: result.droppedMissing,
    droppedDuplicates: result.droppedDuplicates,
    ignoredColumns: result.ignoredColumns,
    outputs: [options.out],
  };
  if (options.json) return printJson(summary);
  process.stdout.write(
    `imported ${summary.imported} of ${summary.rows} rows to ${options.out} (${summary.droppedMissing} with missing values dropped, ${summary.droppedDuplicates} duplicates dropped)\n`,
  );
}

/**
 * `data import medsim`: medsim JSONL, validated and written as medsim or chat records. Bad lines are
 * reported and skipped; the exit code is 1 if any was.
 */
async function importMedsimFile(file: string, options: ImportOptions): Promise<void> {
  const { records, errors } = await readJsonl(file, MedsimRecordSchema);
  const lineErrors: LineError[] = [...errors];
  const converted: unknown[] = [];
  for (const record of records) {
    if (options.format === "medsim") converted.push(record);
    else {
      try {
        converted.push(medsimToChat(record, await personas.get(record.meta?.personaId ?? "calm")));
      } catch (error) {
        if (!(error instanceof MedsimError)) throw error;
        lineErrors.push({
          line: 0,
          message: `${file}: record ${record.meta?.id ?? record.script.id}: ${error.message}`,
        });
      }
    }
  }
  await writeJsonl(options.out, converted, options.format === "chat" ? ChatRecordSchema : MedsimRecordSchema);
  reportLineErrors(lineErrors);
  const summary = {
    kind: "medsim",
    format: options.format,
    imported: converted.length,
    failed: lineErrors.length,
    errors: lineErrors,
    outputs: [options.out],
  };
  if (options.json) printJson(summary);
  else
    process.stdout.write(
      `imported ${summary.imported} records to ${options.out}${summary.failed ? `; ${summary.failed} failed` : ""}\n`,
    );
  if (lineErrors.length > 0) process.exitCode = 1;
}

/** `medsim data stats`. */
function registerDataStats(group: Command): void {
  group
    .command("stats")
    .description("validate a data set file and print its statistics (format detected from the content)")
    .argument("<file>", "chat/medsim/qa JSONL, or conversations.json (persona-pairs)")
    .addOption(new Option("--format <format>", "the file's format (default: detected)").choices([...DATASET_FORMATS]))
    .option("--json", "print the statistics as JSON")
    .action(async (file: string, options: { format?: DatasetFormat; json?: boolean }) => {
      const stats = await datasetStats(file, options.format);
      reportLineErrors(stats.invalid);
      if (options.json) printJson(stats);
      else {
        const out = (text: string) => process.stdout.write(`${text}\n`);
        out(
          `${file}: ${stats.records} valid ${stats.format} records, ${stats.invalid.length} invalid, ${stats.duplicates} exact duplicates`,
        );
        const counts = (label: string, record: Record<string, number> | undefined) =>
          record &&
          out(
            `${label}: ${Object.entries(record)
              .map(([key, value]) => `${key} ${value}`)
              .join(", ")}`,
          );
        counts("personas", stats.dialogues?.perPersona ?? stats.pairs?.perPersona);
        counts("diseases", stats.dialogues?.perDisease ?? stats.qa?.perDisease);
        counts("splits", stats.dialogues?.perSplit);
        if (stats.dialogues)
          out(
            `doctor turns: ${stats.dialogues.turns.min}-${stats.dialogues.turns.max}, mean ${stats.dialogues.turns.mean}`,
          );
      }
      if (stats.invalid.length > 0) process.exitCode = 1;
    });
}
