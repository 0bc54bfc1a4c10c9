/**
 * The training loop over tokenised examples: seeded epoch shuffles, packed micro-batches,
 * gradient accumulation with the loss averaged over all target tokens of a step, clipping,
 * AdamW with warmup and decay, periodic validation with early stopping, a JSONL metrics log,
 * and atomic checkpoints from which a resumed run continues bit for bit. The library never
 * prints: progress goes to `onProgress`.
 */
import { appendFile } from "node:fs/promises";
import { deriveSeed, permutation, Rng } from "../util/random.js";
import type { Progress, ProgressCallback } from "../util/logger.js";
import { type PackedBatch, packBatch, type TokenizedExample } from "./batch.js";
import { type CheckpointState, CheckpointError, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import type { TrainableModel } from "./model.js";
import { AdamW, clipGradients, learningRate, type LrSchedule } from "./optimizer.js";

/** Loop settings (a subset of the training config). */
export interface LoopSettings {
  readonly epochs: number;
  readonly maxSteps?: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly gradientAccumulation: number;
  readonly warmupRatio: number;
  readonly schedule: LrSchedule;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly adamEps: number;
  readonly loggingSteps: number;
  readonly evalSteps: number;
  readonly saveSteps: number;
  readonly earlyStoppingPatience: number;
  readonly earlyStoppingMinDelta: number;
  readonly seed: number;
}

/**
 * Reported after every optimizer step (and `evalLoss` after each validation): a {@link Progress}
 * (label `train`, steps done of all) with the loss and speed.
 */
export interface TrainProgress extends Progress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly loss: number;
  readonly learningRate: number;
  readonly tokensPerSecond: number;
  readonly etaSeconds: number;
  readonly evalLoss?: number;
}

/** Options of {@link runTraining}. */
export interface RunTrainingOptions {
  readonly model: TrainableModel;
  readonly train: readonly TokenizedExample[];
  readonly validation: readonly TokenizedExample[];
  readonly settings: LoopSettings;
  /** Checkpoint file (written atomically). Default: none. */
  readonly checkpointPath?: string;
  /** JSONL metrics log, appended to. Default: none. */
  readonly metricsPath?: string;
  /** Continue from `checkpointPath`. Default false. */
  readonly resume?: boolean;
  /** Stops after the current step, writing a checkpoint (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressCallback<TrainProgress>;
  /** Settings that must match on resume (e.g. base model and data), folded into the fingerprint. */
  readonly fingerprint?: string;
  /**
   * Activation checkpointing (see {@link TrainableModel.run}): less memory, about a third more
   * compute, the same gradients. Default false. Not part of the fingerprint: a run may resume
   * with it switched.
   */
  readonly checkpointing?: boolean;
}

/** Outcome of a training run. */
export interface TrainingOutcome {
  readonly steps: number;
  readonly totalSteps: number;
  readonly trainLoss: number | null;
  readonly evalLoss: number | null;
  readonly tokensSeen: number;
  /** Target-token throughput is not what matters for speed: this counts all tokens processed. */
  readonly tokensPerSecond: number;
  readonly seconds: number;
  readonly stopped: "completed" | "early_stopping" | "interrupted";
  readonly resumedFromStep: number;
}

const targetCount = (e: TokenizedExample): number => e.targetMask.reduce((s, m, t) => s + (m && t > 0 ? 1 : 0), 0);

/** Mean validation loss per target token (no dropout). */
export async function evaluateLoss(
  model: TrainableModel,
  examples: readonly TokenizedExample[],
  batchSize: number,
): Promise<number | null> {
  let loss = 0;
  let count = 0;
  for (let i = 0; i < examples.length; i += batchSize) {
    const r = await model.run(packBatch(examples.slice(i, i + batchSize)));
    loss += r.loss;
    count += r.count;
  }
  return count === 0 ? null : loss / count;
}

/** The examples of micro-batch `index`: a seeded shuffle per epoch, cut into `batchSize` slices. */
function microBatches(
  train: readonly TokenizedExample[],
  s: LoopSettings,
  microsPerEpoch: number,
): (index: number) => TokenizedExample[] {
  const orders = new Map<number, number[]>();
  return (index) => {
    const epoch = Math.floor(index / microsPerEpoch);
    let order = orders.get(epoch);
    if (order === undefined) {
      orders.clear();
      orders.set(epoch, (order = permutation(train.length, deriveSeed(s.seed, epoch))));
    }
    const j = index % microsPerEpoch;
    return order.slice(j * s.batchSize, (j + 1) * s.batchSize).map((i) => train[i] as TokenizedExample);
  };
}

/** Loads a checkpoint into the model, optimizer and generator, refusing one of other settings. */
async function restore(
  path: string,
  fingerprint: string,
  model: TrainableModel,
  optimizer: AdamW,
  rng: Rng,
): Promise<CheckpointState> {
  const saved = await readCheckpoint(path);
  if (saved.state.fingerprint !== fingerprint)
    throw new CheckpointError(path, "was written with different settings, model or data; resume with the same ones");
  const byName = new Map(saved.tensors.map((t) => [t.name, t]));
  model.params.forEach((p, j) => {
    const t = byName.get(p.name);
    if (t === undefined || t.value.length !== p.value.length)
      throw new CheckpointError(path, `tensor ${p.name} missing or of another size`);
    p.value.set(t.value);
    optimizer.m[j]?.set(t.m);
    optimizer.v[j]?.set(t.v);
  });
  optimizer.step = saved.state.adamStep;
  rng.state = saved.state.rngState;
  return saved.state;
}

/**
 * Forward and backward over the micro-batches of one optimizer step. Every micro-batch's loss is
 * weighted by 1/(targets of the whole step): the step's gradient is that of the mean over all its
 * target tokens, whatever the accumulation.
 */
async function accumulateStep(
  model: TrainableModel,
  examples: readonly TokenizedExample[][],
  rng: Rng,
  checkpointing: boolean,
): Promise<{ loss: number; tokens: number; targets: number }> {
  const targets = examples.reduce((sum, batch) => sum + batch.reduce((t, e) => t + targetCount(e), 0), 0);
  const batches: PackedBatch[] = examples.map((batch) => packBatch(batch));
  model.zeroGrad();
  let loss = 0;
  let tokens = 0;
  for (const batch of batches) {
    const r = await model.run(batch, {
      backward: true,
      lossWeight: 1 / Math.max(1, targets),
      random: rng.fn,
      checkpointing,
    });
    loss += r.loss;
    tokens += batch.tokens.length;
  }
  return { loss, tokens, targets };
}

/** The state after a validation loss: best loss and the count of evaluations without improvement. */
function trackEvaluation(state: CheckpointState, value: number, minDelta: number): CheckpointState {
  const improved = state.bestEvalLoss === null || value < state.bestEvalLoss - minDelta;
  return {
    ...state,
    lastEvalLoss: value,
    bestEvalLoss: improved ? value : state.bestEvalLoss,
    evalsWithoutImprovement: improved ? 0 : state.evalsWithoutImprovement + 1,
  };
}

/** Runs (or resumes) the training loop. */
export async function runTraining(options: RunTrainingOptions): Promise<TrainingOutcome> {
  const { model, train, validation, settings: s } = options;
  if (train.length === 0) throw new RangeError("training: no training examples");
  const microsPerEpoch = Math.ceil(train.length / s.batchSize);
  const stepsPerEpoch = Math.max(1, Math.ceil(microsPerEpoch / s.gradientAccumulation));
  const totalSteps = s.maxSteps ?? Math.max(1, Math.round(s.epochs * stepsPerEpoch));
  const warmupSteps = Math.round(s.warmupRatio * totalSteps);
  const fingerprint = JSON.stringify({
    s,
    n: train.length,
    v: validation.length,
    f: options.fingerprint ?? "",
    p: model.params.map((p) => p.name),
  });
  const optimizer = new AdamW(model.params, {
    beta1: s.beta1,
    beta2: s.beta2,
    eps: s.adamEps,
    weightDecay: s.weightDecay,
  });
  const rng = new Rng(deriveSeed(s.seed, 1000));
  const microBatch = microBatches(train, s, microsPerEpoch);
  let state: CheckpointState = {
    step: 0,
    adamStep: 0,
    rngState: rng.state,
    bestEvalLoss: null,
    evalsWithoutImprovement: 0,
    tokensSeen: 0,
    lastTrainLoss: null,
    lastEvalLoss: null,
    fingerprint,
  };
  if (options.resume === true) {
    if (options.checkpointPath === undefined) throw new RangeError("training: resume needs a checkpoint path");
    state = await restore(options.checkpointPath, fingerprint, model, optimizer, rng);
  }
  const resumedFromStep = state.step;
  const save = async (): Promise<void> => {
    if (options.checkpointPath === undefined) return;
    state = { ...state, adamStep: optimizer.step, rngState: rng.state };
    await writeCheckpoint(
      options.checkpointPath,
      state,
      model.params.map((p, j) => ({
        name: p.name,
        value: p.value,
        m: optimizer.m[j] as Float32Array,
        v: optimizer.v[j] as Float32Array,
      })),
    );
  };
  const log = async (record: Record<string, unknown>): Promise<void> => {
    if (options.metricsPath !== undefined) await appendFile(options.metricsPath, `${JSON.stringify(record)}\n`);
  };

  const started = performance.now();
  let tokensThisRun = 0;
  let stopped: TrainingOutcome["stopped"] = "completed";
  let windowLoss = 0;
  let windowSteps = 0;
  while (state.step < totalSteps) {
    const step = state.step;
    const examples = Array.from({ length: s.gradientAccumulation }, (_, a) =>
      microBatch(step * s.gradientAccumulation + a),
    );
    const { loss, tokens, targets } = await accumulateStep(model, examples, rng, options.checkpointing ?? false);
    const gradNorm = clipGradients(model.params, s.maxGradNorm);
    const lr = learningRate(step, totalSteps, s.learningRate, warmupSteps, s.schedule);
    optimizer.update(lr);
    const meanLoss = loss / Math.max(1, targets);
    tokensThisRun += tokens;
    state = { ...state, step: step + 1, tokensSeen: state.tokensSeen + tokens, lastTrainLoss: meanLoss };
    windowLoss += meanLoss;
    windowSteps++;
    const elapsed = (performance.now() - started) / 1000;
    const tokensPerSecond = tokensThisRun / Math.max(1e-9, elapsed);
    const epoch = (state.step * s.gradientAccumulation) / microsPerEpoch;
    if (state.step % s.loggingSteps === 0 || state.step === totalSteps) {
      await log({
        type: "train",
        step: state.step,
        epoch: round(epoch),
        loss: round(windowLoss / windowSteps),
        learning_rate: lr,
        grad_norm: round(gradNorm),
        tokens: state.tokensSeen,
        tokens_per_s: round(tokensPerSecond),
        elapsed_s: round(elapsed),
      });
      windowLoss = 0;
      windowSteps = 0;
    }
    let evalLoss: number | undefined;
    const evalNow =
      validation.length > 0 && ((s.evalSteps > 0 && state.step % s.evalSteps === 0) || state.step === totalSteps);
    const value = evalNow ? await evaluateLoss(model, validation, s.batchSize) : null;
    if (value !== null) {
      evalLoss = value;
      state = trackEvaluation(state, value, s.earlyStoppingMinDelta);
      await log({ type: "eval", step: state.step, eval_loss: round(value) });
    }
    options.onProgress?.({
      label: "train",
      completed: state.step,
      total: totalSteps,
      step: state.step,
      totalSteps,
      epoch,
      loss: meanLoss,
      learningRate: lr,
      tokensPerSecond,
      etaSeconds: (elapsed / (state.step - resumedFromStep)) * (totalSteps - state.step),
      ...(evalLoss === undefined ? {} : { evalLoss }),
    });
    const earlyStop = s.earlyStoppingPatience > 0 && state.evalsWithoutImprovement >= s.earlyStoppingPatience;
    const interrupted = options.signal?.aborted === true;
    if ((s.saveSteps > 0 && state.step % s.saveSteps === 0) || state.step === totalSteps || earlyStop || interrupted)
      await save();
    if ((earlyStop || interrupted) && state.step < totalSteps) {
      stopped = earlyStop ? "early_stopping" : "interrupted";
      break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    steps: state.step,
    totalSteps,
    trainLoss: state.lastTrainLoss,
    evalLoss: state.lastEvalLoss,
    tokensSeen: state.tokensSeen,
    tokensPerSecond: tokensThisRun / Math.max(1e-9, seconds),
    seconds,
    stopped,
    resumedFromStep,
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
