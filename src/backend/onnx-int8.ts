/**
 * 8-bit integer products through frozen base weights, for the fused LoRA block graphs
 * (`onnx-lora-block.ts`). llama.cpp computes a Q8_0 product the same way in spirit: activations
 * quantised to 8 bits on the fly, integer dot products, float scales applied to the sums. Here
 * the scales are per row of the activations and per output column of the weights (not per block
 * of 32, which onnxruntime's fast integer kernel cannot apply), and onnxruntime's
 * `DynamicQuantizeMatMul` does the integer product: about twice the fp32 Gemm's speed on this
 * AVX2 CPU (see `bench/int8-gemm.ts`).
 *
 * Weights are symmetric int8 with |q| ≤ 63 (7 bits): x86 CPUs without VNNI multiply uint8 by
 * int8 with an instruction whose 16-bit pair sums saturate for full-range weights; onnxruntime's
 * own quantiser has the same `reduce_range` rule for these CPUs. Only frozen matrices take this
 * path: the LoRA products and the LoRA gradients stay fp32.
 */
import type { GraphBuilder } from "./onnx-graphs.js";

/** Largest weight code: 7 bits, so u8·s8 pair sums fit in int16 on AVX2. */
const WEIGHT_LEVELS = 63;

/** A packed int8 right operand B [k, n] with one float scale per column: B ≈ codes ⊙ scale. */
export interface Int8Matrix {
  readonly codes: Int8Array;
  readonly scales: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** One frozen matrix W [out, in] (row-major) to pack. */
export interface Int8Part {
  readonly values: Float32Array;
  readonly outFeatures: number;
  readonly inFeatures: number;
}

/**
 * Packs W₁…W_p (same `inFeatures`) as the right operand of the forward product x·[W₁;…;W_p]ᵀ:
 * B = [W₁ᵀ … W_pᵀ] [in, Σout], one scale per output feature.
 */
export function packForward(parts: readonly Int8Part[]): Int8Matrix {
  const k = parts[0]?.inFeatures ?? 0;
  const n = parts.reduce((sum, p) => sum + p.outFeatures, 0);
  const codes = new Int8Array(k * n);
  const scales = new Float32Array(n);
  let column = 0;
  for (const p of parts) {
    if (p.inFeatures !== k) throw new RangeError(`packForward: inFeatures ${p.inFeatures} ≠ ${k}`);
    for (let o = 0; o < p.outFeatures; o++, column++) {
      const row = p.values.subarray(o * k, o * k + k);
      let amax = 0;
      for (let i = 0; i < k; i++) amax = Math.max(amax, Math.abs(row[i] as number));
      const scale = amax / WEIGHT_LEVELS;
      const inverse = amax > 0 ? WEIGHT_LEVELS / amax : 0;
      scales[column] = scale;
      for (let i = 0; i < k; i++) codes[i * n + column] = Math.round((row[i] as number) * inverse);
    }
  }
  return { codes, scales, rows: k, columns: n };
}

/**
 * Packs W₁…W_p (same `inFeatures`) as the right operand of the input-gradient product
 * [dy₁ … dy_p]·[W₁;…;W_p]: B = the stacked matrices [Σout, in], one scale per input feature.
 */
export function packBackward(parts: readonly Int8Part[]): Int8Matrix {
  const n = parts[0]?.inFeatures ?? 0;
  const k = parts.reduce((sum, p) => sum + p.outFeatures, 0);
  const amax = new Float32Array(n);
  for (const p of parts) {
    if (p.inFeatures !== n) throw new RangeError(`packBackward: inFeatures ${p.inFeatures} ≠ ${n}`);
    for (let r = 0; r < p.outFeatures; r++)
      for (let i = 0; i < n; i++) amax[i] = Math.max(amax[i] as number, Math.abs(p.values[r * n + i] as number));
  }
  const scales = new Float32Array(n);
  const inverse = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = amax[i] as number;
    scales[i] = a / WEIGHT_LEVELS;
    inverse[i] = a > 0 ? WEIGHT_LEVELS / a : 0;
  }
  const codes = new Int8Array(k * n);
  let offset = 0;
  for (const p of parts) {
    const count = p.outFeatures * n;
    for (let j = 0; j < count; j++)
      codes[offset + j] = Math.round((p.values[j] as number) * (inverse[j % n] as number));
    offset += count;
  }
  return { codes, scales, rows: k, columns: n };
}

/**
 * x [N, k] (float) times an {@link Int8Matrix} input pair (`codes` [k, n] int8, `scales` [n]):
 * each row of x is divided by its largest magnitude, so onnxruntime's per-tensor 8-bit
 * quantisation of the activations acts per row; the product is scaled back afterwards.
 */
export function int8Product(
  g: GraphBuilder,
  x: string,
  codes: string,
  scales: string,
  options: { perRow?: boolean } = {},
): string {
  // `perRow: false` for RMSNorm outputs: their rows already share one scale up to the norm weight.
  if (options.perRow === false) return markMicrosoft(g, g.node("DynamicQuantizeMatMul", [x, codes, scales]));
  const amax = g.node("Max", [g.node("ReduceMax", [g.node("Abs", [x])], { axes: [-1], keepdims: 1 }), g.float(1e-30)]);
  const normalized = g.node("Div", [x, amax]);
  const product = markMicrosoft(g, g.node("DynamicQuantizeMatMul", [normalized, codes, scales]));
  return g.node("Mul", [product, amax]);
}

/** Sets the com.microsoft domain on the node that produced `output`; returns `output`. */
function markMicrosoft(g: GraphBuilder, output: string): string {
  const index = g.nodes.findIndex((n) => n.outputs.includes(output));
  const node = g.nodes[index];
  if (node !== undefined) g.nodes[index] = { ...node, domain: "com.microsoft" };
  return output;
}
