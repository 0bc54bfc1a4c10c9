/**
 * A model definition read from GGUF metadata and tensors, following llama.cpp's conventions:
 * `llama` uses NORM rope (adjacent pairs; llama GGUF converters permute the q/k rows of the
 * Hugging Face weights so this matches) with optional `rope_freqs` divisors; `qwen2` uses NEOX
 * rope (halves) and q/k/v biases. The output head is `output.weight`, or the token embedding when
 * that tensor is absent (tied). `gemma` (v1) scales the embedding by √width, uses NEOX rope,
 * head sizes from `attention.key_length` and a GeGLU feed-forward with llama.cpp's GELU.
 */
import { f16ToF32, GgmlType, GgufError, type GgufFile, ggmlTypeName } from "../gguf/index.js";
import type { ActivationRounding, BlockMatrix, BlockWeights } from "../backend/index.js";
import type { Architecture, ModelShape } from "./presets.js";

/** Hyper-parameters read from the metadata: the shape a preset writes, plus what follows from it. */
export interface ModelConfig extends Omit<
  ModelShape,
  "headDim" | "tiedEmbeddings" | "llama3RopeScaling" | "maxMerges" | "tokenizer"
> {
  readonly headDim: number;
  readonly ropeType: "norm" | "neox";
  /** Feed-forward gate activation. */
  readonly activation: "silu" | "gelu";
  /** Factor applied to token embeddings (gemma: √width, else 1). */
  readonly embeddingScale: number;
}

/** A model with dequantised float32 weights in GGML layout ([out, in] row-major matrices). */
export interface ModelWeights {
  readonly config: ModelConfig;
  readonly tokenEmbedding: Float32Array;
  readonly blocks: readonly BlockWeights[];
  readonly outputNorm: Float32Array;
  readonly output: BlockMatrix;
  readonly tiedEmbeddings: boolean;
  readonly ropeFactors?: Float32Array;
}

/** Rounding llama.cpp's CPU backend applies to activations multiplied with a weight of this type. */
export function activationRoundingFor(type: number): ActivationRounding {
  switch (type) {
    case GgmlType.F32:
      return "none";
    case GgmlType.F16:
    case GgmlType.BF16:
      return type === GgmlType.F16 ? "f16" : "none";
    case GgmlType.Q8_0:
    case GgmlType.Q4_0:
    case GgmlType.Q5_0:
      return "q8_0";
    case GgmlType.Q4_1:
    case GgmlType.Q5_1:
      return "q8_1";
    case GgmlType.Q4_K:
    case GgmlType.Q5_K:
    case GgmlType.Q6_K:
      return "q8_k";
    default:
      // Other types are not read by this project; Q8_0 is the closest common behaviour.
      return "q8_0";
  }
}

const SUPPORTED: readonly string[] = ["llama", "qwen2", "gemma"];

/** Reads the hyper-parameters of a llama, qwen2 or gemma GGUF. */
export function readConfig(file: GgufFile): ModelConfig {
  const arch = file.getString("general.architecture");
  if (arch === undefined || !SUPPORTED.includes(arch))
    throw new GgufError(`unsupported architecture: expected one of ${SUPPORTED.join(", ")}, found ${arch ?? "none"}`);
  const need = (key: string): number => {
    const value = file.getNumber(`${arch}.${key}`);
    if (value === undefined) throw new GgufError(`metadata "${arch}.${key}" is missing`);
    return value;
  };
  const embeddingLength = need("embedding_length");
  const headCount = need("attention.head_count");
  const headCountKv = file.getNumber(`${arch}.attention.head_count_kv`) ?? headCount;
  const embedding = file.tensor("token_embd.weight");
  if (embedding === undefined) throw new GgufError(`tensor "token_embd.weight" is missing`);
  const headDim =
    file.getNumber(`${arch}.attention.key_length`) ??
    file.getNumber(`${arch}.rope.dimension_count`) ??
    embeddingLength / headCount;
  const valueDim = file.getNumber(`${arch}.attention.value_length`) ?? headDim;
  const ropeDim = file.getNumber(`${arch}.rope.dimension_count`) ?? headDim;
  if (valueDim !== headDim || ropeDim !== headDim) {
    throw new GgufError(
      `unsupported heads: key size ${headDim}, value size ${valueDim} and rope size ${ropeDim} must be equal`,
    );
  }
  if (
    headCount <= 0 ||
    headCountKv <= 0 ||
    headCount % headCountKv !== 0 ||
    !Number.isInteger(headDim) ||
    headDim <= 0 ||
    headDim % 2 !== 0
  ) {
    throw new GgufError(
      `inconsistent heads: ${headCount} heads, ${headCountKv} kv heads, head size ${headDim}, width ${embeddingLength}`,
    );
  }
  return {
    arch: arch as Architecture,
    vocabSize: embedding.shape[1] ?? 0,
    embeddingLength,
    blockCount: need("block_count"),
    feedForwardLength: need("feed_forward_length"),
    headCount,
    headCountKv,
    headDim,
    contextLength: file.getNumber(`${arch}.context_length`) ?? 2048,
    ropeFreqBase: file.getNumber(`${arch}.rope.freq_base`) ?? 10000,
    rmsEpsilon: need("attention.layer_norm_rms_epsilon"),
    ropeType: arch === "llama" ? "norm" : "neox",
    activation: arch === "gemma" ? "gelu" : "silu",
    // ggml_scale by sqrtf(n_embd): a float32 factor.
    embeddingScale: arch === "gemma" ? Math.fround(Math.sqrt(embeddingLength)) : 1,
  };
}

function tensor(file: GgufFile, name: string, shape: readonly number[]): Float32Array {
  const info = file.tensor(name);
  if (info === undefined) throw new GgufError(`tensor "${name}" is missing`);
  if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
    throw new GgufError(
      `tensor "${name}": expected shape [${shape.join(", ")}], found [${info.shape.join(", ")}] (${ggmlTypeName(info.type)})`,
    );
  }
  return file.readTensor(name);
}

/** Per-block minimums of a Q4_1/Q5_1 tensor (the half after each block's scale), [rows, in/32]. */
function blockMins(file: GgufFile, name: string): Float32Array | undefined {
  const info = file.tensor(name);
  if (info === undefined || (info.type !== GgmlType.Q4_1 && info.type !== GgmlType.Q5_1)) return undefined;
  const size = info.type === GgmlType.Q4_1 ? 20 : 24;
  const bytes = file.readTensorBytes(name);
  const mins = new Float32Array(info.elementCount / 32);
  for (let b = 0; b < mins.length; b++)
    mins[b] = f16ToF32((bytes[b * size + 2] ?? 0) | ((bytes[b * size + 3] ?? 0) << 8));
  return mins;
}

function matrix(file: GgufFile, name: string, inputs: number, outputs: number): BlockMatrix {
  const data = tensor(file, name, [inputs, outputs]);
  const mins = blockMins(file, name);
  return {
    data,
    activationRounding: activationRoundingFor(file.tensor(name)?.type ?? GgmlType.F32),
    ...(mins === undefined ? {} : { blockMins: mins }),
  };
}

/** The matrices of a block: field of `BlockWeights`, GGUF tensor-name suffix, and input/output width. */
export type BlockMatrixField = "wq" | "wk" | "wv" | "wo" | "wGate" | "wUp" | "wDown";

/**
 * The one table of a block's tensor names and shapes, shared by every GGUF reader (this module's
 * {@link readModelWeights} and the trainer's reader that keeps projections encoded).
 */
export function blockTensorLayout(config: ModelConfig): {
  readonly matrices: readonly { field: BlockMatrixField; name: string; inputs: number; outputs: number }[];
  readonly biases: readonly { field: "bq" | "bk" | "bv"; name: string; length: number }[];
  readonly norms: readonly { field: "attnNorm" | "ffnNorm"; name: string; length: number }[];
} {
  const n = config.embeddingLength;
  const kv = config.headCountKv * config.headDim;
  const q = config.headCount * config.headDim;
  const ff = config.feedForwardLength;
  return {
    matrices: [
      { field: "wq", name: "attn_q.weight", inputs: n, outputs: q },
      { field: "wk", name: "attn_k.weight", inputs: n, outputs: kv },
      { field: "wv", name: "attn_v.weight", inputs: n, outputs: kv },
      { field: "wo", name: "attn_output.weight", inputs: q, outputs: n },
      { field: "wGate", name: "ffn_gate.weight", inputs: n, outputs: ff },
      { field: "wUp", name: "ffn_up.weight", inputs: n, outputs: ff },
      { field: "wDown", name: "ffn_down.weight", inputs: ff, outputs: n },
    ],
    biases: [
      { field: "bq", name: "attn_q.bias", length: q },
      { field: "bk", name: "attn_k.bias", length: kv },
      { field: "bv", name: "attn_v.bias", length: kv },
    ],
    norms: [
      { field: "attnNorm", name: "attn_norm.weight", length: n },
      { field: "ffnNorm", name: "ffn_norm.weight", length: n },
    ],
  };
}

/** Reads and dequantises all weights of a llama, qwen2 or gemma GGUF. */
export function readModelWeights(file: GgufFile): ModelWeights {
  const config = readConfig(file);
  const n = config.embeddingLength;
  const layout = blockTensorLayout(config);
  const blocks: BlockWeights[] = [];
  for (let b = 0; b < config.blockCount; b++) {
    const p = `blk.${b}.`;
    const block: Record<string, unknown> = {};
    for (const m of layout.matrices) block[m.field] = matrix(file, p + m.name, m.inputs, m.outputs);
    for (const v of layout.norms) block[v.field] = tensor(file, p + v.name, [v.length]);
    for (const v of layout.biases)
      if (file.tensor(p + v.name) !== undefined) block[v.field] = tensor(file, p + v.name, [v.length]);
    blocks.push(block as unknown as BlockWeights);
  }
  const tokenEmbedding = tensor(file, "token_embd.weight", [n, config.vocabSize]);
  const tied = file.tensor("output.weight") === undefined;
  const output = tied
    ? (() => {
        const mins = blockMins(file, "token_embd.weight");
        return {
          data: tokenEmbedding,
          activationRounding: activationRoundingFor(file.tensor("token_embd.weight")?.type ?? GgmlType.F32),
          ...(mins === undefined ? {} : { blockMins: mins }),
        };
      })()
    : matrix(file, "output.weight", n, config.vocabSize);
  const ropeFactors =
    file.tensor("rope_freqs.weight") === undefined
      ? undefined
      : tensor(file, "rope_freqs.weight", [config.headDim / 2]);
  return {
    config,
    tokenEmbedding,
    blocks,
    outputNorm: tensor(file, "output_norm.weight", [n]),
    output,
    tiedEmbeddings: tied,
    ...(ropeFactors === undefined ? {} : { ropeFactors }),
  };
}
