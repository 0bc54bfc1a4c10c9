import { Option, type Command } from "commander";
import { createEngine, ENGINE_NAMES, type EngineName, type PatientEngine } from "../engines/index.js";
import { DEFAULT_LLAMA_MODEL } from "../engines/llama/index.js";
import { MedsimError } from "../util/errors.js";
import { PatientSimulator, type PatientSimulatorOptions } from "../simulator/index.js";
import { cases, personas } from "../library/index.js";
import { parseInteger, parseNumber } from "./output.js";
import { createProgressBar } from "./progress.js";

export interface EngineFlags {
  engine?: EngineName;
  model?: string;
  adapter?: string;
  host?: string;
  baseUrl?: string;
  apiKey?: string;
}

/** Adds the engine flags shared by `chat` and `generate`. */
export function addEngineOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--engine <engine>", "llama (default), ollama, openai or scripted (offline)").choices([
        ...ENGINE_NAMES,
      ]),
    )
    .option(
      "--model <model>",
      `llama: GGUF file or hf: URI (default ${DEFAULT_LLAMA_MODEL}); ollama: tag; openai: model name`,
    )
    .option("--adapter <file>", "llama: a LoRA adapter GGUF to apply")
    .option("--host <url>", "ollama: server address (default $OLLAMA_HOST or http://127.0.0.1:11434)")
    .option("--base-url <url>", "openai: base URL up to /v1 (default http://127.0.0.1:8080/v1)")
    .option("--api-key <key>", "openai: API key (default $OPENAI_API_KEY)");
}

/** The flags of the commands that talk to one patient (`chat`, `generate`). */
export interface PatientFlags extends EngineFlags {
  case: string;
  persona: string;
  systemPrompt?: "full" | "compact";
  seed?: number;
  temperature?: number;
}

/** `--seed` and `--temperature`, the sampling flags of `chat` and `generate`. */
function addSamplingOptions(command: Command): Command {
  return command
    .option("--seed <n>", "sampling seed", parseInteger("--seed", 0))
    .option("--temperature <t>", "sampling temperature (default 0.7)", parseNumber("--temperature", 0, 5));
}

/** The case, persona and engine a patient command's flags name (the engine last: it is the slow one to load). */
export async function patientFromFlags(flags: PatientFlags) {
  const patientCase = await cases.get(flags.case);
  const persona = await personas.get(flags.persona);
  const engine = await engineFromFlags(flags);
  return { patientCase, persona, engine };
}

/** `--system-prompt full|compact`, for the commands that open a patient session (`chat`, `generate`). */
function addSystemPromptOption(command: Command): Command {
  return command.addOption(
    new Option(
      "--system-prompt <style>",
      "full (default) or compact: the case facts without the persona's manner and rules, for an adapter fine-tuned on medsim dialogues",
    ).choices(["full", "compact"]),
  );
}

/** The flags of every command that opens a patient session (`chat`, `generate`): sampling, engine, system prompt. */
export function addPatientSessionOptions(command: Command): Command {
  return addSystemPromptOption(addEngineOptions(addSamplingOptions(command)));
}

/**
 * Opens a patient session, showing the language model's evaluation of the system prompt as a
 * progress bar (the first session of a case and persona; later ones reuse it).
 */
export async function openSimulator(
  options: Omit<PatientSimulatorOptions, "onProgress" | "systemPromptStyle">,
  systemPromptStyle: "full" | "compact" = "full",
): Promise<PatientSimulator> {
  const progress = createProgressBar();
  try {
    return await PatientSimulator.create({
      ...options,
      systemPromptStyle,
      onProgress: progress.onProgress,
    });
  } finally {
    progress.stop();
  }
}

/**
 * Creates the engine the flags ask for. When no engine was named and the default llama model
 * cannot be had (offline, no disk space), falls back to the scripted engine and says so on stderr.
 */
export async function engineFromFlags(flags: EngineFlags): Promise<PatientEngine> {
  const progress = createProgressBar();
  try {
    return await createEngine({ ...flags, engine: flags.engine ?? "llama", onProgress: progress.onProgress });
  } catch (error) {
    if (flags.engine !== undefined || !(error instanceof MedsimError)) throw error;
    process.stderr.write(
      `medsim: ${error.message}\nmedsim: no model could be had, so the offline scripted engine answers instead (use --engine or --model to choose)\n`,
    );
    return createEngine({ engine: "scripted" });
  } finally {
    progress.stop();
  }
}
