/** Random in-memory weights for a shape: for benchmarks and tests that need no file. */
import type { BlockMatrix, BlockWeights } from "../backend/index.js";
import type { ModelWeights } from "./definition.js";
import { llama3RopeFactors, type ModelShape } from "./presets.js";
import { createRandom, fillNormal } from "../util/random.js";

/** Float32 weights with the same distributions as the model factory (not the same values). */
export function randomModelWeights(shape: ModelShape, seed = 1): ModelWeights {
  const random = createRandom(seed);
  const n = shape.embeddingLength;
  const headDim = shape.headDim ?? n / shape.headCount;
  const kv = headDim * shape.headCountKv;
  const qWidth = headDim * shape.headCount;
  const ff = shape.feedForwardLength;
  const normal = (count: number, std: number, mean = 0): Float32Array =>
    fillNormal(new Float32Array(count), random, std, mean);
  const matrix = (outputs: number, inputs: number): BlockMatrix => ({
    data: normal(outputs * inputs, 1 / Math.sqrt(inputs)),
    activationRounding: "none",
  });
  const blocks: BlockWeights[] = [];
  for (let b = 0; b < shape.blockCount; b++) {
    blocks.push({
      attnNorm: normal(n, 0.1, 1),
      wq: matrix(qWidth, n),
      wk: matrix(kv, n),
      wv: matrix(kv, n),
      ...(shape.arch === "qwen2" ? { bq: normal(qWidth, 0.2), bk: normal(kv, 0.2), bv: normal(kv, 0.2) } : {}),
      wo: matrix(n, qWidth),
      ffnNorm: normal(n, 0.1, 1),
      wGate: matrix(ff, n),
      wUp: matrix(ff, n),
      wDown: matrix(n, ff),
    });
  }
  const tokenEmbedding = normal(n * shape.vocabSize, 0.5);
  const ropeFactors = llama3RopeFactors(shape);
  return {
    config: {
      arch: shape.arch,
      vocabSize: shape.vocabSize,
      embeddingLength: n,
      blockCount: shape.blockCount,
      feedForwardLength: ff,
      headCount: shape.headCount,
      headCountKv: shape.headCountKv,
      headDim,
      contextLength: shape.contextLength,
      ropeFreqBase: shape.ropeFreqBase,
      rmsEpsilon: shape.rmsEpsilon,
      ropeType: shape.arch === "llama" ? "norm" : "neox",
      activation: shape.arch === "gemma" ? "gelu" : "silu",
      embeddingScale: shape.arch === "gemma" ? Math.fround(Math.sqrt(n)) : 1,
    },
    tokenEmbedding,
    blocks,
    outputNorm: normal(n, 0.1, 1),
    output: shape.tiedEmbeddings ? { data: tokenEmbedding, activationRounding: "none" } : matrix(shape.vocabSize, n),
    tiedEmbeddings: shape.tiedEmbeddings,
    ...(ropeFactors === undefined ? {} : { ropeFactors }),
  };
}

/** Floating-point operations of a forward pass over `tokens` positions (causal attention, last-position head). */
export function forwardFlops(shape: ModelShape, tokens: number): number {
  const n = shape.embeddingLength;
  const headDim = shape.headDim ?? n / shape.headCount;
  const kv = headDim * shape.headCountKv;
  const q = headDim * shape.headCount;
  const perToken = 2 * (2 * n * q + 2 * n * kv + 3 * n * shape.feedForwardLength);
  const attention = 2 * 2 * q * ((tokens * (tokens + 1)) / 2);
  return shape.blockCount * (tokens * perToken + attention) + 2 * n * shape.vocabSize;
}
