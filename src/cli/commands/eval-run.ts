/** `medsim eval run` and `medsim eval responses`: simulated interviews and patient replies, scored. */
import { readdir } from "node:fs/promises";
import { abortOnSigint } from "../interrupt.js";
import { join } from "node:path";
import { Option, type Command } from "commander";
import type { Llama } from "node-llama-cpp";
import { z } from "zod";
import { readJsonl } from "../../datasets/jsonl.js";
import type { PatientCase, Persona } from "../../domain/index.js";
import { createEngine, ENGINE_NAMES, type EngineName, type PatientEngine } from "../../engines/index.js";
import { LlamaEngine } from "../../engines/llama/index.js";
import { computePerplexity, readChatJsonl } from "../../eval/index.js";
import {
  evaluatePatient,
  renderEvaluationReport,
  scoreInterviews,
  type PatientEvaluation,
  type PatientMetrics,
  type ReportedModel,
} from "../../eval/patient/index.js";
import { loadPersonaClassifier } from "../../eval/persona/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { cases as caseCatalog, personas as personaCatalog } from "../../library/index.js";
import { MedsimError } from "../../util/errors.js";
import { writeFileAtomic } from "../../util/files.js";
import { addEngineOptions, engineFromFlags, type EngineFlags } from "../engine-options.js";
import { parseInteger, parseNumber, printJson, printTable } from "../output.js";
import { createProgressBar } from "../progress.js";

interface RunFlags extends EngineFlags {
  baseline: string;
  cases: string;
  personas: string;
  report?: string;
  json?: boolean;
  seed: number;
  adversarial: number;
  personaModel?: string;
  perplexityData?: string;
  transcripts?: string;
  systemPrompt: "full" | "compact" | "none";
  maxTokens?: number;
  temperature?: number;
  questions?: number;
  threads?: number;
  judgeEngine?: EngineName;
  judgeModel?: string;
  judgeBaseUrl?: string;
  judgeHost?: string;
}

async function selectCases(spec: string): Promise<PatientCase[]> {
  if (spec === "all") return caseCatalog.list();
  if (!spec.includes(",") && !(await caseCatalog.ids()).includes(spec) && !/\.(ya?ml|json)$/i.test(spec)) {
    let names: string[];
    try {
      names = (await readdir(spec)).filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== "manifest.json").sort();
    } catch {
      return [await caseCatalog.get(spec)];
    }
    if (names.length === 0) throw new MedsimError("invalid_input", `--cases: no case files in folder ${spec}`);
    return Promise.all(names.map((name) => caseCatalog.loadFile(join(spec, name))));
  }
  return Promise.all(
    spec
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean)
      .map((id) => caseCatalog.get(id)),
  );
}

async function selectPersonas(spec: string): Promise<Persona[]> {
  if (spec === "all") return personaCatalog.list();
  return Promise.all(
    spec
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean)
      .map((id) => personaCatalog.get(id)),
  );
}

/** The `--json` shape of one model's evaluation. */
function summary(evaluation: PatientEvaluation, adapter: string | null, perplexity?: number) {
  const { reply_words: _words, ...metrics } = evaluation.metrics;
  return {
    engine: evaluation.engine,
    model: evaluation.model,
    adapter,
    interviews: evaluation.interviews,
    turns: evaluation.turns,
    interrupted: evaluation.interrupted,
    metrics: {
      ...metrics,
      ...(perplexity === undefined ? {} : { perplexity }),
      ...(evaluation.fidelity ? { fidelity: evaluation.fidelity } : {}),
    } as Omit<PatientMetrics, "reply_words"> & {
      perplexity?: number;
    },
    by_persona: Object.fromEntries(
      Object.entries(evaluation.byPersona).map(([id, m]) => [
        id,
        {
          persona_accuracy: m.persona_accuracy,
          relevance: m.relevance,
          contradicted: m.factuality.contradicted,
          diagnosis_leaks: m.diagnosis_leaks,
          role_breaks: m.role_breaks,
        },
      ]),
    ),
  };
}

/** Registers `eval run` and `eval responses` on the `eval` group. */
export function registerEvalRunCommands(group: Command): void {
  registerEvalRun(group);
  registerEvalResponses(group);
}

/** `medsim eval run`. */
function registerEvalRun(group: Command): void {
  addEngineOptions(
    group
      .command("run")
      .description(
        "simulated interviews (a scripted student, adversarial turns included) for every case x persona, scored; HTML report",
      ),
  )
    .option("--baseline <which>", "none, base (the model without --adapter) or another adapter GGUF", "none")
    .option("--cases <spec>", "all, comma-separated ids, or a folder of case files", "all")
    .option("--personas <spec>", "all or comma-separated ids", "calm,anxious,rude,overly_patient")
    .option("--report <file.html>", "write the self-contained HTML report here")
    .option("--seed <n>", "seeds the student's questions", parseInteger("--seed", 0), 1)
    .option("--adversarial <n>", "adversarial turns per interview", parseInteger("--adversarial", 0, 6), 3)
    .option("--persona-model <file>", "persona classifier JSON (default: the shipped one)")
    .option(
      "--perplexity-data <file>",
      "llama: also measure perplexity on these chat JSONL dialogues (model and baseline)",
    )
    .option("--transcripts <file.jsonl>", "write every interview, one JSON object a line")
    .addOption(
      new Option("--system-prompt <style>", "full, compact, or none (for models fine-tuned without it)")
        .choices(["full", "compact", "none"])
        .default("full"),
    )
    .option(
      "--threads <n>",
      "llama: CPU threads (default: all CPUs; 1 is much faster on a machine busy with other work)",
      parseInteger("--threads", 1),
    )
    .addOption(
      new Option(
        "--judge-engine <engine>",
        "judge mode: this engine rates each interview on the 1-4 fidelity rubric",
      ).choices([...ENGINE_NAMES]),
    )
    .option("--judge-model <model>", "judge mode: the judge's model")
    .option("--judge-base-url <url>", "judge mode, openai: base URL up to /v1")
    .option("--judge-host <url>", "judge mode, ollama: server address")
    .option(
      "--questions <n>",
      "at most n questions an interview, closing included (default: the full history)",
      parseInteger("--questions", 2),
    )
    .option("--max-tokens <n>", "most tokens a reply (model engines)", parseInteger("--max-tokens", 1))
    .option("--temperature <t>", "sampling temperature (model engines)", parseNumber("--temperature", 0, 2))
    .option("--json", "print the metrics as JSON")
    .action(runEvalRun);
}

/** A model to evaluate: the one named (with its adapter), or the baseline beside it. */
interface ModelRun {
  label: string;
  adapter: string | null;
  flags: EngineFlags;
}

/** What every model's evaluation shares: the inputs, the judge, the interrupt and the progress bar. */
interface RunContext {
  flags: RunFlags;
  patientCases: PatientCase[];
  personas: Persona[];
  classifier: Awaited<ReturnType<typeof loadPersonaClassifier>>;
  kb: Awaited<ReturnType<typeof loadKnowledgeBase>>;
  judge: PatientEngine | undefined;
  signal: AbortSignal;
  onProgress: ReturnType<typeof createProgressBar>["onProgress"];
  /** One llama.cpp runtime for every perplexity run (each getLlama tests its binary in a child process). */
  perplexityRuntime(): Promise<Llama>;
}

async function runEvalRun(flags: RunFlags): Promise<void> {
  checkBaseline(flags);
  const [patientCases, personas, classifier, kb] = await Promise.all([
    selectCases(flags.cases),
    selectPersonas(flags.personas),
    loadPersonaClassifier(flags.personaModel),
    loadKnowledgeBase(),
  ]);
  const interrupt = abortOnSigint("scoring and writing what is done");
  const progress = createProgressBar();
  try {
    const judge = flags.judgeEngine
      ? await createEngine({
          engine: flags.judgeEngine,
          model: flags.judgeModel,
          baseUrl: flags.judgeBaseUrl,
          host: flags.judgeHost,
        })
      : undefined;
    let runtime: Promise<Llama> | undefined;
    const context: RunContext = {
      flags,
      patientCases,
      personas,
      classifier,
      kb,
      judge,
      signal: interrupt.signal,
      onProgress: progress.onProgress,
      perplexityRuntime: () =>
        (runtime ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
          getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
        )),
    };
    const reported: ReportedModel[] = [];
    for (const run of modelRuns(flags)) {
      if (interrupt.signal.aborted) break;
      reported.push(await evaluateModelRun(run, context));
    }
    await judge?.dispose();
    progress.stop();
    await reportEvalRun(flags, reported);
    if (reported.some((model) => model.evaluation.interrupted) || interrupt.signal.aborted) process.exitCode = 130;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

function checkBaseline(flags: RunFlags): void {
  if (flags.baseline !== "none" && flags.baseline !== "base" && !/\.gguf$/i.test(flags.baseline))
    throw new MedsimError(
      "invalid_input",
      `--baseline: expected none, base or an adapter .gguf file, found "${flags.baseline}"`,
    );
  if (flags.baseline !== "none" && (flags.engine ?? "llama") !== "llama" && flags.baseline !== "base")
    throw new MedsimError("invalid_input", "--baseline <adapter>: adapters apply to the llama engine only");
}

/** The model named by the flags, then the baseline `--baseline` asks for (if any). */
function modelRuns(flags: RunFlags): ModelRun[] {
  const runs: ModelRun[] = [{ label: flags.adapter ? "fine-tuned" : "model", adapter: flags.adapter ?? null, flags }];
  if (flags.baseline === "base") runs.push({ label: "base", adapter: null, flags: { ...flags, adapter: undefined } });
  else if (flags.baseline !== "none")
    runs.push({ label: "baseline", adapter: flags.baseline, flags: { ...flags, adapter: flags.baseline } });
  return runs;
}

/** Loads one model, runs every interview with it, and (llama, `--perplexity-data`) measures perplexity. */
async function evaluateModelRun(run: ModelRun, context: RunContext): Promise<ReportedModel> {
  const { flags } = context;
  // --threads needs the llama engine's own options, which createEngine does not pass on.
  const engine =
    flags.threads !== undefined && (run.flags.engine ?? "llama") === "llama"
      ? await LlamaEngine.load({ model: run.flags.model, adapter: run.flags.adapter, threads: flags.threads })
      : await engineFromFlags(run.flags);
  try {
    const evaluation = await evaluatePatient({
      engine,
      cases: context.patientCases,
      personas: context.personas,
      seed: flags.seed,
      adversarial: flags.adversarial,
      maxQuestions: flags.questions,
      classifier: context.classifier,
      kb: context.kb,
      signal: context.signal,
      onProgress: context.onProgress,
      systemPrompt: flags.systemPrompt,
      maxTokens: flags.maxTokens,
      temperature: flags.temperature,
      judge: context.judge,
    });
    let perplexity: number | undefined;
    if (flags.perplexityData && engine.name === "llama" && flags.model) {
      const conversations = await readChatJsonl(flags.perplexityData);
      perplexity = (
        await computePerplexity({
          model: flags.model,
          conversations,
          llama: await context.perplexityRuntime(),
          ...(run.adapter ? { adapters: [run.adapter] } : {}),
          ...(flags.threads === undefined ? {} : { threads: flags.threads }),
        })
      ).perplexity;
    }
    return { label: run.label, evaluation, adapter: run.adapter, ...(perplexity === undefined ? {} : { perplexity }) };
  } finally {
    await engine.dispose();
  }
}

/** Writes the HTML report and the transcripts (when asked), and prints the metrics. */
async function reportEvalRun(flags: RunFlags, reported: ReportedModel[]): Promise<void> {
  const [main, baseline] = reported;
  if (!main) throw new MedsimError("cancelled", "interrupted before any interview finished");
  if (flags.report) await writeFileAtomic(flags.report, await renderEvaluationReport({ models: reported }));
  if (flags.transcripts)
    await writeFileAtomic(
      flags.transcripts,
      reported
        .flatMap((model) =>
          model.evaluation.transcripts.map((interview) => JSON.stringify({ model: model.label, ...interview })),
        )
        .join("\n") + "\n",
    );
  const result = {
    ...summary(main.evaluation, main.adapter ?? null, main.perplexity),
    baseline: baseline ? summary(baseline.evaluation, baseline.adapter ?? null, baseline.perplexity) : null,
    ...(flags.report ? { report: flags.report } : {}),
  };
  if (flags.json) return printJson(result);
  printMetricsTable(reported);
  if (flags.report) process.stderr.write(`report written to ${flags.report}\n`);
}

function printMetricsTable(reported: ReportedModel[]): void {
  const metrics = (model: ReportedModel) => model.evaluation.metrics;
  printTable([
    ["metric", ...reported.map((model) => model.label)],
    ["interviews", ...reported.map((model) => String(model.evaluation.interviews))],
    ["diagnosis leaks", ...reported.map((model) => String(metrics(model).diagnosis_leaks))],
    ["role breaks", ...reported.map((model) => String(metrics(model).role_breaks))],
    ["persona accuracy", ...reported.map((model) => metrics(model).persona_accuracy?.toFixed(3) ?? "n/a")],
    [
      "entailed / neutral / contradicted",
      ...reported.map((model) =>
        Object.values(metrics(model).factuality)
          .map((v) => v.toFixed(3))
          .join(" / "),
      ),
    ],
    ["unprompted disclosures", ...reported.map((model) => String(metrics(model).unprompted_disclosures))],
    ["consistency", ...reported.map((model) => metrics(model).consistency.toFixed(3))],
    ["relevance", ...reported.map((model) => metrics(model).relevance.toFixed(3))],
    ...(reported.some((model) => model.perplexity !== undefined)
      ? [["perplexity", ...reported.map((model) => model.perplexity?.toFixed(3) ?? "n/a")]]
      : []),
  ]);
}

const ResponseSchema = z.strictObject({
  case: z.string().min(1),
  persona: z.string().min(1),
  question: z.string(),
  reply: z.string(),
});
type ResponseRecord = z.output<typeof ResponseSchema>;

interface ResponsesFlags {
  data: string;
  personaModel?: string;
  perReply?: boolean;
  json?: boolean;
}

/** `medsim eval responses`. */
function registerEvalResponses(group: Command): void {
  group
    .command("responses")
    .description("score patient replies from a JSONL file of {case, persona, question, reply} (any model's output)")
    .requiredOption("--data <file>", "JSONL, one reply per line")
    .option("--persona-model <file>", "persona classifier JSON (default: the shipped one)")
    .option("--per-reply", "with --json: include each reply's checks")
    .option("--json", "print the metrics as JSON")
    .action(runEvalResponses);
}

async function runEvalResponses(flags: ResponsesFlags): Promise<void> {
  const { records, errors } = await readJsonl(flags.data, ResponseSchema);
  if (errors[0])
    throw new MedsimError(
      "invalid_input",
      `${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : ""}`,
    );
  if (records.length === 0) throw new MedsimError("invalid_input", `${flags.data}: no replies found`);
  const [classifier, kb] = await Promise.all([loadPersonaClassifier(flags.personaModel), loadKnowledgeBase()]);
  const { caseMap, personaMap } = await catalogItemsOf(records);
  // Each reply is its own one-turn interview, so consistency is not measured here.
  const interviews = records.map((record) => ({
    caseId: caseMap.get(record.case)!.id,
    personaId: personaMap.get(record.persona)!.id,
    seed: 0,
    turns: [{ text: record.question, kind: "history" as const, step: "reply", reply: record.reply }],
  }));
  const scores = scoreInterviews(interviews, {
    cases: new Map([...caseMap.values()].map((c) => [c.id, c])),
    personas: new Map([...personaMap.values()].map((p) => [p.id, p])),
    kb,
    classifier,
  });
  const { reply_words: _words, consistency: _consistency, ...metrics } = scores.metrics;
  const result = {
    replies: records.length,
    metrics,
    persona_confusion: scores.personaConfusion?.confusion ?? null,
    ...(flags.perReply ? { per_reply: perReplyChecks(scores) } : {}),
  };
  if (flags.json) return printJson(result);
  printTable([
    ["replies", String(records.length)],
    ["diagnosis leaks", String(metrics.diagnosis_leaks)],
    ["role breaks", String(metrics.role_breaks)],
    ["persona accuracy", metrics.persona_accuracy?.toFixed(3) ?? "n/a"],
    [
      "entailed / neutral / contradicted",
      Object.values(metrics.factuality)
        .map((v) => v.toFixed(3))
        .join(" / "),
    ],
    ["unprompted disclosures", String(metrics.unprompted_disclosures)],
    ["relevance", metrics.relevance.toFixed(3)],
  ]);
}

/** The cases and personas the records name, each loaded once (an unknown id fails with the valid ones). */
async function catalogItemsOf(records: readonly ResponseRecord[]) {
  const caseMap = new Map<string, PatientCase>();
  const personaMap = new Map<string, Persona>();
  for (const record of records) {
    if (!caseMap.has(record.case)) caseMap.set(record.case, await caseCatalog.get(record.case));
    if (!personaMap.has(record.persona)) personaMap.set(record.persona, await personaCatalog.get(record.persona));
  }
  return { caseMap, personaMap };
}

/** `--per-reply`: each reply's checks. */
function perReplyChecks(scores: ReturnType<typeof scoreInterviews>) {
  return scores.scored.map((interview) => {
    const turn = interview.turns[0]!;
    return {
      case: interview.caseId,
      persona: interview.personaId,
      predicted_persona: turn.predictedPersona ?? null,
      relevant: turn.relevant,
      unprompted: turn.unprompted,
      sentences: turn.sentences,
    };
  });
}
