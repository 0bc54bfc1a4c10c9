/**
 * The training configuration: one zod schema for the config file (YAML or JSON) and the CLI flags
 * that override it. Defaults follow the original persona generator (lr 1e-4, batch 2, 3 epochs,
 * LoRA rank 4); the maximum length follows the data.
 */
import { z } from "zod";
import { LORA_TARGET_MODULES } from "../adapters/types.js";
import { FileError } from "../util/errors.js";
import { readStructuredFile, validate } from "../util/files.js";

const TARGETS = LORA_TARGET_MODULES;

/** Zod schema of the `lora` section of a training config (rank, alpha, dropout, targets). */
export const LoraConfigSchema = z.strictObject({
  /** Rank r. */
  r: z.number().int().positive().default(4),
  /** Scale numerator: the update is alpha/r · B·A (alpha/√r with rslora). */
  alpha: z.number().positive().default(8),
  dropout: z.number().min(0).lt(1).default(0.05),
  rslora: z.boolean().default(false),
  /** Projections to adapt: q, k, v, o, gate, up, down. */
  targetModules: z
    .array(z.enum(TARGETS))
    .min(1)
    .default([...TARGETS]),
});

/** Zod schema of a training config: the file and the flags that override it. */
export const TrainConfigSchema = z.strictObject({
  /** Base model GGUF. */
  base: z.string().min(1),
  /** Training data (JSONL). Records labelled `split: test` are left out of training and validation; those labelled `split: validation` are never trained on. */
  data: z.string().min(1),
  /**
   * Validation data: the validation set, alone (records of `data` labelled `split: validation` are
   * then left out of both sets and counted as `validation_examples_left_out`). Without it the
   * records marked `split: validation`, else `validationSplit` of the train-labelled and unlabelled
   * records, are held out.
   */
  validationData: z.string().min(1).optional(),
  format: z.enum(["chat", "medsim", "qa"]).default("chat"),
  /** Output directory. */
  out: z.string().min(1),
  /** `lora` (frozen base) or `full` (every weight trainable; for tiny models). */
  mode: z.enum(["lora", "full"]).default("lora"),
  epochs: z.number().positive().default(3),
  /** Stop after this many optimizer steps (overrides epochs). */
  maxSteps: z.number().int().positive().optional(),
  learningRate: z.number().positive().default(1e-4),
  /** Sequences per micro-batch (packed without padding). */
  batchSize: z.number().int().positive().default(2),
  gradientAccumulation: z.number().int().positive().default(1),
  warmupRatio: z.number().min(0).max(1).default(0.03),
  schedule: z.enum(["cosine", "linear", "constant"]).default("cosine"),
  weightDecay: z.number().min(0).default(0.01),
  maxGradNorm: z.number().min(0).default(1),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  adamEps: z.number().positive().default(1e-8),
  /**
   * Tokens per sequence; longer ones are cut (counted and reported; all-cut answers dropped).
   * `auto`: the longest example of the data, capped by the model's context length and by what
   * the machine's memory holds for a micro-batch (see `chooseMaxLength`).
   */
  maxLength: z.union([z.literal("auto"), z.number().int().min(2)]).default("auto"),
  /**
   * Activation checkpointing: keep only each block's input in the forward pass and recompute the
   * block in the backward pass (the same gradients; far less memory for long sequences; about a
   * third more compute). `auto` (default): on only when the max length does not fit the memory
   * budget without it.
   */
  gradientCheckpointing: z.union([z.literal("auto"), z.boolean()]).default("auto"),
  /** Share held out for validation (seeded) when there is no validation file and no record marked `split: validation`. */
  validationSplit: z.number().min(0).lt(1).default(0.1),
  loggingSteps: z.number().int().positive().default(10),
  /** Validation loss every N steps (0 = only at the end). */
  evalSteps: z.number().int().min(0).default(50),
  /** Checkpoint every N steps (0 = only at the end and on interruption). */
  saveSteps: z.number().int().min(0).default(50),
  /** Stop after this many evaluations without improvement (0 = never). */
  earlyStoppingPatience: z.number().int().min(0).default(0),
  earlyStoppingMinDelta: z.number().min(0).default(0),
  seed: z.number().int().min(0).default(42),
  /** Threads for the backend. Default: all CPUs. */
  threads: z.number().int().positive().optional(),
  /**
   * Data-parallel lanes: worker threads with one onnxruntime thread each, each running a part of
   * every micro-batch of two or more sequences (LoRA on onnxruntime). Default: as many as
   * `threads`, or 1 when the lanes' copies of the frozen weights would take more than a quarter of
   * the machine's memory (`chooseLanes` in run.ts); 1 runs each micro-batch on one lane of
   * `threads` threads.
   */
  lanes: z.number().int().positive().optional(),
  backend: z.enum(["onnxruntime", "reference"]).default("onnxruntime"),
  /**
   * LoRA mode: keep the frozen block projections in their GGUF encoding and dequantise each one
   * just before use (same results, about a quarter of the memory for Q8_0). Ignored in full mode.
   */
  keepQuantized: z.boolean().default(false),
  /**
   * LoRA on onnxruntime: products through the frozen base weights in 8-bit integers (`int8`,
   * about 1.4x faster here, a small error against fp32; see `src/backend/onnx-int8.ts`) or `fp32`.
   */
  frozenCompute: z.enum(["int8", "fp32"]).default("int8"),
  lora: LoraConfigSchema.default(LoraConfigSchema.parse({})),
});
/** A value of {@link TrainConfigSchema}, as validated. */
export type TrainConfig = z.output<typeof TrainConfigSchema>;
/** What {@link TrainConfigSchema} accepts (before its defaults are filled in). */
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;

/** Reads a YAML or JSON config file (unvalidated: merge the flags, then {@link resolveTrainConfig}). */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const value = await readStructuredFile(path);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new FileError(path, "expected a mapping of settings at the top level");
  return value as Record<string, unknown>;
}

/** Merges overrides (CLI flags) over a file's settings, the `lora` section included, and validates. */
export function resolveTrainConfig(
  file: Record<string, unknown>,
  overrides: Record<string, unknown>,
  source = "training config",
): TrainConfig {
  const defined = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const lora = {
    ...((file.lora as Record<string, unknown> | undefined) ?? {}),
    ...defined((overrides.lora as Record<string, unknown> | undefined) ?? {}),
  };
  // Config files written before the -ize spelling keep working.
  const { keepQuantised, ...rest } = file;
  const spelled =
    keepQuantised === undefined || "keepQuantized" in rest ? rest : { ...rest, keepQuantized: keepQuantised };
  return validate(TrainConfigSchema, { ...spelled, ...defined(overrides), lora }, source);
}
