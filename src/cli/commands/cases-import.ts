import type { Command } from "commander";
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import { importAgentClinic, type LineError } from "../../datasets/index.js";
import { writeFileAtomic } from "../../util/files.js";
import { printJson } from "../output.js";

/** Imports an AgentClinic OSCE file into a folder of case YAML files; prints a summary; sets the exit code. */
export async function importAgentClinicToFolder(file: string, out: string, json: boolean | undefined): Promise<void> {
  const result = await importAgentClinic(file);
  const files: string[] = [];
  for (const patientCase of result.cases) {
    const path = join(out, `${patientCase.id}.yaml`);
    await writeFileAtomic(path, toYaml(patientCase, { lineWidth: 0 }));
    files.push(path);
  }
  reportLineErrors(result.errors);
  const summary = {
    kind: "agentclinic",
    imported: result.cases.length,
    failed: result.errors.length,
    errors: result.errors,
    redactedFacts: result.redacted.reduce((sum, item) => sum + item.facts, 0),
    out,
    files: files.length,
  };
  if (json) printJson(summary);
  else
    process.stdout.write(
      `imported ${summary.imported} cases into ${out}${summary.failed ? `; ${summary.failed} lines failed` : ""}\n`,
    );
  if (result.errors.length > 0) process.exitCode = 1;
}

/** One line per bad input line on stderr (`medsim: file:line: field: message`). */
export function reportLineErrors(errors: readonly LineError[]): void {
  for (const error of errors) process.stderr.write(`medsim: ${error.message}\n`);
}

/** Adds `medsim cases import agentclinic <file> --out <dir>` to the existing `cases` group. */
export function registerCaseImportCommand(program: Command): void {
  const cases =
    program.commands.find((command) => command.name() === "cases") ??
    program.command("cases").description("case scripts");
  const group = cases.command("import").description("import case scripts from other formats");
  group
    .command("agentclinic")
    .description(
      "import AgentClinic OSCE cases (JSONL) as case YAML files; bad lines are reported and skipped (exit 1)",
    )
    .argument("<file>", "AgentClinic JSONL file")
    .requiredOption("--out <dir>", "folder for the case files")
    .option("--json", "print a JSON summary")
    .action((file: string, options: { out: string; json?: boolean }) =>
      importAgentClinicToFolder(file, options.out, options.json),
    );
}
