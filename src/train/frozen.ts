/**
 * Frozen base matrices kept in their GGUF encoding (Q8_0, Q4_x, F16, …) and dequantised to F32 only
 * for the product that needs them, so a LoRA run holds about a quarter (Q8_0) of the F32 bytes of
 * its projections. Dequantisation is deterministic, so training with these matrices gives the same
 * numbers bit for bit as training on weights dequantised up front.
 */
import type { BlockMatrix, BlockWeights } from "../backend/index.js";
import { dequantize, GgmlType, GgufError, GgufFile, ggmlTypeName, quantize } from "../gguf/index.js";
import { activationRoundingFor, blockTensorLayout, type ModelWeights, readConfig } from "../model/index.js";

/** A frozen matrix stored encoded; {@link QuantizedMatrix.get} dequantises a fresh F32 copy. */
export class QuantizedMatrix {
  /**
   * @param type GGML type of `bytes`.
   * @param bytes The encoded tensor, as stored in the GGUF.
   * @param elementCount Number of values ([out, in] row-major once dequantised).
   * @param activationRounding Rounding llama.cpp applies to activations multiplied with this type.
   */
  constructor(
    readonly type: number,
    readonly bytes: Uint8Array,
    readonly elementCount: number,
    readonly activationRounding: BlockMatrix["activationRounding"],
  ) {}

  /** Encodes F32 values as `type` (for benchmarks and tests on random weights). */
  static fromValues(type: number, values: Float32Array): QuantizedMatrix {
    return new QuantizedMatrix(type, quantize(type, values), values.length, activationRoundingFor(type));
  }

  /**
   * A fresh F32 copy of the values. Not cached: the forward and backward uses of one matrix are a
   * whole model apart, so a per-matrix cache would hold the F32 model again; the trainer
   * dequantises into a {@link DequantScratch} instead.
   */
  get(): Float32Array {
    return dequantize(this.type, this.bytes, this.elementCount);
  }
}

/** A base matrix as the trainer reads it: F32 in memory, or encoded and dequantised on use. */
export type FrozenMatrix = BlockMatrix | QuantizedMatrix;

/**
 * Reusable F32 buffers for dequantised frozen matrices, one per matrix size (a block has at most
 * four sizes). A model owns one, so its passes must not overlap (they never do: each awaits its
 * products in turn). Fresh copies per use left dead matrices to the garbage collector: reusing
 * buffers lowered the smollm2-135m benchmark's peak RSS by another ~60 MB.
 */
export class DequantScratch {
  private readonly buffers = new Map<number, Float32Array<ArrayBuffer>>();

  /** `m`'s values, in a buffer the next call for a matrix of the same size overwrites. */
  values(m: QuantizedMatrix): Float32Array {
    let buffer = this.buffers.get(m.elementCount);
    if (buffer === undefined) this.buffers.set(m.elementCount, (buffer = new Float32Array(m.elementCount)));
    return dequantize(m.type, m.bytes, m.elementCount, buffer);
  }

  /** Bytes held by the buffers. */
  get bytes(): number {
    let total = 0;
    for (const b of this.buffers.values()) total += b.byteLength;
    return total;
  }
}

/**
 * The F32 values of `m`: its array, or for an encoded matrix a dequantised copy (in `scratch`
 * when given, so valid only until the next use of `scratch` for that size).
 */
export function matrixValues(m: FrozenMatrix, scratch?: DequantScratch): Float32Array {
  if (!(m instanceof QuantizedMatrix)) return m.data;
  return scratch === undefined ? m.get() : scratch.values(m);
}

/** Block weights whose projections may stay encoded. */
export type TrainBlockWeights = {
  readonly [K in keyof BlockWeights]: BlockWeights[K] extends BlockMatrix ? FrozenMatrix : BlockWeights[K];
};

/** Model weights whose block projections may stay encoded (`ModelWeights` is one). */
export type TrainWeights = Omit<ModelWeights, "blocks"> & { readonly blocks: readonly TrainBlockWeights[] };

/** Bytes held by the block projections of `weights` (encoded size, or 4 per value for F32). */
export function projectionBytes(weights: TrainWeights): number {
  let total = 0;
  for (const b of weights.blocks) {
    for (const m of [b.wq, b.wk, b.wv, b.wo, b.wGate, b.wUp, b.wDown])
      total += m instanceof QuantizedMatrix ? m.bytes.byteLength : m.data.byteLength;
  }
  return total;
}

function encodedMatrix(file: GgufFile, name: string, inputs: number, outputs: number): FrozenMatrix {
  const info = file.tensor(name);
  if (info === undefined) throw new GgufError(`tensor "${name}" is missing`);
  if (info.shape.length !== 2 || info.shape[0] !== inputs || info.shape[1] !== outputs) {
    throw new GgufError(
      `tensor "${name}": expected shape [${inputs}, ${outputs}], found [${info.shape.join(", ")}] (${ggmlTypeName(info.type)})`,
    );
  }
  // F32 gains nothing from the lazy path; keep it as it is read.
  if (info.type === GgmlType.F32) return { data: file.readTensor(name), activationRounding: "none" };
  const bytes = file.readTensorBytes(name);
  // Copy a view so the matrix does not pin a larger buffer.
  const own = bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return new QuantizedMatrix(info.type, own, info.elementCount, activationRoundingFor(info.type));
}

/**
 * Reads a llama/qwen2 GGUF for LoRA training with the block projections kept encoded. Norms,
 * biases, the token embedding and the output head are dequantised as {@link readModelWeights}
 * does (the embedding is gathered by row and the head is small next to the blocks for most
 * presets). Gemma is not supported by the trainer and is not read here either.
 */
export function loadQuantizedTrainWeights(path: string): TrainWeights {
  const file = GgufFile.open(path);
  try {
    // Mirrors readModelWeights (src/model), which cannot leave a tensor encoded.
    const config = readConfig(file);
    const n = config.embeddingLength;
    const layout = blockTensorLayout(config);
    const vector = (name: string, length: number): Float32Array => {
      const info = file.tensor(name);
      if (info === undefined) throw new GgufError(`tensor "${name}" is missing`);
      if (info.elementCount !== length)
        throw new GgufError(`tensor "${name}": expected ${length} values, found ${info.elementCount}`);
      return file.readTensor(name);
    };
    const blocks: TrainBlockWeights[] = [];
    for (let b = 0; b < config.blockCount; b++) {
      const p = `blk.${b}.`;
      const block: Record<string, unknown> = {};
      for (const m of layout.matrices) block[m.field] = encodedMatrix(file, p + m.name, m.inputs, m.outputs);
      for (const v of layout.norms) block[v.field] = vector(p + v.name, v.length);
      for (const v of layout.biases)
        if (file.tensor(p + v.name) !== undefined) block[v.field] = vector(p + v.name, v.length);
      blocks.push(block as unknown as TrainBlockWeights);
    }
    const tokenEmbedding = vector("token_embd.weight", n * config.vocabSize);
    const tied = file.tensor("output.weight") === undefined;
    const rounding = (name: string): BlockMatrix["activationRounding"] =>
      activationRoundingFor(file.tensor(name)?.type ?? GgmlType.F32);
    const output: BlockMatrix = tied
      ? { data: tokenEmbedding, activationRounding: rounding("token_embd.weight") }
      : { data: vector("output.weight", n * config.vocabSize), activationRounding: rounding("output.weight") };
    const ropeFactors =
      file.tensor("rope_freqs.weight") === undefined ? undefined : vector("rope_freqs.weight", config.headDim / 2);
    return {
      config,
      tokenEmbedding,
      blocks,
      outputNorm: vector("output_norm.weight", n),
      output,
      tiedEmbeddings: tied,
      ...(ropeFactors === undefined ? {} : { ropeFactors }),
    };
  } finally {
    file.close();
  }
}
