/**
 * The maximum sequence length when none is given (`maxLength: "auto"`): the longest example, so
 * nothing is cut, unless the model's context length or the memory a micro-batch of that length
 * needs says otherwise. Both caps are reported, so a user sees why examples were cut. Also
 * decides activation checkpointing (`auto`: on only when the length needs it, since it costs
 * about a third more compute).
 */
import { totalmem } from "node:os";
import type { ModelConfig } from "../model/index.js";
import type { TokenizedExample } from "./batch.js";

/** What {@link chooseMaxLength} decided and why. */
export interface MaxLengthChoice {
  /** The length used. */
  readonly value: number;
  /** `auto` (chosen here) or `config` (given by the user). */
  readonly source: "auto" | "config";
  /** Tokens of the longest example (training and validation). */
  readonly longest: number;
  /** The model's context length. */
  readonly contextCap: number;
  /** The longest micro-batch sequence the memory budget holds (see {@link activationBytes}). */
  readonly memoryCap: number;
  /** The memory budget in MB the cap was computed for. */
  readonly memoryBudgetMb: number;
  /** Whether blocks are recomputed in the backward pass (activation checkpointing). */
  readonly checkpointing: boolean;
}

/** Sizes that decide the activation memory of a training step. */
export interface LengthCostInput {
  readonly config: Pick<
    ModelConfig,
    "blockCount" | "embeddingLength" | "feedForwardLength" | "headCount" | "headCountKv" | "headDim"
  >;
  readonly batchSize: number;
  /** Dropout keeps a masked copy of each LoRA input. */
  readonly dropout: boolean;
  /**
   * Activation checkpointing: the forward pass keeps only each block's input, and one block's
   * activations exist at a time (recomputed in the backward pass).
   */
  readonly checkpointing?: boolean;
}

/**
 * With checkpointing, the memory beyond the block inputs is one block at a time, but that block's
 * recomputed forward outputs, its backward graph's temporaries (several [batch, heads, T, T]
 * arrays) and onnxruntime's arenas for both graphs are no longer small beside what is held: peak
 * RSS measured about 8 times one block's saved activations (smollm2-135m, batch 2 x 512; the
 * qwen2.5-0.5b one-epoch run, batch 2 x ~2,000), so the estimate counts 8.
 */
export const CHECKPOINTED_BLOCK_FACTOR = 8;

/**
 * Bytes the forward pass keeps for the backward pass over one micro-batch of `batchSize`
 * sequences of `length` tokens (float32): per token and block the block input, the two norm
 * outputs, q, k, v, the attention output, gate, up, σ(gate) and SwiGLU output (plus a dropped-out
 * copy of every LoRA input with dropout), and per sequence and head the T×T attention
 * probabilities. With checkpointing: one [tokens, embedding] input per block plus
 * {@link CHECKPOINTED_BLOCK_FACTOR} times one block's activations. An estimate: it leaves out
 * the few small per-block vectors.
 */
export function activationBytes(input: LengthCostInput, length: number): number {
  const c = input.config;
  const n = c.embeddingLength;
  const qWidth = c.headCount * c.headDim;
  const kvWidth = c.headCountKv * c.headDim;
  const ff = c.feedForwardLength;
  let perToken = 4 * n + 2 * qWidth + 2 * kvWidth + 4 * ff;
  if (input.dropout) perToken += 5 * n + qWidth + ff;
  const tokens = input.batchSize * length;
  const linear = tokens * perToken;
  const attention = input.batchSize * c.headCount * length * length;
  if (input.checkpointing === true)
    return 4 * (c.blockCount * tokens * n + CHECKPOINTED_BLOCK_FACTOR * (linear + attention));
  return 4 * c.blockCount * (linear + attention);
}

/**
 * The memory budget for activations: half the machine's memory, less the base weights (which
 * are already resident) — the other half is left to the system, onnxruntime's own buffers and
 * the temporaries of each layer.
 */
export function activationBudget(weightBytes: number, total = totalmem()): number {
  return Math.max(0, total / 2 - weightBytes);
}

/**
 * Chooses the maximum length and whether to checkpoint activations. The length: `requested`
 * when it is a number; for `auto`, the longest example capped by the context length and by the
 * memory cap (the longest length whose {@link activationBytes} fits `budgetBytes`, at least 2).
 * Checkpointing: `true`/`false` as given; `auto` (the default) turns it on only when the length
 * does not fit the budget without it and fits a longer one with it; the memory cap is then the
 * one with it.
 */
export function chooseMaxLength(
  requested: number | "auto",
  examples: readonly TokenizedExample[],
  cost: Omit<LengthCostInput, "checkpointing"> & {
    readonly contextLength: number;
    readonly checkpointing?: boolean | "auto";
  },
  budgetBytes: number,
): MaxLengthChoice {
  const longest = examples.reduce((m, e) => Math.max(m, e.tokens.length), 0);
  const mode = cost.checkpointing ?? "auto";
  const capWithout = memoryCap({ ...cost, checkpointing: false }, budgetBytes);
  const wanted = requested === "auto" ? Math.max(2, Math.min(longest, cost.contextLength)) : requested;
  const capWith = memoryCap({ ...cost, checkpointing: true }, budgetBytes);
  // auto: only when the length needs it and it holds a longer one (a model of few blocks saves little).
  const checkpointing = mode === "auto" ? wanted > capWithout && capWith > capWithout : mode;
  const cap = checkpointing ? capWith : capWithout;
  const common = {
    longest,
    contextCap: cost.contextLength,
    memoryCap: cap,
    memoryBudgetMb: Math.round(budgetBytes / 2 ** 20),
    checkpointing,
  };
  if (requested !== "auto") return { value: requested, source: "config", ...common };
  return { value: Math.max(2, Math.min(wanted, cap)), source: "auto", ...common };
}

/** The largest length (at least 2, at most the context length) whose activations fit `budgetBytes`. */
function memoryCap(cost: LengthCostInput & { readonly contextLength: number }, budgetBytes: number): number {
  let low = 2;
  let high = Math.max(2, cost.contextLength);
  // activationBytes grows with the length.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (activationBytes(cost, middle) <= budgetBytes) low = middle;
    else high = middle - 1;
  }
  return low;
}
