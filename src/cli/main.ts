import { Command, CommanderError } from "commander";
import { errorBody, MedsimError } from "../util/errors.js";
import { registerCaseCommands } from "./commands/cases.js";
import { registerModelCommands } from "./commands/model.js";
import { registerExportCommands } from "./commands/export.js";
import { registerEvalCommands } from "./commands/eval.js";
import { registerChatCommand } from "./commands/chat.js";
import { registerGenerateCommand } from "./commands/generate.js";
import { registerPersonaCommands } from "./commands/personas.js";
import { registerSynthCommands } from "./commands/synth.js";
import { registerKnowledgeCommands } from "./commands/knowledge.js";
import { registerDataCommands } from "./commands/data.js";
import { registerCaseImportCommand } from "./commands/cases-import.js";
import { registerTrainCommands } from "./commands/train.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerFeedbackCommand } from "./commands/feedback.js";
import { registerEhrPrivateCommands } from "./commands/ehr-private.js";
import { registerEhrCommands } from "./commands/ehr.js";
import { CliUsageError } from "./output.js";

/**
 * Builds the `medsim` program. Each command group lives in `commands/<group>.ts` and registers
 * itself here; a new group adds one import and one line to the list below.
 */
export function createProgram(): Command {
  const program = new Command("medsim")
    .description("Simulated patients, synthetic training data and LoRA fine-tuning for medical education")
    .version("0.1.0")
    // Set before the commands are added, so that they inherit it: a usage mistake in any
    // subcommand reaches main's handler instead of calling process.exit, and is one line.
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`medsim: ${text.trim().replace(/^error: /, "")} (see --help)\n`),
    });
  registerChatCommand(program);
  registerGenerateCommand(program);
  registerPersonaCommands(program);
  registerCaseCommands(program);
  registerSynthCommands(program);
  registerKnowledgeCommands(program);
  registerDataCommands(program);
  registerCaseImportCommand(program);
  registerModelCommands(program);
  registerExportCommands(program);
  registerEvalCommands(program);
  registerTrainCommands(program);
  registerServeCommand(program);
  registerFeedbackCommand(program);
  registerEhrPrivateCommands(program);
  registerEhrCommands(program);
  return program;
}

/** Whether the command line asks for JSON output (`--json` before any `--`). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/**
 * Writes a failure: one line on stderr (`medsim: ...`) and, with `--json`, the error object
 * `{"error":{"code","message"}}` on stdout, so a script reading stdout always gets JSON.
 */
function reportError(error: unknown, json: boolean, alreadyPrinted = false): void {
  const body = errorBody(error);
  if (!alreadyPrinted)
    process.stderr.write(
      error instanceof MedsimError
        ? `medsim: ${body.error.message}\n`
        : `medsim: unexpected error: ${body.error.message}\n`,
    );
  if (json) process.stdout.write(`${JSON.stringify(body)}\n`);
}

/**
 * Runs the CLI and returns the exit code. The one place where errors become output: every
 * error prints one line (`medsim: ...`; with `--json` also the error object on stdout), the
 * stack only under MEDSIM_DEBUG=1. Exit code 2 for a usage mistake, 1 for any other failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  // A command that printed its own report and failed (e.g. `cases validate`) sets exitCode; keep
  // it from leaking into the next run when the CLI runs in-process (tests, embedding).
  const outerExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    const json = wantsJson(argv);
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help text, exit code 0).
      if (error.exitCode === 0) return 0;
      reportError(new CliUsageError(error.message.replace(/^error: /, "")), json, true);
      return 2;
    }
    reportError(error, json);
    if (!(error instanceof MedsimError) && process.env.MEDSIM_DEBUG === "1" && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return error instanceof CliUsageError ? 2 : 1;
  } finally {
    process.exitCode = outerExitCode;
  }
}
