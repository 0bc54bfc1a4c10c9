/**
 * The compute backend interface. The forward pass and the trainer call only these
 * operations, so a GPU backend can replace the CPU ones without touching model code.
 */

/** Shape of a matrix product C[m,n] = op(A)·op(B), all matrices row-major float32. */
export interface MatmulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A is stored as [k, m] and used transposed. Default false (A stored [m, k]). */
  readonly transA?: boolean;
  /** B is stored as [n, k] and used transposed. Default false (B stored [k, n]). */
  readonly transB?: boolean;
}

/** How activations are rounded before a product with a weight, to match llama.cpp's CPU kernels. */
export type ActivationRounding = "none" | "f16" | "q8_0" | "q8_1" | "q8_k";

/** One weight matrix of a block, [out, in] row-major (GGML's layout), already dequantised. */
export interface BlockMatrix {
  readonly data: Float32Array;
  /**
   * Rounding llama.cpp applies to the activations multiplied with this weight (its `vec_dot_type`):
   * `f16` for F16 weights, `q8_0` for Q8_0/Q4_0/Q5_0 weights, `q8_1` for Q4_1/Q5_1 weights (values
   * as `q8_0`), `q8_k` for K-quants, `none` for F32.
   */
  readonly activationRounding: ActivationRounding;
  /**
   * For Q4_1/Q5_1 weights: the per-block minimum of each row, [out, in/32]. llama.cpp multiplies
   * it with a half-precision block sum of the activations; backends that know this add the
   * difference that rounding makes.
   */
  readonly blockMins?: Float32Array;
}

/** Weights of one decoder block of the llama family (llama, qwen2). */
export interface BlockWeights {
  readonly attnNorm: Float32Array;
  readonly wq: BlockMatrix;
  readonly wk: BlockMatrix;
  readonly wv: BlockMatrix;
  readonly bq?: Float32Array;
  readonly bk?: Float32Array;
  readonly bv?: Float32Array;
  readonly wo: BlockMatrix;
  readonly ffnNorm: Float32Array;
  readonly wGate: BlockMatrix;
  readonly wUp: BlockMatrix;
  readonly wDown: BlockMatrix;
}

/** The sizes and fixed choices of a decoder block: what every block pass and graph is built from. */
export interface BlockShape {
  readonly embeddingLength: number;
  readonly feedForwardLength: number;
  readonly headCount: number;
  readonly headCountKv: number;
  readonly headDim: number;
  readonly rmsEpsilon: number;
  /** `norm`: rotate adjacent pairs (llama); `neox`: rotate halves (qwen2). */
  readonly ropeType: "norm" | "neox";
}

/** The {@link BlockShape} fields of a model config (or any object that has them), and nothing else. */
export function blockShape(c: BlockShape): BlockShape {
  const { embeddingLength, feedForwardLength, headCount, headCountKv, headDim, rmsEpsilon, ropeType } = c;
  return { embeddingLength, feedForwardLength, headCount, headCountKv, headDim, rmsEpsilon, ropeType };
}

/** Hyper-parameters of a block forward pass. */
export interface BlockParams extends BlockShape {
  /**
   * Gated feed-forward activation: `silu` (SwiGLU: llama, qwen2) or `gelu` (GeGLU with llama.cpp's
   * tanh GELU looked up through half precision: gemma). Default `silu`.
   */
  readonly activation?: "silu" | "gelu";
  /** cos/sin of the rotation angle for each position and frequency, [tokens, headDim/2] each. */
  readonly ropeCos: Float32Array;
  readonly ropeSin: Float32Array;
}

/** A compute backend. All arrays are row-major float32; results are new arrays. */
export interface Backend {
  readonly name: string;
  /** C = op(A)·op(B). */
  matmul(a: Float32Array, b: Float32Array, shape: MatmulShape): Promise<Float32Array>;
  /**
   * One causal decoder block over `tokens` positions starting at position 0: RMSNorm, attention
   * with rope and grouped-query heads, residual, RMSNorm, SwiGLU feed-forward, residual.
   * `x` is [tokens, embeddingLength]; returns the new hidden state of the same shape.
   */
  block(x: Float32Array, tokens: number, weights: BlockWeights, params: BlockParams): Promise<Float32Array>;
  /** Releases native resources. */
  dispose(): Promise<void>;
}
