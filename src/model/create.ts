/** The model factory: writes a GGUF with random weights that llama.cpp loads and runs. */
import { GgmlType, type GgufValue, type GgufWriteProgress, gv, quantize, writeGguf } from "../gguf/index.js";
import type { ProgressCallback } from "../util/logger.js";
import { llama3RopeFactors, presetShape, type Architecture, type ModelShape } from "./presets.js";
import { createRandom, deriveSeed, fillNormal } from "../util/random.js";
import { buildVocab, CHATML_TEMPLATE, type SyntheticVocab } from "./vocab.js";
import { buildCl100kVocab } from "./vocab-cl100k.js";

/**
 * Version of what the factory writes for a given preset, quant and seed. Benchmarks that cache
 * created models by name put it in the file name, so a cache from an older factory (e.g. before
 * the real presets' cl100k vocabulary, version 2) is never reused.
 */
export const MODEL_FACTORY_VERSION = 2;

/** Weight formats the factory writes. */
export const CREATE_QUANTS = ["f32", "f16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1"] as const;
/** One of {@link CREATE_QUANTS}. */
export type CreateQuant = (typeof CREATE_QUANTS)[number];

const QUANT_TYPES: Record<CreateQuant, { type: number; fileType: number }> = {
  f32: { type: GgmlType.F32, fileType: 0 },
  f16: { type: GgmlType.F16, fileType: 1 },
  q4_0: { type: GgmlType.Q4_0, fileType: 2 },
  q4_1: { type: GgmlType.Q4_1, fileType: 3 },
  q8_0: { type: GgmlType.Q8_0, fileType: 7 },
  q5_0: { type: GgmlType.Q5_0, fileType: 8 },
  q5_1: { type: GgmlType.Q5_1, fileType: 9 },
};

/** Options for {@link createModelFile}. */
export interface CreateModelOptions {
  readonly arch: Architecture;
  /** `tiny` or a real shape (see `PRESET_NAMES`). */
  readonly preset: string;
  /** Format of the weight matrices; norms, biases and rope factors stay F32. Default `"f32"`. */
  readonly quant?: CreateQuant;
  /** Seed of the random weights. Default 1. */
  readonly seed?: number;
  /** Output path; written atomically. */
  readonly out: string;
  /** Called as tensors are written (`completed`/`total` in bytes). */
  readonly onProgress?: ProgressCallback<GgufWriteProgress>;
}

interface PlannedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Generates the float values (GGML order). */
  readonly values: () => Float32Array;
  /** Matrices are quantised; vectors stay F32 as llama.cpp's converters keep them. */
  readonly matrix: boolean;
}

function planTensors(shape: ModelShape, seed: number): PlannedTensor[] {
  const n = shape.embeddingLength;
  const headDim = shape.headDim ?? n / shape.headCount;
  const kvWidth = headDim * shape.headCountKv;
  const qWidth = headDim * shape.headCount;
  const tensors: PlannedTensor[] = [];
  const add = (name: string, dims: number[], std: number, mean = 0): void => {
    const stream = tensors.length;
    const count = dims.reduce((a, b) => a * b, 1);
    tensors.push({
      name,
      shape: dims,
      matrix: dims.length > 1,
      values: () => fillNormal(new Float32Array(count), createRandom(deriveSeed(seed, stream)), std, mean),
    });
  };
  const ropeFactors = llama3RopeFactors(shape);
  if (ropeFactors !== undefined)
    tensors.push({ name: "rope_freqs.weight", shape: [ropeFactors.length], matrix: false, values: () => ropeFactors });
  add("token_embd.weight", [n, shape.vocabSize], 0.5);
  for (let b = 0; b < shape.blockCount; b++) {
    const p = `blk.${b}.`;
    add(`${p}attn_norm.weight`, [n], 0.1, 1);
    add(`${p}attn_q.weight`, [n, qWidth], 1 / Math.sqrt(n));
    add(`${p}attn_k.weight`, [n, kvWidth], 1 / Math.sqrt(n));
    add(`${p}attn_v.weight`, [n, kvWidth], 1 / Math.sqrt(n));
    if (shape.arch === "qwen2") {
      add(`${p}attn_q.bias`, [qWidth], 0.2);
      add(`${p}attn_k.bias`, [kvWidth], 0.2);
      add(`${p}attn_v.bias`, [kvWidth], 0.2);
    }
    add(`${p}attn_output.weight`, [qWidth, n], 1 / Math.sqrt(qWidth));
    add(`${p}ffn_norm.weight`, [n], 0.1, 1);
    add(`${p}ffn_gate.weight`, [n, shape.feedForwardLength], 1 / Math.sqrt(n));
    add(`${p}ffn_up.weight`, [n, shape.feedForwardLength], 1 / Math.sqrt(n));
    add(`${p}ffn_down.weight`, [shape.feedForwardLength, n], 1 / Math.sqrt(shape.feedForwardLength));
  }
  add("output_norm.weight", [n], 0.1, 1);
  if (!shape.tiedEmbeddings) add("output.weight", [n, shape.vocabSize], 1 / Math.sqrt(n));
  return tensors;
}

/** The vocabulary a shape is written with (see `ModelShape.tokenizer`). */
export async function vocabularyFor(shape: ModelShape): Promise<SyntheticVocab> {
  return shape.tokenizer === "cl100k"
    ? buildCl100kVocab(shape.vocabSize)
    : buildVocab(shape.vocabSize, shape.maxMerges);
}

/** llama.cpp's pre-tokenizer (the regex that splits text before BPE) for a shape. */
function preTokenizer(shape: ModelShape): string {
  if (shape.arch === "qwen2") return "qwen2";
  if (shape.arch === "gemma") return "default";
  // Llama 3's regex is cl100k_base's own.
  return shape.tokenizer === "cl100k" ? "llama-bpe" : "smollm";
}

/**
 * GGUF metadata for a shape: hyper-parameters, tokenizer and chat template. `vocab` is required
 * for a cl100k shape (build it with {@link vocabularyFor}); the synthetic one is built here.
 */
export function modelMetadata(
  shape: ModelShape,
  name: string,
  fileType: number,
  vocab: SyntheticVocab = syntheticVocabulary(shape),
): Map<string, GgufValue> {
  const a = shape.arch;
  const headDim = shape.headDim ?? shape.embeddingLength / shape.headCount;
  const m = new Map<string, GgufValue>([
    ["general.architecture", gv.str(a)],
    ["general.name", gv.str(name)],
    ["general.file_type", gv.u32(fileType)],
    [`${a}.vocab_size`, gv.u32(shape.vocabSize)],
    [`${a}.context_length`, gv.u32(shape.contextLength)],
    [`${a}.embedding_length`, gv.u32(shape.embeddingLength)],
    [`${a}.block_count`, gv.u32(shape.blockCount)],
    [`${a}.feed_forward_length`, gv.u32(shape.feedForwardLength)],
    [`${a}.attention.head_count`, gv.u32(shape.headCount)],
    [`${a}.attention.head_count_kv`, gv.u32(shape.headCountKv)],
    [`${a}.rope.dimension_count`, gv.u32(headDim)],
    [`${a}.rope.freq_base`, gv.f32(shape.ropeFreqBase)],
    [`${a}.attention.layer_norm_rms_epsilon`, gv.f32(shape.rmsEpsilon)],
    [`${a}.attention.key_length`, gv.u32(headDim)],
    [`${a}.attention.value_length`, gv.u32(headDim)],
    ["tokenizer.ggml.model", gv.str("gpt2")],
    ["tokenizer.ggml.pre", gv.str(preTokenizer(shape))],
    ["tokenizer.ggml.tokens", gv.arr("string", vocab.tokens)],
    ["tokenizer.ggml.token_type", gv.arr("int32", vocab.tokenTypes)],
    ["tokenizer.ggml.merges", gv.arr("string", vocab.merges)],
    ["tokenizer.ggml.bos_token_id", gv.u32(vocab.bosId)],
    ["tokenizer.ggml.eos_token_id", gv.u32(vocab.eosId)],
    ["tokenizer.ggml.padding_token_id", gv.u32(vocab.padId)],
    ["tokenizer.ggml.add_bos_token", gv.bool(false)],
    ["tokenizer.chat_template", gv.str(CHATML_TEMPLATE)],
  ]);
  return m;
}

function syntheticVocabulary(shape: ModelShape): SyntheticVocab {
  if (shape.tokenizer === "cl100k")
    throw new RangeError("modelMetadata: a cl100k shape needs its vocabulary (vocabularyFor)");
  return buildVocab(shape.vocabSize, shape.maxMerges);
}

/**
 * Writes a model with random weights (seeded) for `preset` as a GGUF file that llama.cpp loads:
 * real shapes, a byte-level BPE tokenizer with ChatML special tokens, and a ChatML chat template.
 * @returns the path written and the number of parameters.
 */
export async function createModelFile(options: CreateModelOptions): Promise<{ path: string; parameterCount: number }> {
  return createModelFileFromShape(presetShape(options.preset, options.arch), options);
}

/** As {@link createModelFile}, for any shape (`options.preset` only names the model). */
export async function createModelFileFromShape(
  shape: ModelShape,
  options: Omit<CreateModelOptions, "arch">,
): Promise<{ path: string; parameterCount: number }> {
  const quant = QUANT_TYPES[options.quant ?? "f32"];
  if (quant === undefined)
    throw new RangeError(
      `unknown quantisation "${String(options.quant)}"; valid: ${Object.keys(QUANT_TYPES).join(", ")}`,
    );
  const planned = planTensors(shape, options.seed ?? 1);
  const parameterCount = planned.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  const metadata = modelMetadata(
    shape,
    `medsim-${options.preset}-${shape.arch}`,
    quant.fileType,
    await vocabularyFor(shape),
  );
  await writeGguf(
    options.out,
    {
      metadata,
      tensors: planned.map((t) => {
        const type = t.matrix ? quant.type : GgmlType.F32;
        return { name: t.name, shape: t.shape, type, data: () => quantize(type, t.values()) };
      }),
    },
    options.onProgress === undefined ? {} : { onProgress: options.onProgress },
  );
  return { path: options.out, parameterCount };
}
