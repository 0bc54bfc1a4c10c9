/**
 * The q/k row permutation of llama-architecture GGUFs. llama.cpp's `convert_hf_to_gguf.py`
 * (`LlamaModel.permute(weights, n_head, n_head_kv)`) reorders the output rows of `q_proj` (with
 * the head count) and `k_proj` (with the KV head count) so that llama.cpp's rope, which rotates
 * adjacent pairs, matches Hugging Face's, which rotates halves:
 *
 *   weights.reshape(n_head, 2, head_dim / 2, in).swapaxes(1, 2).reshape(out, in)
 *
 * i.e. within each head, GGUF row `2·j + s` is HF row `s·head_dim/2 + j` (s ∈ {0, 1}). For a
 * LoRA pair only B carries output rows, so only B's rows move (as in `convert_lora_to_gguf.py`,
 * whose LoRA tensor applies the reshape/swapaxes to B and leaves A alone). qwen2 GGUFs keep HF's
 * order.
 */
import { AdapterError } from "./errors.js";

function permuteRows(matrix: Float32Array, rows: number, heads: number, toGguf: boolean): Float32Array {
  if (rows % heads !== 0 || (rows / heads) % 2 !== 0)
    throw new AdapterError(`q/k permutation: ${rows} rows do not split into ${heads} heads of even size`);
  const columns = matrix.length / rows;
  if (!Number.isInteger(columns))
    throw new AdapterError(`q/k permutation: ${matrix.length} values are not ${rows} rows`);
  const headDim = rows / heads;
  const half = headDim / 2;
  const out = new Float32Array(matrix.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      for (let s = 0; s < 2; s++) {
        const ggufRow = h * headDim + 2 * j + s;
        const hfRow = h * headDim + s * half + j;
        const [from, to] = toGguf ? [hfRow, ggufRow] : [ggufRow, hfRow];
        out.set(matrix.subarray(from * columns, (from + 1) * columns), to * columns);
      }
    }
  }
  return out;
}

/** Hugging Face row order → GGUF row order (what llama.cpp's converter does), for a [rows, columns] matrix. */
export function hfToGgufRows(matrix: Float32Array, rows: number, heads: number): Float32Array {
  return permuteRows(matrix, rows, heads, true);
}

/** GGUF row order → Hugging Face row order (the inverse of {@link hfToGgufRows}). */
export function ggufToHfRows(matrix: Float32Array, rows: number, heads: number): Float32Array {
  return permuteRows(matrix, rows, heads, false);
}

/** Head geometry needed to (un)permute q/k LoRA B matrices. */
export interface HeadCounts {
  readonly headCount: number;
  readonly headCountKv: number;
}

/**
 * The head count to permute a target's rows with, or `undefined` when its rows are not permuted:
 * `attn_q` uses the head count, `attn_k` the KV head count, only for the `llama` architecture.
 */
export function permutationHeads(architecture: string, target: string, heads: HeadCounts): number | undefined {
  if (architecture !== "llama") return undefined;
  if (/\.attn_q\.weight$/.test(target)) return heads.headCount;
  if (/\.attn_k\.weight$/.test(target)) return heads.headCountKv;
  return undefined;
}
