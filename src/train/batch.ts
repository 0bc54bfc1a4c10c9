/**
 * Padding-free packing: the sequences of a micro-batch are concatenated; attention stays inside
 * each sequence (block-diagonal causal mask) and rope positions restart at 0 for each, so a packed
 * batch computes exactly what the sequences would separately, with no padding tokens.
 */

/** One tokenised training sequence with the mask of the tokens the model should learn. */
export interface TokenizedExample {
  readonly tokens: readonly number[];
  /** `true` where the token is a target (an assistant reply token). */
  readonly targetMask: readonly boolean[];
}

/** A packed micro-batch. */
export interface PackedBatch {
  readonly tokens: Int32Array;
  /** Position of each token within its sequence. */
  readonly positions: Int32Array;
  /** Start of each sequence, then the total token count. */
  readonly boundaries: readonly number[];
  /** Next token to predict at each position, or -1 where there is no loss. */
  readonly targets: Int32Array;
}

/** Packs examples; the target at position t is token t+1 when that token is in the mask. */
export function packBatch(examples: readonly TokenizedExample[]): PackedBatch {
  const total = examples.reduce((s, e) => s + e.tokens.length, 0);
  const tokens = new Int32Array(total);
  const positions = new Int32Array(total);
  const targets = new Int32Array(total).fill(-1);
  const boundaries: number[] = [];
  let offset = 0;
  for (const e of examples) {
    boundaries.push(offset);
    for (let t = 0; t < e.tokens.length; t++) {
      tokens[offset + t] = e.tokens[t] ?? 0;
      positions[offset + t] = t;
      if (t + 1 < e.tokens.length && e.targetMask[t + 1] === true) targets[offset + t] = e.tokens[t + 1] ?? 0;
    }
    offset += e.tokens.length;
  }
  boundaries.push(offset);
  return { tokens, positions, boundaries, targets };
}

/** Outcome of fitting examples to a maximum length. */
export interface TruncationReport {
  /** Examples longer than the maximum, cut. */
  readonly truncated: number;
  /** Assistant (target) tokens lost by cutting. */
  readonly targetTokensCut: number;
  /** Examples dropped because no target token was left. */
  readonly dropped: number;
}

/**
 * Cuts examples to `maxLength` tokens. Never silent: every cut is counted, and an example whose
 * targets are all cut away is dropped (and counted) rather than trained on as prompt only.
 */
export function fitToLength(
  examples: readonly TokenizedExample[],
  maxLength: number,
): { examples: TokenizedExample[]; report: TruncationReport } {
  let truncated = 0;
  let targetTokensCut = 0;
  let dropped = 0;
  const kept: TokenizedExample[] = [];
  for (const e of examples) {
    if (e.tokens.length <= maxLength) {
      kept.push(e);
      continue;
    }
    truncated++;
    targetTokensCut += e.targetMask.slice(maxLength).filter(Boolean).length;
    const mask = e.targetMask.slice(0, maxLength);
    // Position 0 is never predicted, so a target there alone counts as nothing left.
    if (!mask.slice(1).some(Boolean)) {
      dropped++;
      continue;
    }
    kept.push({ tokens: e.tokens.slice(0, maxLength), targetMask: mask });
  }
  return { examples: kept, report: { truncated, targetTokensCut, dropped } };
}
