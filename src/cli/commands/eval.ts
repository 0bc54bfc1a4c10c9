import type { Command } from "commander";
import { abortOnSigint } from "../interrupt.js";
import { computePerplexity, readChatJsonl } from "../../eval/index.js";
import {
  defaultPersonaModelPath,
  loadPersonaClassifier,
  savePersonaModel,
  SEED_PERSONAS,
  trainPersonaClassifier,
  type PersonaEvaluation,
} from "../../eval/persona/index.js";
import { evaluateQa, type QaEvaluation } from "../../eval/qa.js";
import { corpusBleu, corpusRouge, ROUGE_TYPES } from "../../eval/text/index.js";
import { QaRecordSchema } from "../../datasets/formats.js";
import { readJsonl } from "../../datasets/jsonl.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { createProgressBar } from "../progress.js";
import { MedsimError } from "../../util/errors.js";
import { readTextFile } from "../../util/files.js";
import { CliUsageError, parseInteger, printJson, printTable } from "../output.js";
import { registerEvalRunCommands } from "./eval-run.js";

/** Texts of a file: one per line, or with `.jsonl` one JSON string per line (so a text may hold newlines). */
async function readTexts(path: string, flag: string): Promise<string[]> {
  const content = await readTextFile(path);
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  if (!/\.jsonl$/i.test(path)) return lines;
  return lines.map((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MedsimError("invalid_input", `${flag} ${path}:${index + 1}: expected a JSON string`);
    }
    if (typeof value === "string") return value;
    if (value && typeof value === "object" && typeof (value as { text?: unknown }).text === "string")
      return (value as { text: string }).text;
    throw new MedsimError("invalid_input", `${flag} ${path}:${index + 1}: expected a JSON string or {"text": ...}`);
  });
}

function confusionRows(evaluation: PersonaEvaluation): string[][] {
  return [
    ["true \\ predicted", ...evaluation.personas],
    ...evaluation.personas.map((truth) => [
      truth,
      ...evaluation.personas.map((p) => String(evaluation.confusion[truth]![p])),
    ]),
  ];
}

/** `medsim eval …`: measurements of a model (+ adapter) by llama.cpp, independent of the trainer. */
export function registerEvalCommands(program: Command): void {
  const group = program.command("eval").description("evaluate a model (and LoRA adapter) with llama.cpp");
  registerEvalPerplexity(group);
  registerEvalRouge(group);
  registerEvalPersona(group);
  registerEvalQa(group);
  registerEvalRunCommands(group);
}

/** `medsim eval perplexity`: perplexity of the patient tokens, by llama.cpp. */
function registerEvalPerplexity(group: Command): void {
  group
    .command("perplexity")
    .description("perplexity on the assistant (patient) tokens of chat JSONL conversations, computed by llama.cpp")
    .requiredOption("--model <gguf>", "base model GGUF")
    .option("--adapter <gguf>", "LoRA adapter GGUF applied by llama.cpp")
    .requiredOption("--data <file>", 'chat JSONL: {"messages":[{"role","content"}],"meta":{}} per line')
    .option(
      "--max-tokens <n>",
      "cut longer conversations (default: the model's context)",
      parseInteger("--max-tokens", 2),
    )
    .option("--per-conversation", "with --json: include each conversation's NLL and token count")
    .option("--json", "print the result as JSON")
    .action(runEvalPerplexity);
}

interface EvalPerplexityFlags {
  model: string;
  adapter?: string;
  data: string;
  maxTokens?: number;
  perConversation?: boolean;
  json?: boolean;
}

async function runEvalPerplexity(flags: EvalPerplexityFlags): Promise<void> {
  const records = await readChatJsonl(flags.data);
  const progress = createProgressBar({ quiet: flags.json });
  const result = await computePerplexity({
    model: flags.model,
    conversations: records,
    ...(flags.adapter === undefined ? {} : { adapters: [flags.adapter] }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
    onProgress: progress.onProgress,
  }).finally(progress.stop);
  const { perConversation, ...summary } = result;
  const report = {
    model: flags.model,
    adapter: flags.adapter ?? null,
    data: flags.data,
    ...summary,
    ...(flags.perConversation ? { perConversation } : {}),
  };
  if (flags.json) return printJson(report);
  printTable([
    ["perplexity", result.perplexity.toFixed(4)],
    ["mean NLL", `${result.meanNll.toFixed(5)} nats/token`],
    ["scored tokens", `${result.tokens} assistant tokens in ${result.conversations} conversations`],
    ...(result.truncatedConversations > 0
      ? [["truncated", `${result.truncatedConversations} conversations cut at the context length`]]
      : []),
  ]);
}

/** `medsim eval rouge`: ROUGE (and BLEU) of predictions against references. */
function registerEvalRouge(group: Command): void {
  group
    .command("rouge")
    .description("ROUGE-1/2/L/Lsum as the rouge-score package computes them (means over line pairs)")
    .requiredOption("--pred <file>", "predictions, one per line (.jsonl: one JSON string per line)")
    .requiredOption("--ref <file>", "references, one per line, in the same order")
    .option("--stem", "Porter-stem tokens longer than 3 characters (rouge-score's use_stemmer)")
    .option("--bootstrap <n>", "add a 95% bootstrap interval from n resamples", parseInteger("--bootstrap", 1))
    .option("--bleu", "also sacreBLEU's default corpus BLEU")
    .option("--json", "print the result as JSON")
    .action(runEvalRouge);
}

interface EvalRougeFlags {
  pred: string;
  ref: string;
  stem?: boolean;
  bootstrap?: number;
  bleu?: boolean;
  json?: boolean;
}

async function runEvalRouge(flags: EvalRougeFlags): Promise<void> {
  const [predictions, references] = await Promise.all([readTexts(flags.pred, "--pred"), readTexts(flags.ref, "--ref")]);
  if (predictions.length !== references.length)
    throw new MedsimError(
      "invalid_input",
      `--pred ${flags.pred} has ${predictions.length} lines but --ref ${flags.ref} has ${references.length}; expected one reference per prediction`,
    );
  if (predictions.length === 0) throw new MedsimError("invalid_input", `--pred ${flags.pred}: no lines`);
  const result = corpusRouge(predictions, references, {
    stem: flags.stem ?? false,
    bootstrap: flags.bootstrap ?? 0,
  });
  const report = {
    ...result.mean,
    count: result.count,
    ...(result.interval ? { interval: result.interval } : {}),
    ...(flags.bleu ? { bleu: corpusBleu(predictions, [references]) } : {}),
  };
  if (flags.json) return printJson(report);
  printTable([
    ["", "precision", "recall", "f1"],
    ...ROUGE_TYPES.map((type) => [
      type,
      result.mean[type].precision.toFixed(4),
      result.mean[type].recall.toFixed(4),
      result.mean[type].f1.toFixed(4),
    ]),
    ["pairs", String(result.count), "", ""],
    ...(flags.bleu ? [["BLEU", corpusBleu(predictions, [references]).score.toFixed(2), "", ""]] : []),
  ]);
}

/** `medsim eval persona`: classify a reply, or train and score the classifier. */
function registerEvalPersona(group: Command): void {
  group
    .command("persona")
    .description("which persona a reply sounds like (--text), or train and score the classifier (--train)")
    .option("--text <reply>", "a patient reply to classify")
    .option("--personas <ids>", `choose among these (comma-separated, or all)`, SEED_PERSONAS.join(","))
    .option("--model <file>", "classifier JSON (default: the shipped data/eval/persona-classifier.json)")
    .option("--train", "generate fresh synthetic data, train, and report held-out accuracy and confusion")
    .option("--out <file>", `with --train: write the model here (the shipped one is ${defaultPersonaModelPath})`)
    .option("--dialogues <n>", "with --train: synthetic dialogues to generate", parseInteger("--dialogues", 16), 480)
    .option("--seed <n>", "with --train: data and training seed", parseInteger("--seed", 0), 11)
    .option("--json", "print the result as JSON")
    .action(runEvalPersona);
}

interface EvalPersonaFlags {
  text?: string;
  personas: string;
  model?: string;
  train?: boolean;
  out?: string;
  dialogues: number;
  seed: number;
  json?: boolean;
}

async function runEvalPersona(flags: EvalPersonaFlags): Promise<void> {
  if (flags.train) {
    const result = await trainPersonaClassifier({ dialogues: flags.dialogues, seed: flags.seed });
    if (flags.out) await savePersonaModel(result.model, flags.out);
    const report = {
      held_out: {
        all_personas: result.heldOut.all,
        seed_personas: result.heldOut.seed,
      },
      training: result.model.training,
      ...(flags.out ? { model: flags.out } : {}),
    };
    if (flags.json) return printJson(report);
    process.stdout.write(
      `held-out accuracy: ${result.heldOut.seed.accuracy.toFixed(3)} on the seed personas (${result.heldOut.seed.count} replies), ${result.heldOut.all.accuracy.toFixed(3)} on all ${result.heldOut.all.personas.length}\n`,
    );
    printTable(confusionRows(result.heldOut.seed));
    return;
  }
  if (flags.text === undefined) throw new CliUsageError("eval persona: give --text <reply> or --train");
  const classifier = await loadPersonaClassifier(flags.model);
  const among =
    flags.personas === "all"
      ? undefined
      : flags.personas
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean);
  const prediction = classifier.classify(flags.text, among);
  if (flags.json) return printJson(prediction);
  printTable(
    Object.entries(prediction.scores)
      .sort((a, b) => b[1] - a[1])
      .map(([id, p]) => [id, p.toFixed(3)]),
  );
}

/** `medsim eval qa`: the Q&A assistant scored against references. */
function registerEvalQa(group: Command): void {
  group
    .command("qa")
    .description(
      "the clinical Q&A assistant: answers by llama.cpp scored against references (ROUGE, structure, disease, see-a-doctor rule)",
    )
    .requiredOption("--model <gguf>", "base model GGUF")
    .option("--adapter <gguf>", "LoRA adapter GGUF (the fine-tuned assistant)")
    .option("--baseline <which>", "with --adapter: base (also score the model without it) or none", "base")
    .requiredOption("--data <file>", 'test pairs, JSONL {"input_text","output_text"} (as synth qa writes them)')
    .option("--limit <n>", "score only the first n pairs", parseInteger("--limit", 1))
    .option("--max-tokens <n>", "most tokens an answer", parseInteger("--max-tokens", 1), 400)
    .option("--json", "print the result as JSON")
    .action(runEvalQa);
}

interface EvalQaFlags {
  model: string;
  adapter?: string;
  baseline: string;
  data: string;
  limit?: number;
  maxTokens: number;
  json?: boolean;
}

async function runEvalQa(flags: EvalQaFlags): Promise<void> {
  if (flags.baseline !== "base" && flags.baseline !== "none")
    throw new MedsimError("invalid_input", `--baseline: expected base or none, found "${flags.baseline}"`);
  const { records, errors } = await readJsonl(flags.data, QaRecordSchema);
  if (errors[0])
    throw new MedsimError(
      "invalid_input",
      `${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : ""}`,
    );
  if (records.length === 0) throw new MedsimError("invalid_input", `${flags.data}: no Q&A pairs found`);
  const chosen = records.slice(0, flags.limit ?? records.length);
  const kb = await loadKnowledgeBase();
  const runs = [
    { label: flags.adapter ? "fine-tuned" : "model", adapter: flags.adapter },
    ...(flags.adapter && flags.baseline === "base" ? [{ label: "base", adapter: undefined }] : []),
  ];
  const interrupt = abortOnSigint("scoring the answers so far");
  const progress = createProgressBar();
  const results: (QaEvaluation & { label: string })[] = [];
  try {
    for (const run of runs) {
      if (interrupt.signal.aborted) break;
      results.push({
        label: run.label,
        ...(await evaluateQa({
          model: flags.model,
          adapter: run.adapter,
          records: chosen,
          kb,
          maxTokens: flags.maxTokens,
          signal: interrupt.signal,
          onProgress: progress.onProgress,
        })),
      });
    }
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  if (interrupt.signal.aborted) process.exitCode = 130;
  const report = {
    data: flags.data,
    models: results.map(({ answers: _answers, ...rest }) => rest),
  };
  if (flags.json) return printJson(report);
  printTable([
    ["", ...results.map((result) => result.label)],
    ...(["rouge1", "rouge2", "rougeL", "rougeLsum"] as const).map((type) => [
      `${type} F1`,
      ...results.map((result) => result.rouge[type].f1.toFixed(4)),
    ]),
    ["structure compliance", ...results.map((result) => result.structure_compliance.toFixed(3))],
    ["disease top-1 accuracy", ...results.map((result) => result.disease_accuracy.toFixed(3))],
    ["see-a-doctor violations", ...results.map((result) => String(result.see_doctor_violations))],
    ["answers", ...results.map((result) => String(result.count))],
  ]);
}
