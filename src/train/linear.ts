/**
 * A linear layer with a frozen (or trainable) base weight, an optional bias, and an optional LoRA
 * pair: y = round(x)·Wᵀ + b + scale · (drop(x)·Aᵀ)·Bᵀ. The base product uses llama.cpp's activation
 * rounding for W's storage type so training sees the numbers inference computes; the rounding is
 * treated as the identity in the backward pass (straight-through), as it is a tiny perturbation.
 * The LoRA path is not rounded: llama.cpp keeps adapter tensors in F32.
 */
import { type Backend, roundActivations } from "../backend/index.js";
import type { LoraLinearKernel } from "../backend/onnx-train.js";
import { type DequantScratch, type FrozenMatrix, matrixValues } from "./frozen.js";
import { dropoutBits } from "../util/random.js";

/** LoRA tensors of one projection with their gradient buffers. */
export interface LoraWeights {
  /** [rank, in]. */
  readonly a: Float32Array;
  /** [out, rank]. */
  readonly b: Float32Array;
  readonly dA: Float32Array;
  readonly dB: Float32Array;
  readonly rank: number;
  /** alpha/rank (or alpha/√rank with rsLoRA). */
  readonly scale: number;
  /** Dropout probability on the LoRA input (training only). */
  readonly dropout: number;
}

/**
 * One projection of a block. Gradient buffers present = that tensor is trainable (then `w` is
 * F32; a frozen `w` may stay encoded and is dequantised once per forward and per backward call).
 */
export interface LinearParams {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly w: FrozenMatrix;
  /**
   * Buffers an encoded `w` is dequantised into (shared by a model's projections, which run one at
   * a time); without it each use dequantises a fresh copy.
   */
  readonly scratch?: DequantScratch;
  readonly bias?: Float32Array;
  readonly dW?: Float32Array;
  readonly dBias?: Float32Array;
  readonly lora?: LoraWeights;
}

/** What the forward pass keeps for the backward pass. */
export interface LinearCache {
  readonly rows: number;
  /** The (rounded) input of the base product. */
  readonly xBase: Float32Array;
  /** LoRA input after dropout (the input itself without dropout). */
  readonly xLora?: Float32Array;
  /** Dropout keep mask (1/(1−p) or 0 per element), absent without dropout. */
  readonly keep?: Float32Array;
  /** x·Aᵀ [rows, rank]. */
  readonly u?: Float32Array;
}

/** Forward pass. `random` draws the dropout mask; without it (evaluation) there is no dropout. */
export async function linearForward(
  backend: Backend,
  p: LinearParams,
  x: Float32Array,
  rows: number,
  random?: () => number,
  fused?: LoraLinearKernel,
): Promise<{ y: Float32Array; cache: LinearCache }> {
  const { inFeatures: k, outFeatures: n } = p;
  const lora = p.lora;
  const { xLora, keep } = lora === undefined ? { xLora: x, keep: undefined } : dropout(x, lora.dropout, random);
  if (fused !== undefined && lora !== undefined && p.dW === undefined && p.dBias === undefined) {
    // One native call for the rounding, the base product, the bias and the LoRA path (frozen
    // base, the common case). No dW, so the rounded input is not kept.
    const r = await fused.loraForward(x, xLora, matrixValues(p.w, p.scratch), lora.a, lora.b, p.bias, lora.scale, {
      rows,
      inFeatures: k,
      outFeatures: n,
      rank: lora.rank,
      rounding: p.w.activationRounding,
    });
    return { y: r.y, cache: { rows, xBase: x, xLora, u: r.u, ...(keep === undefined ? {} : { keep }) } };
  }
  const xBase = roundActivations(x, k, p.w.activationRounding);
  const y = await backend.matmul(xBase, matrixValues(p.w, p.scratch), { m: rows, k, n, transB: true });
  if (p.bias !== undefined) for (let i = 0; i < y.length; i++) y[i] = (y[i] ?? 0) + (p.bias[i % n] ?? 0);
  if (lora === undefined) return { y, cache: { rows, xBase } };
  const u = await backend.matmul(xLora, lora.a, { m: rows, k, n: lora.rank, transB: true });
  const delta = await backend.matmul(u, lora.b, { m: rows, k: lora.rank, n, transB: true });
  for (let i = 0; i < y.length; i++) y[i] = (y[i] ?? 0) + lora.scale * (delta[i] ?? 0);
  return { y, cache: { rows, xBase, xLora, u, ...(keep === undefined ? {} : { keep }) } };
}

/** Inverted dropout of the LoRA input: without `random` (evaluation) or p = 0, the input itself. */
function dropout(x: Float32Array, p: number, random?: () => number): { xLora: Float32Array; keep?: Float32Array } {
  if (random === undefined || p <= 0) return { xLora: x };
  const bits = dropoutBits(x.length, p, random);
  const keep = new Float32Array(x.length);
  const xLora = new Float32Array(x.length);
  const kept = Math.fround(1 / (1 - p));
  for (let i = 0; i < x.length; i++) {
    const m = bits[i] === 1 ? kept : 0;
    keep[i] = m;
    xLora[i] = (x[i] as number) * m;
  }
  return { xLora, keep };
}

/**
 * Backward pass: returns dx and accumulates into the gradient buffers present. No dW product is
 * computed for a frozen weight (the largest saving of LoRA training).
 */
export async function linearBackward(
  backend: Backend,
  p: LinearParams,
  cache: LinearCache,
  dy: Float32Array,
  fused?: LoraLinearKernel,
): Promise<Float32Array> {
  const { inFeatures: k, outFeatures: n } = p;
  const rows = cache.rows;
  const l = p.lora;
  if (
    fused !== undefined &&
    l !== undefined &&
    p.dW === undefined &&
    p.dBias === undefined &&
    cache.u !== undefined &&
    cache.xLora !== undefined
  ) {
    const r = await fused.loraBackward(
      dy,
      cache.xLora,
      matrixValues(p.w, p.scratch),
      l.a,
      l.b,
      cache.u,
      cache.keep,
      l.scale,
      { rows, inFeatures: k, outFeatures: n, rank: l.rank },
    );
    accumulate(l.dA, r.dA);
    accumulate(l.dB, r.dB);
    return r.dx;
  }
  const dx = await backend.matmul(dy, matrixValues(p.w, p.scratch), { m: rows, k: n, n: k });
  if (p.dW !== undefined)
    accumulate(p.dW, await backend.matmul(dy, cache.xBase, { m: n, k: rows, n: k, transA: true }));
  if (p.dBias !== undefined) for (let i = 0; i < dy.length; i++) p.dBias[i % n] = (p.dBias[i % n] ?? 0) + (dy[i] ?? 0);
  const lora = p.lora;
  if (lora === undefined || cache.u === undefined || cache.xLora === undefined) return dx;
  const r = lora.rank;
  const dB = await backend.matmul(dy, cache.u, { m: n, k: rows, n: r, transA: true });
  for (let i = 0; i < dB.length; i++) lora.dB[i] = (lora.dB[i] ?? 0) + lora.scale * (dB[i] ?? 0);
  const du = await backend.matmul(dy, lora.b, { m: rows, k: n, n: r });
  for (let i = 0; i < du.length; i++) du[i] = (du[i] ?? 0) * lora.scale;
  accumulate(lora.dA, await backend.matmul(du, cache.xLora, { m: r, k: rows, n: k, transA: true }));
  const dxLora = await backend.matmul(du, lora.a, { m: rows, k: r, n: k });
  const keep = cache.keep;
  for (let i = 0; i < dx.length; i++)
    dx[i] = (dx[i] ?? 0) + (dxLora[i] ?? 0) * (keep === undefined ? 1 : (keep[i] ?? 0));
  return dx;
}

function accumulate(into: Float32Array, value: Float32Array): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] ?? 0) + (value[i] ?? 0);
}
