/** Element-wise and small operations in plain TypeScript, shared by the CPU backends. */
import type { ActivationRounding, BlockParams } from "./types.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds to half precision (nearest even), as ggml's FP32→FP16 conversion. */
export function toF16(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const exponent = (x >>> 23) & 0xff;
  if (exponent === 0xff) return value;
  const e = exponent - 112;
  if (e >= 31) return value > 0 ? Infinity : -Infinity;
  if (e <= 0) {
    // Subnormal halves are multiples of 2^-24.
    return Math.round(value * 2 ** 24) / 2 ** 24;
  }
  const rest = x & 0x1fff;
  let bits = x & ~0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (x & 0x2000) !== 0)) bits += 0x2000;
  u32[0] = bits >>> 0;
  const rounded = f32[0] ?? 0;
  return Math.abs(rounded) > 65504 ? (rounded > 0 ? Infinity : -Infinity) : rounded;
}

/**
 * Rounds activations in place the way llama.cpp converts them before a product with a weight of
 * a given type (rows of length `width`).
 */
export function roundActivations(x: Float32Array, width: number, rounding: ActivationRounding): Float32Array {
  if (rounding === "none") return x;
  const out = new Float32Array(x.length);
  if (rounding === "f16") {
    for (let i = 0; i < x.length; i++) out[i] = toF16(x[i] ?? 0);
    return out;
  }
  if (rounding === "q8_k") {
    // llama.cpp's x86 quantize_row_q8_K: blocks of 256, scale 127/amax, float32 scale. (Its
    // portable reference uses -128/max; the build node-llama-cpp ships matches this one.)
    for (let start = 0; start < x.length; start += 256) {
      let amax = 0;
      for (let j = 0; j < 256; j++) amax = Math.max(amax, Math.abs(x[start + j] ?? 0));
      if (amax === 0) continue;
      const iscale = Math.fround(127 / amax);
      const d = Math.fround(1 / iscale);
      for (let j = 0; j < 256; j++) out[start + j] = roundHalfEven(Math.fround((x[start + j] ?? 0) * iscale)) * d;
    }
    return out;
  }
  // q8_0 and q8_1 round the values alike.
  for (let start = 0; start < x.length; start += 32) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[start + j] ?? 0));
    const d = Math.fround(amax / 127);
    // x86 SIMD quantize_row_q8_0 scales by 127/amax, not by 1/d (they differ in the last bit).
    const id = amax !== 0 ? Math.fround(127 / amax) : 0;
    const stored = toF16(d);
    for (let j = 0; j < 32; j++) out[start + j] = roundHalfEven(Math.fround((x[start + j] ?? 0) * id)) * stored;
  }
  void width;
  return out;
}

/** Rounds to the nearest integer, ties to even (x86 SIMD rounding, which llama.cpp's kernels use). */
export function roundHalfEven(value: number): number {
  const r = Math.round(value);
  return r - value === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The Q8_1 correction llama.cpp's Q4_1/Q5_1 products carry: per block of 32 activations,
 * f16(d·Σq) − f16(d)·Σq, where d = amax/127 and q the 8-bit values; one per block, row-major. Multiplied
 * with the weight's block minimums it is what llama.cpp adds on top of the dequantised product.
 */
export function q8_1Correction(x: Float32Array): Float32Array {
  const blocks = x.length / 32;
  const out = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j] ?? 0));
    const d = Math.fround(amax / 127);
    const id = amax !== 0 ? Math.fround(127 / amax) : 0;
    let sum = 0;
    for (let j = 0; j < 32; j++) sum += roundHalfEven(Math.fround((x[b * 32 + j] ?? 0) * id));
    out[b] = toF16(Math.fround(d * sum)) - toF16(d) * sum;
  }
  return out;
}

/** RMSNorm of each row, times `weight`. */
export function rmsNorm(x: Float32Array, rows: number, width: number, weight: Float32Array, eps: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    let sum = 0;
    for (let i = 0; i < width; i++) {
      const v = x[o + i] ?? 0;
      sum += Math.fround(v * v);
    }
    // Rounded to float32 step by step as llama.cpp's rms_norm then mul do: the result feeds
    // 8-bit activation rounding, where one ulp can flip a quantisation step.
    const f = Math.fround;
    const scale = f(1 / f(Math.sqrt(f(f(sum / width) + eps))));
    for (let i = 0; i < width; i++) out[o + i] = f(f((x[o + i] ?? 0) * scale) * (weight[i] ?? 0));
  }
  return out;
}

/** Adds a bias to each row in place. */
export function addBias(x: Float32Array, width: number, bias: Float32Array | undefined): void {
  if (bias === undefined) return;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) + (bias[i % width] ?? 0);
}

/** Rope geometry: per-token positions and the cos/sin tables [maxPosition, headDim/2] ({@link ropeTables}). */
export interface RopeSpec {
  readonly type: "norm" | "neox";
  readonly headDim: number;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
  /** Position of each token within its own sequence (packed sequences restart at 0). */
  readonly positions: Int32Array;
}

/** The rope of one sequence at positions 0..tokens-1 with a block's tables. */
export function blockRope(params: BlockParams, tokens: number): RopeSpec {
  return {
    type: params.ropeType,
    headDim: params.headDim,
    cos: params.ropeCos,
    sin: params.ropeSin,
    positions: Int32Array.from({ length: tokens }, (_, t) => t),
  };
}

/**
 * Rotary embedding in place on [tokens, heads, headDim]: the one TypeScript rope of the project
 * (the onnxruntime graphs build theirs as graph nodes). `norm` (llama) rotates adjacent pairs,
 * `neox` (qwen2) rotates the two halves. `inverse` rotates by the negative angle, which is the
 * backward pass (a rotation's Jacobian transpose is its inverse).
 */
export function ropeInPlace(x: Float32Array, heads: number, spec: RopeSpec, inverse = false): void {
  const d = spec.headDim;
  const half = d / 2;
  const sign = inverse ? -1 : 1;
  for (let t = 0; t < spec.positions.length; t++) {
    const p = (spec.positions[t] ?? 0) * half;
    for (let h = 0; h < heads; h++) {
      const o = (t * heads + h) * d;
      for (let i = 0; i < half; i++) {
        const c = spec.cos[p + i] ?? 1;
        const s = sign * (spec.sin[p + i] ?? 0);
        const a = spec.type === "norm" ? o + 2 * i : o + i;
        const b = spec.type === "norm" ? a + 1 : a + half;
        const x0 = x[a] ?? 0;
        const x1 = x[b] ?? 0;
        x[a] = x0 * c - x1 * s;
        x[b] = x0 * s + x1 * c;
      }
    }
  }
}

/**
 * Rope angle tables [tokens, headDim/2]: angle = position · base^(-2i/headDim) / factor[i]
 * (llama.cpp's `rope_freqs` divide the frequency).
 */
export function ropeTables(
  tokens: number,
  headDim: number,
  base: number,
  factors?: Float32Array,
): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(tokens * half);
  const sin = new Float32Array(tokens * half);
  for (let i = 0; i < half; i++) {
    const frequency = base ** ((-2 * i) / headDim) / (factors?.[i] ?? 1);
    for (let t = 0; t < tokens; t++) {
      cos[t * half + i] = Math.cos(t * frequency);
      sin[t * half + i] = Math.sin(t * frequency);
    }
  }
  return { cos, sin };
}

/** Causal grouped-query attention: q [T, H, d], k/v [T, Hkv, d] → [T, H·d]. */
export function attention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  tokens: number,
  params: BlockParams,
): Float32Array {
  const { headCount: H, headCountKv: Hkv, headDim: d } = params;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(d);
  const out = new Float32Array(tokens * H * d);
  const scores = new Float32Array(tokens);
  for (let h = 0; h < H; h++) {
    const kh = Math.floor(h / group);
    for (let t = 0; t < tokens; t++) {
      const qo = (t * H + h) * d;
      let max = -Infinity;
      for (let s = 0; s <= t; s++) {
        const ko = (s * Hkv + kh) * d;
        let dot = 0;
        for (let i = 0; i < d; i++) dot += (q[qo + i] ?? 0) * (k[ko + i] ?? 0);
        scores[s] = dot * scale;
        max = Math.max(max, dot * scale);
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) {
        const e = Math.exp((scores[s] ?? 0) - max);
        scores[s] = e;
        sum += e;
      }
      const oo = (t * H + h) * d;
      for (let s = 0; s <= t; s++) {
        const w = (scores[s] ?? 0) / sum;
        const vo = (s * Hkv + kh) * d;
        for (let i = 0; i < d; i++) out[oo + i] = (out[oo + i] ?? 0) + w * (v[vo + i] ?? 0);
      }
    }
  }
  return out;
}

/** SwiGLU: silu(gate) · up, in a new array. */
export function swiglu(gate: Float32Array, up: Float32Array): Float32Array {
  const out = new Float32Array(gate.length);
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i] ?? 0;
    out[i] = (g / (1 + Math.exp(-g))) * (up[i] ?? 0);
  }
  return out;
}

/**
 * llama.cpp's CPU GELU: the tanh approximation evaluated on the half-precision input and rounded
 * to half precision (its `ggml_table_gelu_f16`), exact below -10 (0) and above 10 (x).
 */
export function geluF16(x: number): number {
  if (x <= -10) return 0;
  if (x >= 10) return x;
  const f = Math.fround;
  const h = toF16(x);
  const inner = f(f(0.7978845608028654 * h) * f(1 + f(f(0.044715 * h) * h)));
  return toF16(f(f(0.5 * h) * f(1 + f(Math.tanh(inner)))));
}

/** GeGLU: gelu(gate) · up, in a new array. */
export function geglu(gate: Float32Array, up: Float32Array): Float32Array {
  const out = new Float32Array(gate.length);
  for (let i = 0; i < gate.length; i++) out[i] = geluF16(gate[i] ?? 0) * (up[i] ?? 0);
  return out;
}

/** a += b element-wise, in place. */
export function addInPlace(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
}
