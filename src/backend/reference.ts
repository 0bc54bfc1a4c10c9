/**
 * The reference backend: plain TypeScript loops, no native code. Slow (a few GFLOP/s) but
 * obviously correct; tests compare the fast backends against it.
 */
import {
  addBias,
  addInPlace,
  attention,
  geglu,
  q8_1Correction,
  rmsNorm,
  blockRope,
  ropeInPlace,
  roundActivations,
  swiglu,
} from "./ops.js";
import type { Backend, BlockMatrix, BlockParams, BlockWeights, MatmulShape } from "./types.js";

/** C = op(A)·op(B) with plain loops (i-k-j order for the common case so the inner loop is contiguous). */
export function matmulReference(a: Float32Array, b: Float32Array, shape: MatmulShape): Float32Array {
  const { m, k, n, transA = false, transB = false } = shape;
  if (a.length < m * k || b.length < k * n)
    throw new RangeError(
      `matmul: expected A of ${m * k} and B of ${k * n} elements, found ${a.length} and ${b.length}`,
    );
  const c = new Float32Array(m * n);
  if (transB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (transA ? (a[p * m + i] ?? 0) : (a[i * k + p] ?? 0)) * (b[j * k + p] ?? 0);
        c[i * n + j] = sum;
      }
    }
    return c;
  }
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = transA ? (a[p * m + i] ?? 0) : (a[i * k + p] ?? 0);
      if (av === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = 0; j < n; j++) c[co + j] = (c[co + j] ?? 0) + av * (b[bo + j] ?? 0);
    }
  }
  return c;
}

/** x[tokens, in] · Wᵀ for W [out, in], with llama.cpp's activation rounding for W's type. */
export function linear(x: Float32Array, tokens: number, width: number, w: BlockMatrix): Float32Array {
  const out = w.data.length / width;
  const y = matmulReference(roundActivations(x, width, w.activationRounding), w.data, {
    m: tokens,
    k: width,
    n: out,
    transB: true,
  });
  if (w.activationRounding === "q8_1" && w.blockMins !== undefined) {
    const correction = matmulReference(q8_1Correction(x), w.blockMins, {
      m: tokens,
      k: width / 32,
      n: out,
      transB: true,
    });
    addInPlace(y, correction);
  }
  return y;
}

/** A decoder block computed with the plain TypeScript operations. */
export function blockReference(x: Float32Array, tokens: number, w: BlockWeights, p: BlockParams): Float32Array {
  const n = p.embeddingLength;
  const kvWidth = p.headCountKv * p.headDim;
  const h = rmsNorm(x, tokens, n, w.attnNorm, p.rmsEpsilon);
  const qWidth = p.headCount * p.headDim;
  const q = linear(h, tokens, n, w.wq);
  const k = linear(h, tokens, n, w.wk);
  const v = linear(h, tokens, n, w.wv);
  addBias(q, qWidth, w.bq);
  addBias(k, kvWidth, w.bk);
  addBias(v, kvWidth, w.bv);
  const rope = blockRope(p, tokens);
  ropeInPlace(q, p.headCount, rope);
  ropeInPlace(k, p.headCountKv, rope);
  const attended = attention(q, k, v, tokens, p);
  const residual = Float32Array.from(x);
  addInPlace(residual, linear(attended, tokens, p.headCount * p.headDim, w.wo));
  const h2 = rmsNorm(residual, tokens, n, w.ffnNorm, p.rmsEpsilon);
  const glu = p.activation === "gelu" ? geglu : swiglu;
  const gated = glu(linear(h2, tokens, n, w.wGate), linear(h2, tokens, n, w.wUp));
  addInPlace(residual, linear(gated, tokens, p.feedForwardLength, w.wDown));
  return residual;
}

/** Creates the reference backend. */
export function createReferenceBackend(): Backend {
  return {
    name: "reference",
    matmul: async (a, b, shape) => matmulReference(a, b, shape),
    block: async (x, tokens, weights, params) => blockReference(x, tokens, weights, params),
    dispose: async () => undefined,
  };
}
