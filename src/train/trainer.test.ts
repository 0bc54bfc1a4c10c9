/**
 * The training loop: it learns (loss falls on a small memorisable set), a run interrupted and
 * resumed from its checkpoint ends with exactly the same weights as an uninterrupted one, and a
 * resume with other settings is refused.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loraMode } from "./fixtures.test-utils.js";
import { createReferenceBackend } from "../backend/index.js";
import { randomModelWeights, type ModelShape } from "../model/index.js";
import { createRandom } from "../util/random.js";
import type { TokenizedExample } from "./batch.js";
import { TrainableModel, type TrainMode } from "./model.js";
import { type LoopSettings, runTraining } from "./trainer.js";

const SHAPE: ModelShape = {
  arch: "llama",
  vocabSize: 40,
  embeddingLength: 16,
  blockCount: 2,
  feedForwardLength: 32,
  headCount: 4,
  headCountKv: 2,
  contextLength: 64,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
  tiedEmbeddings: true,
};
const MODE: TrainMode = loraMode(0.1);
const SETTINGS: LoopSettings = {
  epochs: 4,
  learningRate: 3e-2,
  batchSize: 2,
  gradientAccumulation: 2,
  warmupRatio: 0.1,
  schedule: "cosine",
  weightDecay: 0.01,
  maxGradNorm: 1,
  beta1: 0.9,
  beta2: 0.999,
  adamEps: 1e-8,
  loggingSteps: 2,
  evalSteps: 3,
  saveSteps: 100,
  earlyStoppingPatience: 0,
  earlyStoppingMinDelta: 0,
  seed: 7,
};

function examples(count: number, seed: number): TokenizedExample[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const length = 6 + Math.floor(random() * 6);
    // A learnable rule: each answer token is the previous token + 1.
    const start = Math.floor(random() * 20);
    const tokens = Array.from({ length }, (_, t) => (t < 3 ? Math.floor(random() * 40) : start + t));
    return { tokens, targetMask: tokens.map((_, t) => t >= 3) };
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-trainer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fresh = (): TrainableModel =>
  TrainableModel.create(randomModelWeights(SHAPE, 2), { mode: MODE, backend: createReferenceBackend(), seed: 1 });
const snapshot = (m: TrainableModel): Float32Array[] => m.params.map((p) => Float32Array.from(p.value));

describe("training loop", () => {
  const train = examples(10, 1);
  const validation = examples(4, 2);

  it("lowers the validation loss and logs metrics", async () => {
    const metricsPath = join(dir, "metrics.jsonl");
    const outcome = await runTraining({
      model: fresh(),
      train,
      validation,
      settings: { ...SETTINGS, epochs: 12 },
      metricsPath,
    });
    const lines = (await readFile(metricsPath, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; eval_loss?: number });
    const evals = lines.filter((l) => l.type === "eval").map((l) => l.eval_loss ?? NaN);
    expect(outcome.stopped).toBe("completed");
    expect(outcome.steps).toBe(outcome.totalSteps);
    expect(evals.at(-1)).toBeLessThan((evals[0] ?? 0) * 0.8);
    expect(lines.some((l) => l.type === "train")).toBe(true);
  });

  it("resumes bit for bit after an interruption (the resumed half with activation checkpointing)", async () => {
    const full = fresh();
    await runTraining({ model: full, train, validation, settings: SETTINGS, checkpointPath: join(dir, "a.ckpt") });

    const checkpointPath = join(dir, "b.ckpt");
    const controller = new AbortController();
    const first = await runTraining({
      model: fresh(),
      train,
      validation,
      settings: SETTINGS,
      checkpointPath,
      signal: controller.signal,
      onProgress: (p) => p.step === 4 && controller.abort(),
    });
    expect(first.stopped).toBe("interrupted");
    expect(first.steps).toBe(4);
    // A new process: a freshly initialised model, state only from the checkpoint.
    const resumed = fresh();
    const second = await runTraining({
      model: resumed,
      train,
      validation,
      settings: SETTINGS,
      checkpointPath,
      resume: true,
      // Recomputed blocks replay the same dropout masks: the same weights, bit for bit.
      checkpointing: true,
    });
    expect(second.resumedFromStep).toBe(4);
    expect(second.steps).toBe(first.totalSteps);
    const a = snapshot(full);
    const b = snapshot(resumed);
    a.forEach((values, i) =>
      expect(Buffer.from((b[i] as Float32Array).buffer).equals(Buffer.from(values.buffer))).toBe(true),
    );
    expect(await readFile(join(dir, "a.ckpt"))).toEqual(await readFile(checkpointPath));
  });

  it("refuses to resume with other settings", async () => {
    await expect(
      runTraining({
        model: fresh(),
        train,
        validation,
        settings: { ...SETTINGS, learningRate: 1e-3 },
        checkpointPath: join(dir, "b.ckpt"),
        resume: true,
      }),
    ).rejects.toThrow(/different settings/);
  });

  it("stops early when the validation loss stops improving", async () => {
    const outcome = await runTraining({
      model: fresh(),
      train,
      validation,
      settings: {
        ...SETTINGS,
        epochs: 30,
        learningRate: 0.5,
        evalSteps: 1,
        earlyStoppingPatience: 2,
        earlyStoppingMinDelta: 10,
      },
    });
    expect(outcome.stopped).toBe("early_stopping");
    expect(outcome.steps).toBe(3);
  });
});
