import { Option, type Command } from "commander";
import type { Persona } from "../../domain/index.js";
import {
  formatQaPrompt,
  QaRecordSchema,
  writeDialogueSplits,
  writeDialogues,
  writeJsonl,
} from "../../datasets/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { cases as caseCatalog, personas as personaCatalog } from "../../library/index.js";
import {
  createTeacherParaphraser,
  createTeacherResponder,
  dialogueStats,
  generateCaseSet,
  generateQaPairs,
  readCaseFolder,
  synthesizeDialogues,
  type DialogueCase,
  type TeacherResponder,
  writeCaseFolder,
} from "../../synth/index.js";
import type { KnowledgeBase } from "../../knowledge/index.js";
import { CliUsageError, parseInteger, parseNumber, printJson } from "../output.js";
import { createProgressBar } from "../progress.js";
import { addEngineOptions, engineFromFlags, type EngineFlags } from "../engine-options.js";

interface CaseSourceFlags {
  source: string;
  cases?: string;
  perDisease: number;
  casesPerDisease?: number;
  population: string;
  diseases?: string;
  seed: number;
  knowledge?: string;
}

/** `medsim synth cases|dialogues|qa`: synthetic training data. */
export function registerSynthCommands(program: Command): void {
  const group = program
    .command("synth")
    .description("generate synthetic training data: cases, dialogues, clinical Q&A");
  registerSynthCases(group);
  registerSynthDialogues(group);
  registerSynthQa(group);
}

const SEED_HELP = "random seed (same seed, same bytes)";
const JSON_HELP = "print a JSON summary";

/** A `synth` subcommand with its required output flag (each names its own kind of output). */
function synthCommand(group: Command, name: string, description: string, out: string, outHelp: string): Command {
  return group.command(name).description(description).requiredOption(out, outHelp);
}

/** `medsim synth cases`: case scripts sampled from the knowledge base, as a case folder. */
function registerSynthCases(group: Command): void {
  synthCommand(
    group,
    "cases",
    "sample case scripts from the disease knowledge base and write them as YAML files",
    "--out <dir>",
    "folder for the case files (and manifest.json)",
  )
    .option("--per-disease <n>", "cases per disease", parseInteger("--per-disease", 1, 1000), 3)
    .option("--population <name>", "india or global", "india")
    .option("--diseases <ids>", "comma-separated disease ids (default: all)")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--seed <n>", SEED_HELP, parseInteger("--seed", 0), 1)
    .option("--json", JSON_HELP)
    .action(
      async (options: {
        out: string;
        perDisease: number;
        population: string;
        diseases?: string;
        knowledge?: string;
        seed: number;
        json?: boolean;
      }) => {
        const kb = await loadKnowledgeBase(options.knowledge);
        const personas = await personaCatalog.list();
        const generated = generateCaseSet(kb, personas, {
          perDisease: options.perDisease,
          population: options.population,
          diseases: splitList(options.diseases),
          seed: options.seed,
        });
        const { manifest } = await writeCaseFolder(options.out, generated);
        const summary = {
          cases: generated.length,
          diseases: new Set(generated.map((item) => item.diseaseId)).size,
          perPersona: countBy(generated.map((item) => item.personaId)),
          out: options.out,
          manifest,
        };
        if (options.json) printJson(summary);
        else process.stdout.write(`wrote ${summary.cases} cases for ${summary.diseases} diseases to ${options.out}\n`);
      },
    );
}

/** `medsim synth dialogues`: doctor-patient dialogues, scripted or by a teacher model. */
function registerSynthDialogues(group: Command): void {
  const dialogues = synthCommand(
    group,
    "dialogues",
    "synthesise doctor-patient dialogues (offline by default; --engine for a teacher model)",
    "--out <path>",
    "output file (chat, medsim) or folder (persona-pairs)",
  )
    .option("--count <n>", "number of dialogues", parseInteger("--count", 1, 10_000_000), 100)
    .addOption(
      new Option("--format <format>", "output format").choices(["chat", "medsim", "persona-pairs"]).default("chat"),
    )
    .option("--seed <n>", SEED_HELP, parseInteger("--seed", 0), 1)
    .option("--personas <ids>", "comma-separated persona ids (default: all built-in)")
    .addOption(
      new Option("--source <source>", "knowledge: cases sampled from the knowledge base; library: the built-in cases")
        .choices(["knowledge", "library"])
        .default("knowledge"),
    )
    .option(
      "--cases <dir>",
      "use the case files in this folder instead (e.g. from synth cases or cases import); its manifest.json, if any, gives each case's disease",
    )
    .option("--per-disease <n>", "knowledge source: cases per disease", parseInteger("--per-disease", 1, 1000), 3)
    // The old name, kept working but hidden: `--per-disease` is the flag's name in every synth command.
    .addOption(new Option("--cases-per-disease <n>").argParser(parseInteger("--cases-per-disease", 1, 1000)).hideHelp())
    .option("--population <name>", "knowledge source: india or global", "india")
    .option("--diseases <ids>", "knowledge source: comma-separated disease ids (default: all)")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--min-turns <n>", "fewest doctor turns", parseInteger("--min-turns", 2, 100), 6)
    .option("--max-turns <n>", "most doctor turns", parseInteger("--max-turns", 2, 100), 16)
    .option("--split", "also write <name>.train/.validation/.test files (split by case)")
    .addOption(
      new Option(
        "--system-prompt <style>",
        "chat format: the system prompt of each record: full (the simulator's default prompt) or compact (for an adapter to run with chat --system-prompt compact; about a third of the tokens)",
      )
        .choices(["full", "compact"])
        .default("full"),
    )
    .option("--json", JSON_HELP);
  addTeacherOptions(dialogues).action(runSynthDialogues);
}

/** `medsim synth qa`: clinical Q&A pairs from the knowledge base. */
function registerSynthQa(group: Command): void {
  const qa = synthCommand(
    group,
    "qa",
    "generate clinical Q&A pairs for the assistant model from the knowledge base (qa JSONL)",
    "--out <file>",
    "output JSONL file",
  )
    .option("--per-disease <n>", "samples per disease", parseInteger("--per-disease", 1, 100_000), 15)
    .option("--paraphrase", "add a paraphrased twin of every sample (offline paraphraser)")
    .option("--diseases <ids>", "comma-separated disease ids (default: all)")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option(
      "--threshold <score>",
      "severity score above which a doctor is recommended",
      parseNumber("--threshold", 0),
      13,
    )
    .option("--prompt", "also write the prompt layout (### Input / ### Output) in a text field")
    .option("--seed <n>", SEED_HELP, parseInteger("--seed", 0), 1)
    .option("--json", JSON_HELP);
  addEngineOptions(qa).action(runSynthQa);
}

async function selectPersonas(ids: string | undefined): Promise<Persona[]> {
  const list = splitList(ids);
  if (!list) return personaCatalog.list();
  return Promise.all(list.map((id) => personaCatalog.get(id)));
}

async function caseSource(options: CaseSourceFlags, personas: readonly Persona[]): Promise<DialogueCase[]> {
  if (options.cases) return readCaseFolder(options.cases);
  if (options.source === "library")
    return (await caseCatalog.list()).map((patientCase) => ({ patientCase, diseaseId: patientCase.id }));
  const kb = await loadKnowledgeBase(options.knowledge);
  return generateCaseSet(kb, personas, {
    perDisease: options.casesPerDisease ?? options.perDisease,
    population: options.population,
    diseases: splitList(options.diseases),
    seed: options.seed,
  });
}

/** `--engine` and friends make a teacher model write the patient turns; without them the scripted engine does. */
function addTeacherOptions(command: Command): Command {
  return addEngineOptions(command)
    .option(
      "--attempts <n>",
      "teacher: tries per patient turn (per dialogue with --teacher-mode dialogue) before the dialogue is dropped",
      parseInteger("--attempts", 1, 20),
      2,
    )
    .addOption(
      new Option("--teacher-mode <mode>", "teacher: one request per patient turn, or one per dialogue")
        .choices(["turn", "dialogue"])
        .default("turn"),
    );
}

async function teacherFromFlags(
  flags: EngineFlags & { attempts: number; teacherMode: "turn" | "dialogue" },
  kb: KnowledgeBase,
): Promise<(TeacherResponder & { engine: { dispose(): Promise<void> } }) | undefined> {
  if (flags.engine === undefined || flags.engine === "scripted") return undefined;
  const engine = await engineFromFlags(flags);
  return Object.assign(
    createTeacherResponder({ engine, knowledgeBase: kb, attempts: flags.attempts, mode: flags.teacherMode }),
    { engine },
  );
}

function splitList(value: string | undefined): string[] | undefined {
  const list = value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}

function countBy(values: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of [...values].sort()) result[value] = (result[value] ?? 0) + 1;
  return result;
}

type DialoguesFlags = CaseSourceFlags &
  EngineFlags & { attempts: number; teacherMode: "turn" | "dialogue" } & {
    out: string;
    count: number;
    format: "chat" | "medsim" | "persona-pairs";
    personas?: string;
    minTurns: number;
    maxTurns: number;
    systemPrompt: "full" | "compact";
    split?: boolean;
    json?: boolean;
  };

/** Runs `medsim synth dialogues`: synthesizes, writes the output (and split files), prints the summary. */
async function runSynthDialogues(options: DialoguesFlags): Promise<void> {
  if (options.minTurns > options.maxTurns)
    throw new CliUsageError(`--min-turns (${options.minTurns}) must not exceed --max-turns (${options.maxTurns})`);
  if (options.split && options.format === "persona-pairs")
    throw new CliUsageError("--split works with the chat and medsim formats");
  if (options.systemPrompt === "compact" && options.format !== "chat")
    throw new CliUsageError(`--system-prompt compact works with the chat format (found --format ${options.format})`);
  const personas = await selectPersonas(options.personas);
  const kb = await loadKnowledgeBase(options.knowledge);
  const dialogueCases = await caseSource(options, personas);
  const teacher = await teacherFromFlags(options, kb);
  const responder = teacher;
  const progress = createProgressBar();
  try {
    const result = await synthesizeDialogues({
      cases: dialogueCases,
      personas,
      count: options.count,
      seed: options.seed,
      minTurns: options.minTurns,
      maxTurns: options.maxTurns,
      responder,
      onProgress: progress.onProgress,
    });
    progress.stop();
    const generator = responder?.name ?? "scripted";
    const written = await writeDialogues(
      options.out,
      options.format,
      result.dialogues,
      personas,
      generator,
      options.systemPrompt,
    );
    const paths = [...written.paths];
    // --split with persona-pairs is refused above.
    if (options.split && options.format !== "persona-pairs")
      paths.push(
        ...(await writeDialogueSplits(
          options.out,
          options.format,
          result.dialogues,
          personas,
          generator,
          options.systemPrompt,
        )),
      );
    const stats = dialogueStats(
      result.dialogues.map((dialogue) => ({
        personaId: dialogue.persona.id,
        diseaseId: dialogue.diseaseId,
        split: dialogue.split,
        doctorTurns: dialogue.turns.length / 2,
      })),
    );
    const summary = {
      format: options.format,
      generator,
      seed: options.seed,
      ...(options.format === "chat" ? { systemPrompt: options.systemPrompt } : {}),
      dialogues: result.dialogues.length,
      cases: dialogueCases.length,
      ...stats,
      records: written.records,
      duplicatesRemoved: result.duplicatesRemoved,
      rejected: result.rejected,
      ...(teacher ? { teacherTurns: teacher.stats } : {}),
      unfilled: result.unfilled,
      outputs: paths,
    };
    if (options.json) printJson(summary);
    else printDialoguesSummary(summary);
    if (result.unfilled > 0)
      process.stderr.write(
        `medsim: ${result.unfilled} of ${options.count} dialogues could not be generated (duplicates or rejected turns)\n`,
      );
  } finally {
    progress.stop();
    await teacher?.dispose();
    await teacher?.engine.dispose();
  }
}

type QaFlags = EngineFlags & {
  out: string;
  perDisease: number;
  paraphrase?: boolean;
  diseases?: string;
  knowledge?: string;
  threshold: number;
  prompt?: boolean;
  seed: number;
  json?: boolean;
};

/** Runs `medsim synth qa`: generates (and optionally paraphrases) Q&A pairs, writes qa JSONL, prints the summary. */
async function runSynthQa(options: QaFlags): Promise<void> {
  const kb = await loadKnowledgeBase(options.knowledge);
  // With --engine, a teacher model paraphrases; otherwise the offline paraphraser does.
  const engine =
    options.paraphrase && options.engine && options.engine !== "scripted" ? await engineFromFlags(options) : undefined;
  const paraphraser = engine
    ? createTeacherParaphraser({
        engine,
        context: { patientCase: (await caseCatalog.list())[0]!, persona: await personaCatalog.get("calm") },
      })
    : undefined;
  const progress = createProgressBar();
  const samples = await generateQaPairs(kb, {
    perDisease: options.perDisease,
    paraphrase: paraphraser ?? options.paraphrase,
    diseases: splitList(options.diseases),
    severityThreshold: options.threshold,
    seed: options.seed,
    onProgress: progress.onProgress,
  }).finally(async () => {
    progress.stop();
    await paraphraser?.dispose();
    await engine?.dispose();
  });
  const records = samples.map((sample) => ({
    input_text: sample.input_text,
    output_text: sample.output_text,
    ...(options.prompt ? { text: formatQaPrompt(sample.input_text, sample.output_text) } : {}),
    meta: {
      ...sample.meta,
      generator:
        sample.meta.variant === "paraphrase" && engine ? `teacher:${engine.name}:${engine.modelName}` : "knowledge",
    },
  }));
  await writeJsonl(options.out, records, QaRecordSchema);
  const critical = new Set(kb.diseases.filter((disease) => disease.critical).map((disease) => disease.id));
  const summary = {
    records: records.length,
    originals: samples.filter((sample) => sample.meta.variant === "original").length,
    paraphrases: samples.filter((sample) => sample.meta.variant === "paraphrase").length,
    diseases: new Set(samples.map((sample) => sample.meta.diseaseId)).size,
    perDisease: countBy(samples.map((sample) => sample.meta.diseaseId)),
    seeDoctor: samples.filter((sample) => sample.meta.seeDoctor).length,
    criticalDiseases: [...critical].sort(),
    criticalWithoutDoctor: samples.filter((sample) => critical.has(sample.meta.diseaseId) && !sample.meta.seeDoctor)
      .length,
    duplicatesRemoved: 0,
    outputs: [options.out],
  };
  if (options.json) printJson(summary);
  else
    process.stdout.write(
      `wrote ${summary.records} Q&A pairs (${summary.originals} original, ${summary.paraphrases} paraphrased) for ${summary.diseases} diseases to ${options.out}\n`,
    );
}

/** The text form of `medsim synth dialogues`'s summary. */
function printDialoguesSummary(summary: {
  dialogues: number;
  records: number;
  format: string;
  outputs: readonly string[];
  perPersona: Record<string, number>;
  perSplit: Record<string, number>;
  duplicatesRemoved: { exact: number; near: number };
  rejected: { count: number };
}): void {
  const counts = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([id, n]) => `${id} ${n}`)
      .join(", ");
  process.stdout.write(
    `wrote ${summary.dialogues} dialogues (${summary.records} records, ${summary.format}) to ${summary.outputs.join(", ")}\n` +
      `personas: ${counts(summary.perPersona)}\n` +
      `splits: ${counts(summary.perSplit)}; duplicates removed: ${summary.duplicatesRemoved.exact} exact, ${summary.duplicatesRemoved.near} near; rejected: ${summary.rejected.count}\n`,
  );
}
