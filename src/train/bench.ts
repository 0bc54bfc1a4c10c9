/**
 * Training throughput on random weights of a real shape: LoRA on all seven projections, loss on
 * every token, AdamW, as `shared/bench/torch_lora_step.py` measures PyTorch (weights' values do
 * not change the speed). One untimed warm-up step compiles the graphs, then `steps` are timed.
 */
import { presetShape, PRESET_NAMES, presetArchitecture, randomModelWeights } from "../model/index.js";
import { createRandom } from "../model/random.js";
import { packBatch } from "./batch.js";
import { TrainableModel } from "./model.js";
import { AdamW } from "./optimizer.js";
import { peakRssMb } from "./run.js";
import { createTrainCompute } from "./compute.js";

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
  /** Default `onnxruntime`. */
  readonly backend?: "onnxruntime" | "reference";
  /** Called after each timed step with its duration. */
  readonly onStep?: (step: number, seconds: number) => void;
}

/** Result, in the units the issue asks for. */
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
}

/** Runs the benchmark. */
export async function benchTrain(options: BenchTrainOptions): Promise<BenchTrainResult> {
  const arch = presetArchitecture(options.preset) ?? "llama";
  if (!(PRESET_NAMES as readonly string[]).includes(options.preset)) throw new RangeError(`unknown preset "${options.preset}"; valid presets: ${PRESET_NAMES.join(", ")}`);
  const shape = presetShape(options.preset, arch);
  const weights = randomModelWeights(shape, 1);
  const compute = await createTrainCompute(options.backend, options.threads);
  const backend = compute.backend;
  try {
    const model = TrainableModel.create(weights, { mode: { kind: "lora", rank: options.loraRank, alpha: 2 * options.loraRank, dropout: 0, rslora: false, targets: ["q", "k", "v", "o", "gate", "up", "down"] }, backend, attention: compute.attention, ...(compute.kernels === undefined ? {} : { kernels: compute.kernels }) });
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
      const r = await model.run(batch, { backward: true });
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
    };
  } finally {
    await compute.dispose();
  }
}
