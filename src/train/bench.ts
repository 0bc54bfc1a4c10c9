/**
 * Training throughput on random weights of a real shape: LoRA on all seven projections, loss on
 * every token, AdamW, as `shared/bench/torch_lora_step.py` measures PyTorch (weights' values do
 * not change the speed). One untimed warm-up step compiles the graphs, then `steps` are timed.
 */
import { LORA_TARGET_MODULES } from "../adapters/types.js";
import { GgmlType } from "../gguf/index.js";
import { type ModelShape, presetShape, PRESET_NAMES, presetArchitecture, randomModelWeights } from "../model/index.js";
import { createRandom } from "../util/random.js";
import { packBatch } from "./batch.js";
import type { FrozenCompute } from "./fused-block.js";
import { TrainableModel } from "./model.js";
import { AdamW } from "./optimizer.js";
import { peakRssMb } from "./run.js";
import { createTrainCompute } from "./compute.js";
import {
  type FrozenMatrix,
  projectionBytes,
  QuantizedMatrix,
  type TrainBlockWeights,
  type TrainWeights,
} from "./frozen.js";

/** Encodings {@link benchTrain} can keep the frozen block projections in. */
export const BENCH_QUANTS = ["f32", "f16", "q8_0", "q4_0"] as const;
/** One of {@link BENCH_QUANTS}. */
export type BenchQuant = (typeof BENCH_QUANTS)[number];

const QUANT_TYPES: Record<Exclude<BenchQuant, "f32">, number> = {
  f16: GgmlType.F16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
};

/** Options of {@link benchTrain}. */
export interface BenchTrainOptions {
  /** A real preset (see `PRESET_NAMES`) or `tiny`. */
  readonly preset: string;
  readonly batch: number;
  readonly seq: number;
  readonly steps: number;
  readonly loraRank: number;
  /** Default: all CPUs. */
  readonly threads?: number;
  /** Data-parallel lanes (see `createTrainCompute`); default the number of threads, 1 for none. */
  readonly lanes?: number;
  /** Default `onnxruntime`. */
  readonly backend?: "onnxruntime" | "reference";
  /** Block projections: F32 (default), or encoded and dequantised per use (`keepQuantized`). */
  readonly quant?: BenchQuant;
  /**
   * With an encoded `quant`: keep the projections encoded (default true), or dequantise them up
   * front as the trainer does without `keepQuantized` (same values, to time the option alone).
   */
  readonly keepQuantized?: boolean;
  /** Products through the frozen base weights (see `TrainableModelOptions.frozenCompute`). Default `int8`, as `medsim train`. */
  readonly frozenCompute?: FrozenCompute;
  /** Activation checkpointing (blocks recomputed in the backward pass). Default false. */
  readonly checkpointing?: boolean;
  /** Called after each timed step with its duration. */
  readonly onStep?: (step: number, seconds: number) => void;
}

/** Result: throughput, memory and sizes, as the PyTorch reference script reports them. */
export interface BenchTrainResult {
  readonly preset: string;
  readonly batch: number;
  readonly seq: number;
  readonly steps: number;
  readonly lora_r: number;
  readonly trainable_parameters: number;
  readonly step_s: number;
  readonly tokens_per_s: number;
  readonly peak_rss_mb: number;
  readonly backend: string;
  readonly loss: number;
  /** Encoding of the frozen block projections. */
  readonly quant: BenchQuant;
  /** Whether they stayed encoded in memory (false for f32). */
  readonly keep_quantized: boolean;
  /** Products through the frozen base weights. */
  readonly frozen_compute: FrozenCompute;
  /** Whether activation checkpointing was on. */
  readonly gradient_checkpointing: boolean;
  /** Data-parallel lanes used (1: the batch on one lane). */
  readonly lanes: number;
  /** MiB held by the frozen block projections (encoded bytes, or 4 per value for F32). */
  readonly projection_mb: number;
}

/**
 * Random weights with the block projections encoded as `quant`, generated one block at a time so
 * the F32 values of the whole model never exist together (peak RSS is what the option measures).
 */
function benchWeights(shape: ModelShape, quant: BenchQuant, keep: boolean): TrainWeights {
  if (quant === "f32") return randomModelWeights(shape, 1);
  const type = QUANT_TYPES[quant];
  const head = randomModelWeights({ ...shape, blockCount: 0 }, 1);
  const blocks: TrainBlockWeights[] = [];
  for (let b = 0; b < shape.blockCount; b++) {
    // vocabSize 1: only the block is wanted, not another embedding.
    const one = randomModelWeights({ ...shape, blockCount: 1, vocabSize: 1, tiedEmbeddings: true }, 2 + b).blocks[0];
    if (one === undefined) throw new Error("benchWeights: no block generated");
    const q = (m: { data: Float32Array }): FrozenMatrix => {
      const encoded = QuantizedMatrix.fromValues(type, m.data);
      return keep ? encoded : { data: encoded.get(), activationRounding: encoded.activationRounding };
    };
    blocks.push({
      ...one,
      wq: q(one.wq),
      wk: q(one.wk),
      wv: q(one.wv),
      wo: q(one.wo),
      wGate: q(one.wGate),
      wUp: q(one.wUp),
      wDown: q(one.wDown),
    });
  }
  return { ...head, config: { ...head.config, blockCount: shape.blockCount }, blocks };
}

/** Runs the benchmark. */
export async function benchTrain(options: BenchTrainOptions): Promise<BenchTrainResult> {
  const arch = presetArchitecture(options.preset) ?? "llama";
  if (!(PRESET_NAMES as readonly string[]).includes(options.preset))
    throw new RangeError(`unknown preset "${options.preset}"; valid presets: ${PRESET_NAMES.join(", ")}`);
  const shape = presetShape(options.preset, arch);
  const quant = options.quant ?? "f32";
  const keep = quant !== "f32" && (options.keepQuantized ?? true);
  const weights = benchWeights(shape, quant, keep);
  const compute = await createTrainCompute(options.backend, options.threads, options.lanes);
  const backend = compute.backend;
  try {
    const model = TrainableModel.create(weights, {
      mode: {
        kind: "lora",
        rank: options.loraRank,
        alpha: 2 * options.loraRank,
        dropout: 0,
        rslora: false,
        targets: LORA_TARGET_MODULES,
      },
      backend,
      attention: compute.attention,
      ...(compute.kernels === undefined ? {} : { kernels: compute.kernels }),
      ...(compute.lanes === undefined ? {} : { lanes: compute.lanes }),
      frozenCompute: options.frozenCompute ?? "int8",
    });
    const optimizer = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    const random = createRandom(7);
    const examples = Array.from({ length: options.batch }, () => {
      const tokens = Array.from({ length: options.seq + 1 }, () => Math.floor(random() * shape.vocabSize));
      return { tokens, targetMask: tokens.map(() => true) };
    });
    // seq + 1 tokens per row and the last position has no target: seq predictions per row, as the PyTorch script.
    const batch = packBatch(examples);
    let loss = 0;
    const step = async (): Promise<void> => {
      model.zeroGrad();
      const r = await model.run(batch, { backward: true, checkpointing: options.checkpointing ?? false });
      loss = r.loss / r.count;
      optimizer.update(1e-4);
    };
    await step();
    const started = performance.now();
    for (let s = 0; s < options.steps; s++) {
      const t = performance.now();
      await step();
      options.onStep?.(s + 1, (performance.now() - t) / 1000);
    }
    const stepSeconds = (performance.now() - started) / 1000 / options.steps;
    return {
      preset: options.preset,
      batch: options.batch,
      seq: options.seq,
      steps: options.steps,
      lora_r: options.loraRank,
      trainable_parameters: model.trainableCount,
      step_s: Math.round(stepSeconds * 1000) / 1000,
      tokens_per_s: Math.round(((options.batch * options.seq) / stepSeconds) * 10) / 10,
      peak_rss_mb: peakRssMb(),
      backend: backend.name,
      loss: Math.round(loss * 1e4) / 1e4,
      quant,
      keep_quantized: keep,
      frozen_compute: options.frozenCompute ?? "int8",
      gradient_checkpointing: options.checkpointing ?? false,
      lanes: compute.lanes?.count ?? 1,
      projection_mb: Math.round((projectionBytes(weights) / 2 ** 20) * 10) / 10,
    };
  } finally {
    await compute.dispose();
  }
}
