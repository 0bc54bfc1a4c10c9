/**
 * Gradients of every layer, and of the whole model (LoRA A/B and, in full mode, every weight),
 * against central finite differences. Losses are projections Σ r⊙out summed in float64; the
 * float32 forward passes use a large enough epsilon that rounding noise stays well below the
 * tolerance, and the tolerance is tight enough that a wrong sign, factor or index fails.
 */
import { describe, expect, it } from "vitest";
import { createReferenceBackend, ropeTables } from "../backend/index.js";
import { randomModelWeights, type ModelShape } from "../model/index.js";
import { createRandom } from "../util/random.js";
import { packBatch } from "./batch.js";
import * as layers from "./layers.js";
import { ropeInPlace } from "../backend/index.js";
import { linearBackward, linearForward, type LinearParams } from "./linear.js";
import { TrainableModel, type TrainMode } from "./model.js";

const random = createRandom(42);
const randn = (count: number, std = 1): Float32Array =>
  Float32Array.from({ length: count }, () => (random() * 2 - 1) * std * Math.sqrt(3));
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

/** Checks `grad` (d loss / d input) against central differences at a sample of indices. */
async function check(
  input: Float32Array,
  grad: Float32Array,
  loss: () => number | Promise<number>,
  options: { eps?: number; samples?: number; tol?: number } = {},
): Promise<void> {
  const eps = options.eps ?? 1e-2;
  const samples = options.samples ?? 12;
  const tol = options.tol ?? 2e-2;
  let scale = 0;
  for (const g of grad) scale = Math.max(scale, Math.abs(g));
  expect(scale).toBeGreaterThan(0);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random() * input.length);
    const saved = input[i] ?? 0;
    input[i] = saved + eps;
    const plus = await loss();
    input[i] = saved - eps;
    const minus = await loss();
    input[i] = saved;
    const numeric = (plus - minus) / (2 * eps);
    expect(Math.abs(numeric - (grad[i] ?? 0)), `index ${i}: numeric ${numeric}, analytic ${grad[i]}`).toBeLessThan(
      tol * scale + 1e-4,
    );
  }
}

describe("layer gradients vs finite differences", () => {
  it("embedding", async () => {
    const table = randn(10 * 4);
    const tokens = Int32Array.from([3, 1, 3, 7]);
    const r = randn(16);
    const d = new Float32Array(table.length);
    layers.embeddingBackward(d, r, tokens, 4);
    await check(table, d, () => dot(layers.embeddingForward(table, tokens, 4), r));
  });

  it("RMSNorm (input and weight)", async () => {
    const x = randn(3 * 8);
    const w = randn(8);
    const r = randn(24);
    const { rstd } = layers.rmsNormForward(x, 3, 8, w, 1e-5);
    const dx = new Float32Array(24);
    const dw = new Float32Array(8);
    layers.rmsNormBackward(r, x, rstd, w, 3, 8, dx, dw);
    const loss = (): number => dot(layers.rmsNormForward(x, 3, 8, w, 1e-5).y, r);
    await check(x, dx, loss);
    await check(w, dw, loss);
  });

  for (const type of ["norm", "neox"] as const) {
    it(`rope (${type})`, async () => {
      const tables = ropeTables(8, 8, 10000);
      const spec = { type, headDim: 8, cos: tables.cos, sin: tables.sin, positions: Int32Array.from([0, 1, 2, 0, 5]) };
      const x = randn(5 * 2 * 8);
      const r = randn(x.length);
      const d = Float32Array.from(r);
      ropeInPlace(d, 2, spec, true);
      await check(x, d, () => {
        const y = Float32Array.from(x);
        ropeInPlace(y, 2, spec);
        return dot(y, r);
      });
    });
  }

  it("causal grouped-query attention over packed sequences", async () => {
    const spec = { headCount: 4, headCountKv: 2, headDim: 4, boundaries: [0, 3, 7] };
    const q = randn(7 * 16);
    const k = randn(7 * 8);
    const v = randn(7 * 8);
    const r = randn(7 * 16);
    const { probs } = layers.attentionForward(q, k, v, spec);
    const { dq, dk, dv } = layers.attentionBackward(r, q, k, v, probs, spec);
    const loss = (): number => dot(layers.attentionForward(q, k, v, spec).out, r);
    await check(q, dq, loss);
    await check(k, dk, loss);
    await check(v, dv, loss);
  });

  it("SwiGLU", async () => {
    const g = randn(20, 2);
    const u = randn(20);
    const r = randn(20);
    const { dGate, dUp } = layers.swigluBackward(r, g, u, layers.swigluForward(g, u).sigmoid);
    const loss = (): number => dot(layers.swigluForward(g, u).out, r);
    await check(g, dGate, loss);
    await check(u, dUp, loss);
  });

  it("cross-entropy", async () => {
    const logits = randn(3 * 6, 2);
    const targets = Int32Array.from([2, 0, 5]);
    const d = Float32Array.from(logits);
    layers.crossEntropyInPlace(d, targets, 6, 0.5);
    // The returned loss is unweighted; the gradient is that of weight · loss.
    await check(logits, d, () => 0.5 * layers.crossEntropyInPlace(Float32Array.from(logits), targets, 6, 0.5));
  });

  it("linear with bias, trainable weight and LoRA (A, B, input, dropout)", async () => {
    const backend = createReferenceBackend();
    const rank = 2;
    const weight = randn(30);
    const p: LinearParams = {
      inFeatures: 6,
      outFeatures: 5,
      w: { data: weight, activationRounding: "none" },
      bias: randn(5),
      dW: new Float32Array(30),
      dBias: new Float32Array(5),
      lora: {
        a: randn(rank * 6),
        b: randn(5 * rank),
        dA: new Float32Array(rank * 6),
        dB: new Float32Array(5 * rank),
        rank,
        scale: 1.5,
        dropout: 0.3,
      },
    };
    const x = randn(4 * 6);
    const r = randn(4 * 5);
    // The same dropout mask in every evaluation: a generator reseeded per call.
    const seeded = (): (() => number) => createRandom(7);
    const { cache } = await linearForward(backend, p, x, 4, seeded());
    const dx = await linearBackward(backend, p, cache, r);
    const loss = async (): Promise<number> => dot((await linearForward(backend, p, x, 4, seeded())).y, r);
    await check(x, dx, loss);
    await check(weight, p.dW as Float32Array, loss);
    await check(p.bias as Float32Array, p.dBias as Float32Array, loss);
    await check(p.lora?.a as Float32Array, p.lora?.dA as Float32Array, loss);
    await check(p.lora?.b as Float32Array, p.lora?.dB as Float32Array, loss);
  });
});

const SHAPE: Omit<ModelShape, "arch" | "tiedEmbeddings"> = {
  vocabSize: 24,
  embeddingLength: 16,
  blockCount: 2,
  feedForwardLength: 24,
  headCount: 4,
  headCountKv: 2,
  contextLength: 64,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
};

describe("whole-model gradients vs finite differences", () => {
  const batch = packBatch([
    { tokens: [1, 5, 9, 2, 7, 3], targetMask: [false, false, true, true, false, true] },
    { tokens: [4, 8, 8, 1, 0], targetMask: [false, true, true, true, true] },
  ]);
  const cases: { arch: "llama" | "qwen2"; tied: boolean; mode: TrainMode }[] = [
    {
      arch: "llama",
      tied: false,
      mode: {
        kind: "lora",
        rank: 2,
        alpha: 4,
        dropout: 0,
        rslora: false,
        targets: ["q", "k", "v", "o", "gate", "up", "down"],
      },
    },
    {
      arch: "qwen2",
      tied: true,
      mode: { kind: "lora", rank: 3, alpha: 3, dropout: 0, rslora: true, targets: ["q", "v", "down"] },
    },
    { arch: "llama", tied: false, mode: { kind: "full" } },
    { arch: "qwen2", tied: true, mode: { kind: "full" } },
  ];
  for (const [index, { arch, tied, mode }] of cases.entries()) {
    // Every other case with activation checkpointing (blocks recomputed in the backward pass).
    const checkpointing = index % 2 === 1;
    it(`${arch} (${tied ? "tied" : "untied"} head), ${mode.kind}${checkpointing ? ", checkpointing" : ""}: every trainable tensor`, async () => {
      const weights = randomModelWeights({ ...SHAPE, arch, tiedEmbeddings: tied }, 3);
      const model = TrainableModel.create(weights, { mode, backend: createReferenceBackend(), seed: 5 });
      // B starts at zero (so A's gradient would be zero): give B values to exercise both.
      for (const p of model.params) if (p.name.endsWith("lora_b")) p.value.set(randn(p.value.length, 0.5));
      model.zeroGrad();
      await model.run(batch, { backward: true, lossWeight: 1, checkpointing });
      const loss = async (): Promise<number> => (await model.run(batch)).loss;
      expect(model.params.length).toBeGreaterThan(0);
      for (const p of model.params) await check(p.value, p.grad, loss, { samples: 4, eps: 2e-2 });
    });
  }
});
