import { Command, CommanderError } from "commander";
import { MedsimError } from "../util/errors.js";
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
    .showHelpAfterError("(run with --help for usage)");
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

/**
 * Runs the CLI and returns the exit code. The one place where errors become output: a known
 * error prints one line (`medsim: ...`), an unexpected one too, with the stack only under
 * MEDSIM_DEBUG=1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  // A command that printed its own report and failed (e.g. `cases validate`) sets exitCode; keep
  // it from leaking into the next run when the CLI runs in-process (tests, embedding).
  const outerExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help text).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliUsageError) {
      process.stderr.write(`medsim: ${error.message}\n`);
      return 2;
    }
    if (error instanceof MedsimError) {
      process.stderr.write(`medsim: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`medsim: unexpected error: ${message.split("\n")[0]}\n`);
    if (process.env.MEDSIM_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  } finally {
    process.exitCode = outerExitCode;
  }
}
