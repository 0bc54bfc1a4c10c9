/**
 * A whole training job from files: base GGUF, data file(s) and a config in; `adapter.gguf`
 * (llama.cpp), `peft/` (Hugging Face PEFT), `metrics.jsonl` and `checkpoint.bin` out, plus a
 * summary. This is what `medsim train` calls.
 */
import { availableParallelism, totalmem } from "node:os";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { writeAdapterGguf, writePeftAdapter } from "../adapters/index.js";
import { GgufFile } from "../gguf/index.js";
import { loadModelWeights } from "../model/index.js";
import { loadQuantizedTrainWeights, projectionBytes, QuantizedMatrix, type TrainWeights } from "./frozen.js";
import { activationBudget, chooseMaxLength, type MaxLengthChoice } from "./length.js";
import { deriveSeed, permutation } from "../util/random.js";
import { ModelTokenizer } from "../tokenizer/index.js";
import { TrainError } from "../util/errors.js";
import type { ProgressCallback } from "../util/logger.js";
import { fitToLength, type TokenizedExample, type TruncationReport } from "./batch.js";
import type { TrainConfig } from "./config.js";
import { type Conversation, readConversations, tokenizeConversations } from "./data.js";
import { assertTrainableArchitecture, TrainableModel } from "./model.js";
import { createTrainCompute } from "./compute.js";
import { writeTrainedModel } from "./export.js";
import { runTraining, type TrainingOutcome, type TrainProgress } from "./trainer.js";

/** Options of {@link trainFromConfig}. */
export interface TrainJobOptions {
  /** Continue from `<out>/checkpoint.bin`. Default false. */
  readonly resume?: boolean;
  /** Stops after the current step with a checkpoint written (wire Ctrl-C to it). */
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressCallback<TrainProgress>;
  /** Called once the data is tokenised, before the first step. */
  readonly onPrepared?: (info: {
    maxLength: MaxLengthChoice;
    trainExamples: number;
    validationExamples: number;
    /** Records labelled `split: test`, left out of training and validation. */
    testLeftOut: number;
    /** Records of `data` labelled `split: validation` when `validationData` is given: left out of both. */
    validationLeftOut: number;
    truncation: TruncationReport;
    trainableParameters: number;
  }) => void;
}

/** The final summary (snake_case: printed as JSON by the CLI). */
export interface TrainSummary {
  readonly train_loss: number | null;
  readonly eval_loss: number | null;
  readonly steps: number;
  readonly total_steps: number;
  readonly stopped: TrainingOutcome["stopped"];
  readonly tokens_per_s: number;
  readonly seconds: number;
  readonly peak_rss_mb: number;
  readonly train_examples: number;
  readonly validation_examples: number;
  /** Records labelled `split: test`: left out of training and validation. */
  readonly test_examples_left_out: number;
  /**
   * Records of `data` labelled `split: validation` when a `validationData` file is given: never
   * trained on, and not validated on either (the file is the validation set). 0 otherwise.
   */
  readonly validation_examples_left_out: number;
  readonly trainable_parameters: number;
  /** The sequence length used: given, or chosen from the data (`auto`), with the caps that applied. */
  readonly max_length: {
    readonly value: number;
    readonly source: "auto" | "config";
    readonly longest_example: number;
    readonly context_cap: number;
    readonly memory_cap: number;
  };
  /** Whether activation checkpointing was on (chosen with the length when `auto`). */
  readonly gradient_checkpointing: boolean;
  /** Data-parallel lanes available (1: none); micro-batches of one sequence run on one lane. */
  readonly lanes: number;
  readonly truncation: TruncationReport;
  /** `adapter` and `peft` in LoRA mode, `model` (the fine-tuned GGUF) in full mode. */
  readonly paths: {
    readonly adapter?: string;
    readonly peft?: string;
    readonly model?: string;
    readonly metrics: string;
    readonly checkpoint: string;
  };
}

export { TrainError } from "../util/errors.js";

/** Peak resident memory of this process in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The data of a job split three ways: what is trained on, what is validated on, and how many records were left out. */
export interface DataSplit {
  readonly train: Conversation[];
  readonly validation: Conversation[];
  /** Records labelled `split: test` (in `data` or `validationData`): never trained on, never validated on. */
  readonly testLeftOut: number;
  /**
   * Records of `data` labelled `split: validation` when a `validationData` file is given: never
   * trained on (they were set aside as held-out data) and not validated on (the file given is the
   * validation set, so its loss stays comparable between runs). 0 without `validationData`.
   */
  readonly validationLeftOut: number;
}

/**
 * Splits conversations into training and validation sets: the `validationData` file, else the
 * records labelled `split: validation`, else a seeded `validationSplit` share of the rest.
 * Records labelled `split: test` (as `synth dialogues` writes them) are left out of both, so a
 * later evaluation on them measures data the adapter never saw. Records of `data` labelled
 * `split: validation` are never trained on either: with a `validationData` file they are left out
 * and counted, since that file alone is the validation set the user asked for.
 */
export async function splitData(config: TrainConfig): Promise<DataSplit> {
  const all = await readConversations(config.data, config.format);
  const usable = all.filter((c) => c.split !== "test");
  let testLeftOut = all.length - usable.length;
  const trainable = usable.filter((c) => c.split !== "validation");
  if (config.validationData !== undefined) {
    const given = await readConversations(config.validationData, config.format);
    const validation = given.filter((c) => c.split !== "test");
    testLeftOut += given.length - validation.length;
    return { train: trainable, validation, testLeftOut, validationLeftOut: usable.length - trainable.length };
  }
  if (trainable.length < usable.length)
    return {
      train: trainable,
      validation: usable.filter((c) => c.split === "validation"),
      testLeftOut,
      validationLeftOut: 0,
    };
  // Unlabelled data keeps the draw it always had: the same permutation over the same records.
  const count = usable.length >= 2 ? Math.round(usable.length * config.validationSplit) : 0;
  const order = permutation(usable.length, deriveSeed(config.seed, 2000));
  const held = new Set(order.slice(0, count));
  return {
    train: usable.filter((_, i) => !held.has(i)),
    validation: usable.filter((_, i) => held.has(i)),
    testLeftOut,
    validationLeftOut: 0,
  };
}

/** Runs a training job described by `config`. */
export async function trainFromConfig(config: TrainConfig, options: TrainJobOptions = {}): Promise<TrainSummary> {
  await mkdir(config.out, { recursive: true });
  const paths = { metrics: join(config.out, "metrics.jsonl"), checkpoint: join(config.out, "checkpoint.bin") };
  const { train: trainSet, validation: validationSet, testLeftOut, validationLeftOut } = await splitData(config);
  // A base the trainer cannot compute fails now, from its header, not at the export after hours of training.
  if (existsSync(config.base)) assertTrainableArchitecture(baseArchitecture(config.base), config.base);
  const tokenizer = await ModelTokenizer.load(config.base);
  let tokenizedTrain: TokenizedExample[];
  let tokenizedValidation: TokenizedExample[];
  try {
    tokenizedTrain = tokenizeConversations(tokenizer, trainSet);
    tokenizedValidation = tokenizeConversations(tokenizer, validationSet);
  } finally {
    await tokenizer.dispose();
  }
  const weights =
    config.keepQuantized && config.mode === "lora"
      ? loadQuantizedTrainWeights(config.base)
      : loadModelWeights(config.base);
  const lanes = chooseLanes(weights, config);
  const maxLength = chooseMaxLength(
    config.maxLength,
    [...tokenizedTrain, ...tokenizedValidation],
    {
      config: weights.config,
      contextLength: weights.config.contextLength,
      batchSize: config.batchSize,
      dropout: config.mode === "lora" && config.lora.dropout > 0,
      checkpointing: config.gradientCheckpointing,
    },
    activationBudget(weightBytes(weights) + frozenCopyBytes(weights, config, lanes)),
  );
  const fittedTrain = fitToLength(tokenizedTrain, maxLength.value);
  const fittedValidation = fitToLength(tokenizedValidation, maxLength.value);
  const train = fittedTrain.examples;
  const validation = fittedValidation.examples;
  const truncation: TruncationReport = {
    truncated: fittedTrain.report.truncated + fittedValidation.report.truncated,
    targetTokensCut: fittedTrain.report.targetTokensCut + fittedValidation.report.targetTokensCut,
    dropped: fittedTrain.report.dropped + fittedValidation.report.dropped,
  };
  if (train.length === 0) {
    const cut =
      truncation.dropped > 0
        ? `; ${truncation.dropped} dropped because no answer token fits in max length ${maxLength.value} (${describeMaxLength(maxLength)})`
        : "";
    throw new TrainError(
      `${config.data}: no training example left after the validation split (${validationSet.length} held out${testLeftOut > 0 ? `, ${testLeftOut} test records left out` : ""}${validationLeftOut > 0 ? `, ${validationLeftOut} records marked split=validation left out since a validation file is given` : ""})${cut}`,
    );
  }
  const compute = await createTrainCompute(config.backend, config.threads, lanes);
  try {
    const mode =
      config.mode === "full"
        ? ({ kind: "full" } as const)
        : ({
            kind: "lora",
            rank: config.lora.r,
            alpha: config.lora.alpha,
            dropout: config.lora.dropout,
            rslora: config.lora.rslora,
            targets: config.lora.targetModules,
          } as const);
    const model = TrainableModel.create(weights, {
      mode,
      backend: compute.backend,
      attention: compute.attention,
      ...(compute.kernels === undefined ? {} : { kernels: compute.kernels }),
      ...(compute.lanes === undefined ? {} : { lanes: compute.lanes }),
      seed: config.seed,
      frozenCompute: config.frozenCompute,
    });
    options.onPrepared?.({
      maxLength,
      trainExamples: train.length,
      validationExamples: validation.length,
      testLeftOut,
      validationLeftOut,
      truncation,
      trainableParameters: model.trainableCount,
    });
    const outcome = await runTraining({
      model,
      train,
      validation,
      settings: config,
      checkpointPath: paths.checkpoint,
      metricsPath: paths.metrics,
      resume: options.resume ?? false,
      // int8 changes every step's numbers: a checkpoint resumes only with the compute it was made with.
      fingerprint: JSON.stringify({
        base: basename(config.base),
        mode,
        maxLength: maxLength.value,
        ...(config.frozenCompute === "int8" ? { frozenCompute: "int8" } : {}),
      }),
      checkpointing: maxLength.checkpointing,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    const exported: { adapter?: string; peft?: string; model?: string } = {};
    if (config.mode === "lora") {
      const adapter = model.loraAdapter(basename(config.base).replace(/\.gguf$/i, ""));
      exported.adapter = join(config.out, "adapter.gguf");
      await writeAdapterGguf(adapter, exported.adapter);
      exported.peft = join(config.out, "peft");
      await writePeftAdapter(adapter, exported.peft, {
        heads: { headCount: weights.config.headCount, headCountKv: weights.config.headCountKv },
        loraDropout: config.lora.dropout,
        useRslora: config.lora.rslora,
      });
    } else {
      exported.model = join(config.out, "model.gguf");
      await writeTrainedModel(config.base, model.params, exported.model);
    }
    return {
      train_loss: outcome.trainLoss,
      eval_loss: outcome.evalLoss,
      steps: outcome.steps,
      total_steps: outcome.totalSteps,
      stopped: outcome.stopped,
      tokens_per_s: Math.round(outcome.tokensPerSecond * 10) / 10,
      seconds: Math.round(outcome.seconds * 10) / 10,
      peak_rss_mb: peakRssMb(),
      train_examples: train.length,
      validation_examples: validation.length,
      test_examples_left_out: testLeftOut,
      validation_examples_left_out: validationLeftOut,
      trainable_parameters: model.trainableCount,
      max_length: {
        value: maxLength.value,
        source: maxLength.source,
        longest_example: maxLength.longest,
        context_cap: maxLength.contextCap,
        memory_cap: maxLength.memoryCap,
      },
      gradient_checkpointing: maxLength.checkpointing,
      lanes: compute.lanes?.count ?? 1,
      truncation,
      paths: { ...exported, ...paths },
    };
  } finally {
    await compute.dispose();
  }
}

/** `general.architecture` of a GGUF, read from its header only. */
function baseArchitecture(path: string): string {
  const file = GgufFile.open(path);
  try {
    return file.getString("general.architecture") ?? "none";
  } finally {
    file.close();
  }
}

/** Resident bytes of the base weights (block projections as held, the rest F32). */
function weightBytes(weights: TrainWeights): number {
  let rest = weights.tokenEmbedding.byteLength + weights.outputNorm.byteLength;
  if (weights.output.data !== weights.tokenEmbedding) rest += weights.output.data.byteLength;
  for (const b of weights.blocks) rest += b.attnNorm.byteLength + b.ffnNorm.byteLength;
  return projectionBytes(weights) + rest;
}

/** The share of the machine's memory the lanes' copies of the frozen weights may take by default. */
const LANE_MEMORY_SHARE = 0.25;

/** Values of the frozen block projections and of the output head. */
function frozenValues(weights: TrainWeights): { blocks: number; head: number } {
  let blocks = 0;
  for (const b of weights.blocks)
    for (const m of [b.wq, b.wk, b.wv, b.wo, b.wGate, b.wUp, b.wDown])
      blocks += m instanceof QuantizedMatrix ? m.elementCount : m.data.length;
  return { blocks, head: weights.output.data.length };
}

/** Bytes of one lane's copies: the packed int8 weights (or fp32 projections) and the fp32 head. */
function laneCopyBytes(weights: TrainWeights, config: TrainConfig): number {
  const { blocks, head } = frozenValues(weights);
  return (config.frozenCompute === "int8" ? 2 * blocks + head : 4 * blocks) + 4 * head;
}

/**
 * Data-parallel lanes for the run: `lanes` when set; by default one per thread, unless their
 * copies of the frozen weights would take more than a quarter of the machine's memory (then
 * one: a 1B model's copies are ~3 GB a lane), or the run cannot use them (full mode, reference).
 */
export function chooseLanes(weights: TrainWeights, config: TrainConfig, memory = totalmem()): number {
  if (config.lanes !== undefined) return config.lanes;
  if (config.mode !== "lora" || config.backend !== "onnxruntime") return 1;
  const threads = config.threads ?? availableParallelism();
  if (threads < 2) return 1;
  return threads * laneCopyBytes(weights, config) <= LANE_MEMORY_SHARE * memory ? threads : 1;
}

/**
 * Bytes of the copies of the frozen weights that training on onnxruntime keeps beside the
 * weights themselves (LoRA only): with `frozenCompute: "int8"` the packed copies (two bytes per
 * block projection value, one per direction, and one per value of the output head); and on
 * data-parallel lanes each lane's own copy of those (or, with fp32 products, of the fp32 block
 * projections) plus the fp32 output head, since onnxruntime cannot read memory shared by threads.
 */
function frozenCopyBytes(weights: TrainWeights, config: TrainConfig, lanes: number): number {
  if (config.mode !== "lora" || config.backend !== "onnxruntime") return 0;
  const { blocks, head } = frozenValues(weights);
  const here = config.frozenCompute === "int8" ? 2 * blocks + head : 0;
  return here + (lanes >= 2 ? lanes * laneCopyBytes(weights, config) : 0);
}

/** "longest example 812, context 2048, memory cap 3100": why a length was chosen. */
export function describeMaxLength(choice: MaxLengthChoice): string {
  return `${choice.source === "auto" ? "auto: " : ""}longest example ${choice.longest} tokens, model context ${choice.contextCap}, memory cap ${choice.memoryCap} for a micro-batch within ${choice.memoryBudgetMb} MB${choice.checkpointing ? " with activation checkpointing" : ""}`;
}
