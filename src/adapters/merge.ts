/**
 * Merging an adapter into its base: W' = W + (alpha/rank)·B·A, in memory (for this project's
 * forward pass) or as a new GGUF file that any llama.cpp/Ollama loads without adapter support.
 */
import type { BlockMatrix, BlockWeights } from "../backend/index.js";
import {
  GgmlType,
  GgufFile,
  type GgufTensorToWrite,
  type GgufWriteProgress,
  type GgufValue,
  gv,
  QUANTIZABLE_TYPES,
  quantize,
  writeGguf,
} from "../gguf/index.js";
import type { ModelWeights } from "../model/index.js";
import type { ProgressCallback } from "../util/logger.js";
import { AdapterError } from "./errors.js";
import { checkAdapterFitsBase } from "./gguf.js";
import type { LoraAdapter, LoraTensorPair } from "./types.js";
import { loraDelta, loraScale, validateAdapter } from "./validate.js";

const BLOCK_FIELDS: Readonly<Record<string, "wq" | "wk" | "wv" | "wo" | "wGate" | "wUp" | "wDown">> = {
  attn_q: "wq",
  attn_k: "wk",
  attn_v: "wv",
  attn_output: "wo",
  ffn_gate: "wGate",
  ffn_up: "wUp",
  ffn_down: "wDown",
};

function addInto(base: Float32Array, delta: Float32Array): Float32Array {
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = (base[i] ?? 0) + (delta[i] ?? 0);
  return out;
}

/**
 * A copy of `weights` with the adapter merged into the block projections it targets (the
 * original arrays are not modified). Activation rounding stays that of the base tensors.
 * @throws AdapterError for a target that is not a block projection or whose size does not match.
 */
export function applyAdapterToWeights(weights: ModelWeights, adapter: LoraAdapter): ModelWeights {
  validateAdapter(adapter);
  const scale = loraScale(adapter);
  const blocks: BlockWeights[] = weights.blocks.map((b) => ({ ...b }));
  for (const pair of adapter.tensors) {
    const match = /^blk\.(\d+)\.(\w+)\.weight$/.exec(pair.target);
    const field = match === null ? undefined : BLOCK_FIELDS[match[2] ?? ""];
    const block = match === null ? undefined : blocks[Number(match[1])];
    if (field === undefined || block === undefined)
      throw new AdapterError(`adapter tensor "${pair.target}" is not a block projection of this model`);
    const matrix: BlockMatrix = block[field];
    if (matrix.data.length !== pair.inFeatures * pair.outFeatures)
      throw new AdapterError(
        `adapter tensor "${pair.target}": ${pair.outFeatures}x${pair.inFeatures} does not match the model's ${matrix.data.length} values`,
      );
    (block as { -readonly [K in keyof BlockWeights]: BlockWeights[K] })[field] = {
      ...matrix,
      data: addInto(matrix.data, loraDelta(pair, adapter.rank, scale)),
    };
  }
  return { ...weights, blocks };
}

/** Formats a merged GGUF's weight matrices can be written in. */
export const MERGE_QUANTS = ["f32", "f16", "q8_0"] as const;
/** One of {@link MERGE_QUANTS}. */
export type MergeQuant = (typeof MERGE_QUANTS)[number];

const QUANT_TYPES: Record<MergeQuant, { type: number; fileType: number }> = {
  f32: { type: GgmlType.F32, fileType: 0 },
  f16: { type: GgmlType.F16, fileType: 1 },
  q8_0: { type: GgmlType.Q8_0, fileType: 7 },
};

/** Options for {@link mergeAdapter}. */
export interface MergeOptions {
  /**
   * Format of every 2-D weight matrix of the output (1-D tensors stay as they are). Default: keep
   * each tensor's format; an adapted tensor whose format this project cannot write (K-quants,
   * BF16) becomes F16.
   */
  readonly quant?: MergeQuant;
  /** `general.name` of the merged model. Default: the base's name plus " (merged LoRA)". */
  readonly name?: string;
  /** Called after each tensor is written (bytes of the merged file). */
  readonly onProgress?: ProgressCallback<GgufWriteProgress>;
}

/**
 * Writes a GGUF at `out` that is `basePath` with `adapter` merged in (atomically). Metadata,
 * tokenizer and chat template are copied; `general.file_type` follows `quant`.
 * @returns the number of bytes written.
 * @throws AdapterError if the adapter does not fit the base (architecture, tensor names, shapes).
 */
export async function mergeAdapter(
  basePath: string,
  adapter: LoraAdapter,
  out: string,
  options: MergeOptions = {},
): Promise<number> {
  validateAdapter(adapter);
  const base = GgufFile.open(basePath);
  try {
    checkAdapterFitsBase(adapter, base, basePath);
    const pairs = new Map<string, LoraTensorPair>(adapter.tensors.map((p) => [p.target, p]));
    const scale = loraScale(adapter);
    const quant = options.quant === undefined ? undefined : QUANT_TYPES[options.quant];
    const metadata = new Map<string, GgufValue>(base.metadata);
    if (quant !== undefined) metadata.set("general.file_type", gv.u32(quant.fileType));
    metadata.set("general.name", gv.str(options.name ?? `${base.getString("general.name") ?? "model"} (merged LoRA)`));
    const tensors: GgufTensorToWrite[] = base.tensors.map((info) => {
      const pair = pairs.get(info.name);
      const isMatrix = info.shape.length > 1;
      let type = isMatrix && quant !== undefined ? quant.type : info.type;
      if (pair !== undefined && !QUANTIZABLE_TYPES.includes(type)) type = GgmlType.F16;
      if (pair === undefined && type === info.type)
        return { name: info.name, shape: info.shape, type, data: () => base.readTensorBytes(info.name) };
      return {
        name: info.name,
        shape: info.shape,
        type,
        data: () => {
          const values = base.readTensor(info.name);
          return quantize(type, pair === undefined ? values : addInto(values, loraDelta(pair, adapter.rank, scale)));
        },
      };
    });
    return await writeGguf(
      out,
      { metadata, tensors },
      options.onProgress === undefined ? {} : { onProgress: options.onProgress },
    );
  } finally {
    base.close();
  }
}
