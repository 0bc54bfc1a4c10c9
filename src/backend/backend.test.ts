import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOnnxBackend,
  createReferenceBackend,
  matmulReference,
  ropeTables,
  toF16,
  type Backend,
  type BlockMatrix,
  type BlockParams,
  type BlockWeights,
} from "./index.js";
import { F16_TABLE } from "../gguf/half.js";
import { f32ToF16 } from "../gguf/index.js";
import { geluF16, roundActivations } from "./ops.js";
import { createRandom } from "../util/random.js";

/** Uniform in [-0.5, 0.5). */
function random(seed: number): () => number {
  const uniform = createRandom(seed);
  return () => uniform() - 0.5;
}
const fill = (n: number, r: () => number, scale = 1): Float32Array =>
  Float32Array.from({ length: n }, () => r() * scale);
function maxRelative(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
    s = Math.max(s, Math.abs(b[i] ?? 0));
  }
  return a.length === b.length ? d / s : Infinity;
}

/** Random block weights (values drawn in this order: attn norm, wq, wk, wv, wo, ffn norm, gate, up, down, biases). */
function randomBlock(
  r: () => number,
  s: {
    n: number;
    ff: number;
    H: number;
    Hkv: number;
    d: number;
    T: number;
    rounding: BlockMatrix["activationRounding"];
    biases: boolean;
  },
): { w: BlockWeights; p: BlockParams } {
  const { n, ff, H, Hkv, d, T } = s;
  const m = (rows: number, cols: number): BlockMatrix => ({
    data: fill(rows * cols, r, 0.3),
    activationRounding: s.rounding,
  });
  const w: BlockWeights = {
    attnNorm: fill(n, r).map((v) => 1 + v),
    wq: m(H * d, n),
    wk: m(Hkv * d, n),
    wv: m(Hkv * d, n),
    wo: m(n, H * d),
    ffnNorm: fill(n, r).map((v) => 1 + v),
    wGate: m(ff, n),
    wUp: m(ff, n),
    wDown: m(n, ff),
    ...(s.biases ? { bq: fill(H * d, r), bk: fill(Hkv * d, r), bv: fill(Hkv * d, r) } : {}),
  };
  const tables = ropeTables(T, d, 10000);
  const p: BlockParams = {
    embeddingLength: n,
    feedForwardLength: ff,
    headCount: H,
    headCountKv: Hkv,
    headDim: d,
    rmsEpsilon: 1e-5,
    ropeType: "norm",
    ropeCos: tables.cos,
    ropeSin: tables.sin,
  };
  return { w, p };
}

let onnx: Backend;
beforeAll(async () => {
  onnx = await createOnnxBackend({ threads: 2 });
});
afterAll(async () => {
  await onnx.dispose();
});

describe("matmul", () => {
  it("reference matmul computes a known product with every transposition", () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // [2,3]
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]); // [3,2]
    expect([...matmulReference(a, b, { m: 2, k: 3, n: 2 })]).toEqual([58, 64, 139, 154]);
    const aT = Float32Array.from([1, 4, 2, 5, 3, 6]); // [3,2] = Aᵀ
    const bT = Float32Array.from([7, 9, 11, 8, 10, 12]); // [2,3] = Bᵀ
    expect([...matmulReference(aT, bT, { m: 2, k: 3, n: 2, transA: true, transB: true })]).toEqual([58, 64, 139, 154]);
  });

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`onnxruntime matches the reference (transA=${transA}, transB=${transB})`, async () => {
        const r = random(3);
        const [m, k, n] = [37, 70, 45];
        const a = fill(m * k, r);
        const b = fill(k * n, r);
        const shape = { m, k, n, transA, transB };
        expect(maxRelative(await onnx.matmul(a, b, shape), matmulReference(a, b, shape))).toBeLessThan(1e-5);
      });
    }
  }
});

describe("block", () => {
  for (const [ropeType, biases] of [
    ["norm", false],
    ["neox", true],
  ] as const) {
    for (const rounding of ["none", "f16", "q8_0"] as const) {
      it(`onnxruntime block matches the reference (${ropeType} rope, biases ${biases}, ${rounding} activations)`, async () => {
        const r = random(ropeType === "norm" ? 5 : 6);
        const T = 9;
        const { w, p: norm } = randomBlock(r, { n: 64, ff: 96, H: 4, Hkv: 2, d: 16, T, rounding, biases });
        const p: BlockParams = { ...norm, ropeType };
        const x = fill(T * 64, r, 2);
        const expected = await createReferenceBackend().block(x, T, w, p);
        // 8-bit activation rounding amplifies float32 summation differences (see parity tests).
        expect(maxRelative(await onnx.block(x, T, w, p), expected)).toBeLessThan(rounding === "q8_0" ? 2e-2 : 1e-4);
      });
    }
  }
});

describe("gemma-style block", () => {
  for (const rounding of ["none", "q8_0"] as const) {
    it(`onnxruntime matches the reference with GeGLU and queries wider than the width (${rounding})`, async () => {
      const r = random(8);
      const T = 7;
      const { w, p } = randomBlock(r, { n: 64, ff: 96, H: 4, Hkv: 1, d: 32, T, rounding, biases: false });
      const params: BlockParams = { ...p, rmsEpsilon: 1e-6, ropeType: "neox", activation: "gelu" };
      const x = fill(T * 64, r, 2);
      const expected = await createReferenceBackend().block(x, T, w, params);
      expect(maxRelative(await onnx.block(x, T, w, params), expected)).toBeLessThan(rounding === "q8_0" ? 2e-2 : 1e-4);
    });
  }

  it("GELU follows llama.cpp's half-precision table", () => {
    expect(geluF16(-10)).toBe(0);
    expect(geluF16(12)).toBe(12);
    expect(geluF16(0)).toBe(0);
    // Exact tanh GELU at 1 is 0.841192; the half-precision result is the nearest half.
    expect(geluF16(1)).toBe(toF16(0.8411920070648193));
    for (let x = -9.5; x < 9.5; x += 0.37)
      expect(Math.abs(geluF16(x) - 0.5 * x * (1 + Math.tanh(0.7978845608 * (x + 0.044715 * x ** 3))))).toBeLessThan(
        1e-2 * Math.max(1, Math.abs(x)),
      );
  });
});

describe("activation rounding", () => {
  it("rounds to half precision like ggml", () => {
    expect(toF16(1 + 2 ** -11)).toBe(1); // tie to even
    expect(toF16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(toF16(65520)).toBe(Infinity);
    expect(toF16(2 ** -25 * 3)).toBe(2 ** -23);
    // Cross-check with the GGUF module's independent bit-level conversion.
    const r = random(9);
    for (let i = 0; i < 20000; i++) {
      const v = r() * 2 ** Math.floor(r() * 60 - 30);
      expect(toF16(v)).toBe(F16_TABLE[f32ToF16(v)]);
    }
  });
  it("quantises blocks of 32 to 8 bits with an F16 scale", () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 10);
    const y = roundActivations(x, 32, "q8_0");
    const d = toF16(1.6 / 127);
    expect(y[0]).toBeCloseTo(-127 * d, 6);
    for (const v of y) expect(Math.abs(Math.round(v / d) * d - v)).toBeLessThan(1e-6);
  });
  it("quantises blocks of 256 to Q8_K with the largest magnitude at 127 steps", () => {
    const x = Float32Array.from({ length: 256 }, (_, i) => (i === 7 ? -2 : Math.sin(i)));
    const y = roundActivations(x, 256, "q8_k");
    const d = Math.fround(1 / Math.fround(127 / 2));
    expect(y[7]).toBeCloseTo(-127 * d, 6);
    for (const [i, v] of y.entries()) {
      expect(Math.abs(Math.round(v / d) * d - v)).toBeLessThan(1e-6);
      expect(Math.abs(v - (x[i] ?? 0))).toBeLessThanOrEqual(Math.abs(d) / 2 + 1e-6);
    }
    expect([...roundActivations(new Float32Array(256), 256, "q8_k")].every((v) => v === 0)).toBe(true);
  });
});
