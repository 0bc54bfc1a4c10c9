/** The forward pass of llama-family decoders over a backend. */
import { GgufFile } from "../gguf/index.js";
import {
  type Backend,
  type BlockParams,
  blockShape,
  createReferenceBackend,
  q8_1Correction,
  rmsNorm,
  roundActivations,
  ropeTables,
} from "../backend/index.js";
import { readModelWeights, type ModelWeights } from "./definition.js";

/** Options for {@link forwardLastLogits}. */
export interface ForwardOptions {
  /** Compute backend. Default: the pure TypeScript reference backend. */
  readonly backend?: Backend;
}

/** Block parameters for a sequence of `tokens` positions starting at 0. */
export function blockParams(model: ModelWeights, tokens: number): BlockParams {
  const c = model.config;
  const tables = ropeTables(tokens, c.headDim, c.ropeFreqBase, model.ropeFactors);
  return {
    ...blockShape(c),
    activation: c.activation,
    ropeCos: tables.cos,
    ropeSin: tables.sin,
  };
}

/** Hidden states after the last block, [tokens, embeddingLength]. */
export async function forwardHidden(
  model: ModelWeights,
  tokens: readonly number[],
  backend: Backend,
): Promise<Float32Array> {
  const c = model.config;
  const n = c.embeddingLength;
  if (tokens.length === 0) throw new RangeError("forward: expected at least one token, found none");
  let x: Float32Array = new Float32Array(tokens.length * n);
  tokens.forEach((token, t) => {
    if (!Number.isInteger(token) || token < 0 || token >= c.vocabSize)
      throw new RangeError(`forward: token ${t} is ${token}, expected 0..${c.vocabSize - 1}`);
    x.set(model.tokenEmbedding.subarray(token * n, token * n + n), t * n);
  });
  if (c.embeddingScale !== 1) for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) * c.embeddingScale;
  const params = blockParams(model, tokens.length);
  for (const block of model.blocks) x = await backend.block(x, tokens.length, block, params);
  return x;
}

/** Logits of the last position, computed by this project's own forward pass. */
export async function forwardLastLogits(
  model: ModelWeights,
  tokens: readonly number[],
  options: ForwardOptions = {},
): Promise<Float32Array> {
  const backend = options.backend ?? createReferenceBackend();
  const c = model.config;
  const n = c.embeddingLength;
  const hidden = await forwardHidden(model, tokens, backend);
  const last = rmsNorm(hidden.subarray((tokens.length - 1) * n), 1, n, model.outputNorm, c.rmsEpsilon);
  const rounded = roundActivations(last, n, model.output.activationRounding);
  const logits = await backend.matmul(rounded, model.output.data, { m: 1, k: n, n: c.vocabSize, transB: true });
  if (model.output.activationRounding === "q8_1" && model.output.blockMins !== undefined) {
    const correction = await backend.matmul(q8_1Correction(last), model.output.blockMins, {
      m: 1,
      k: n / 32,
      n: c.vocabSize,
      transB: true,
    });
    for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] ?? 0) + (correction[i] ?? 0);
  }
  return logits;
}

/** Opens a GGUF file and reads its weights (the file is closed afterwards). */
export function loadModelWeights(path: string): ModelWeights {
  const file = GgufFile.open(path);
  try {
    return readModelWeights(file);
  } finally {
    file.close();
  }
}
