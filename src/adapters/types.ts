/**
 * A LoRA adapter in memory: the one shape that the trainer produces and that every adapter format
 * (llama.cpp's adapter GGUF, PEFT safetensors) is written from and read into.
 *
 * Conventions (those of llama.cpp and PEFT): for a frozen base weight W of shape [out, in]
 * (row-major, GGML's layout), the adapted layer computes
 *   y = W·x + scale · B·(A·x),   scale = alpha / rank
 * with A of shape [rank, in] and B of shape [out, rank], both row-major. (rsLoRA's
 * alpha / sqrt(rank) is expressed by storing alpha' = alpha · sqrt(rank), since llama.cpp
 * always divides by the rank.)
 */
export interface LoraTensorPair {
  /** The GGUF name of the base weight this pair adapts, e.g. `blk.0.attn_q.weight`. */
  readonly target: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [rank, inFeatures], row-major. */
  readonly a: Float32Array;
  /** [outFeatures, rank], row-major. */
  readonly b: Float32Array;
}

/** A LoRA adapter in memory: rank, alpha, the base it belongs to and its A/B tensor pairs. */
export interface LoraAdapter {
  /** Architecture of the base model (`general.architecture`), e.g. `llama` or `qwen2`. */
  readonly architecture: string;
  readonly rank: number;
  readonly alpha: number;
  /** Free-form name of the base model, for reports and metadata. */
  readonly baseModelName?: string;
  readonly tensors: readonly LoraTensorPair[];
}

/** The projections LoRA can adapt, by their GGUF tensor-name suffix within a block. */
export const LORA_TARGET_SUFFIXES = {
  q: "attn_q",
  k: "attn_k",
  v: "attn_v",
  o: "attn_output",
  gate: "ffn_gate",
  up: "ffn_up",
  down: "ffn_down",
} as const;
/** A projection LoRA can adapt, by its short name (q, k, v, o, gate, up, down). */
export type LoraTargetModule = keyof typeof LORA_TARGET_SUFFIXES;
/** Every projection LoRA can adapt, in block order (the trainer's default targets). */
export const LORA_TARGET_MODULES = [
  "q",
  "k",
  "v",
  "o",
  "gate",
  "up",
  "down",
] as const satisfies readonly LoraTargetModule[];
