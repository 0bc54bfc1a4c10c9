import { Option, type Command } from "commander";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { stringify as toYaml } from "yaml";
import type { Persona } from "../../domain/index.js";
import { formatQaPrompt, QaRecordSchema, writeDialogues, writeJsonl } from "../../datasets/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { cases as caseCatalog, personas as personaCatalog } from "../../library/index.js";
import {
  createTeacherParaphraser,
  createTeacherResponder,
  dialogueStats,
  generateCaseSet,
  generateQaPairs,
  SPLITS,
  synthesizeDialogues,
  type DialogueCase,
  type TeacherResponder,
} from "../../synth/index.js";
import type { KnowledgeBase } from "../../knowledge/index.js";
import { FileError } from "../../util/errors.js";
import { readStructuredFile, writeFileAtomic } from "../../util/files.js";
import { CliUsageError, parseInteger, parseNumber, printJson } from "../output.js";
import { createProgressBar } from "../progress.js";
import { addEngineOptions, engineFromFlags, type EngineFlags } from "../engine-options.js";

interface CaseSourceFlags {
  source: string;
  cases?: string;
  casesPerDisease: number;
  population: string;
  diseases?: string;
  seed: number;
  knowledge?: string;
}

export function registerSynthCommands(program: Command): void {
  const group = program
    .command("synth")
    .description("generate synthetic training data: cases, dialogues, clinical Q&A");

  group
    .command("cases")
    .description("sample case scripts from the disease knowledge base and write them as YAML files")
    .requiredOption("--out <dir>", "folder for the case files (and manifest.json)")
    .option("--per-disease <n>", "cases per disease", parseInteger("--per-disease", 1, 1000), 3)
    .option("--population <name>", "india or global", "india")
    .option("--diseases <ids>", "comma-separated disease ids (default: all)")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--seed <n>", "random seed", parseInteger("--seed", 0), 1)
    .option("--json", "print a JSON summary")
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
        const paths: string[] = [];
        for (const item of generated) {
          const path = join(options.out, `${item.patientCase.id}.yaml`);
          await writeFileAtomic(path, toYaml(item.patientCase, { lineWidth: 0 }));
          paths.push(path);
        }
        const manifest = join(options.out, "manifest.json");
        await writeFileAtomic(
          manifest,
          `${JSON.stringify(
            generated.map((item) => ({
              caseId: item.patientCase.id,
              diseaseId: item.diseaseId,
              personaId: item.personaId,
            })),
            null,
            2,
          )}\n`,
        );
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

  const dialogues = group
    .command("dialogues")
    .description("synthesise doctor-patient dialogues (offline by default; --engine for a teacher model)")
    .requiredOption("--out <path>", "output file (chat, medsim) or folder (persona-pairs)")
    .option("--count <n>", "number of dialogues", parseInteger("--count", 1, 10_000_000), 100)
    .addOption(
      new Option("--format <format>", "output format").choices(["chat", "medsim", "persona-pairs"]).default("chat"),
    )
    .option("--seed <n>", "random seed (same seed, same bytes)", parseInteger("--seed", 0), 1)
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
    .option(
      "--cases-per-disease <n>",
      "knowledge source: cases per disease",
      parseInteger("--cases-per-disease", 1, 1000),
      3,
    )
    .option("--population <name>", "knowledge source: india or global", "india")
    .option("--diseases <ids>", "knowledge source: comma-separated disease ids (default: all)")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--min-turns <n>", "fewest doctor turns", parseInteger("--min-turns", 2, 100), 6)
    .option("--max-turns <n>", "most doctor turns", parseInteger("--max-turns", 2, 100), 16)
    .option("--split", "also write <name>.train/.validation/.test files (split by case)")
    .option("--json", "print a JSON summary");
  addTeacherOptions(dialogues).action(
    async (
      options: CaseSourceFlags &
        EngineFlags & { attempts: number; teacherMode: "turn" | "dialogue" } & {
          out: string;
          count: number;
          format: "chat" | "medsim" | "persona-pairs";
          personas?: string;
          minTurns: number;
          maxTurns: number;
          split?: boolean;
          json?: boolean;
        },
    ) => {
      if (options.minTurns > options.maxTurns)
        throw new CliUsageError(`--min-turns (${options.minTurns}) must not exceed --max-turns (${options.maxTurns})`);
      if (options.split && options.format === "persona-pairs")
        throw new CliUsageError("--split works with the chat and medsim formats");
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
        const written = await writeDialogues(options.out, options.format, result.dialogues, personas, generator);
        const paths = [...written.paths];
        if (options.split) {
          for (const split of SPLITS) {
            const path = join(
              dirname(options.out),
              `${basename(options.out, extname(options.out))}.${split}${extname(options.out) || ".jsonl"}`,
            );
            await writeDialogues(
              path,
              options.format,
              result.dialogues.filter((dialogue) => dialogue.split === split),
              personas,
              generator,
            );
            paths.push(path);
          }
        }
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
        else {
          process.stdout.write(
            `wrote ${result.dialogues.length} dialogues (${written.records} records, ${options.format}) to ${paths.join(", ")}\n`,
          );
          process.stdout.write(
            `personas: ${Object.entries(stats.perPersona)
              .map(([id, n]) => `${id} ${n}`)
              .join(", ")}\n`,
          );
          process.stdout.write(
            `splits: ${Object.entries(stats.perSplit)
              .map(([id, n]) => `${id} ${n}`)
              .join(
                ", ",
              )}; duplicates removed: ${result.duplicatesRemoved.exact} exact, ${result.duplicatesRemoved.near} near; rejected: ${result.rejected.count}\n`,
          );
        }
        if (result.unfilled > 0)
          process.stderr.write(
            `medsim: ${result.unfilled} of ${options.count} dialogues could not be generated (duplicates or rejected turns)\n`,
          );
      } finally {
        progress.stop();
        await teacher?.dispose();
        await teacher?.engine.dispose();
      }
    },
  );

  const qa = group
    .command("qa")
    .description("generate clinical Q&A pairs for the assistant model from the knowledge base (qa JSONL)")
    .requiredOption("--out <file>", "output JSONL file")
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
    .option("--seed <n>", "random seed (same seed, same bytes)", parseInteger("--seed", 0), 1)
    .option("--json", "print a JSON summary");
  addEngineOptions(qa).action(
    async (
      options: EngineFlags & {
        out: string;
        perDisease: number;
        paraphrase?: boolean;
        diseases?: string;
        knowledge?: string;
        threshold: number;
        prompt?: boolean;
        seed: number;
        json?: boolean;
      },
    ) => {
      const kb = await loadKnowledgeBase(options.knowledge);
      // With --engine, a teacher model paraphrases; otherwise the offline paraphraser does.
      const engine =
        options.paraphrase && options.engine && options.engine !== "scripted"
          ? await engineFromFlags(options)
          : undefined;
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
    },
  );
}

async function selectPersonas(ids: string | undefined): Promise<Persona[]> {
  const list = splitList(ids);
  if (!list) return personaCatalog.list();
  return Promise.all(list.map((id) => personaCatalog.get(id)));
}

async function caseSource(options: CaseSourceFlags, personas: readonly Persona[]): Promise<DialogueCase[]> {
  if (options.cases) return casesFromFolder(options.cases);
  if (options.source === "library")
    return (await caseCatalog.list()).map((patientCase) => ({ patientCase, diseaseId: patientCase.id }));
  const kb = await loadKnowledgeBase(options.knowledge);
  return generateCaseSet(kb, personas, {
    perDisease: options.casesPerDisease,
    population: options.population,
    diseases: splitList(options.diseases),
    seed: options.seed,
  });
}

/** Case files of a folder, sorted by name; the disease comes from manifest.json or the diagnosis. */
async function casesFromFolder(directory: string): Promise<DialogueCase[]> {
  let names: string[];
  try {
    names = (await readdir(directory))
      .filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== "manifest.json")
      .sort();
  } catch {
    throw new FileError(directory, "cannot read the case folder");
  }
  if (names.length === 0) throw new FileError(directory, "no case files (.yaml, .yml or .json) in the folder");
  const manifestPath = join(directory, "manifest.json");
  const manifest = existsSync(manifestPath) ? await readStructuredFile(manifestPath) : [];
  const diseaseOf = new Map(
    (Array.isArray(manifest) ? manifest : []).map((item: { caseId?: string; diseaseId?: string }) => [
      item.caseId,
      item.diseaseId,
    ]),
  );
  const result: DialogueCase[] = [];
  for (const name of names) {
    const patientCase = await caseCatalog.loadFile(join(directory, name));
    result.push({
      patientCase,
      diseaseId:
        diseaseOf.get(patientCase.id) ?? patientCase.diagnosis.primary.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    });
  }
  return result;
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
