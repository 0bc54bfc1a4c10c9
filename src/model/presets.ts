/** Model shapes: a tiny one for tests, and real ones for honest speed and memory benchmarks. */

/** Architectures this project can build and run. */
export type Architecture = "llama" | "qwen2" | "gemma";

/** The hyper-parameters of a decoder-only transformer, as stored in GGUF metadata. */
export interface ModelShape {
  readonly arch: Architecture;
  readonly vocabSize: number;
  readonly embeddingLength: number;
  readonly blockCount: number;
  readonly feedForwardLength: number;
  readonly headCount: number;
  readonly headCountKv: number;
  readonly contextLength: number;
  readonly ropeFreqBase: number;
  readonly rmsEpsilon: number;
  /** Size of one attention head; default `embeddingLength / headCount` (gemma's may differ). */
  readonly headDim?: number;
  /** Output head shares the token embedding (no `output.weight`). */
  readonly tiedEmbeddings: boolean;
  /** Llama 3 rope scaling, written as a `rope_freqs.weight` tensor. */
  readonly llama3RopeScaling?: {
    factor: number;
    lowFreqFactor: number;
    highFreqFactor: number;
    originalContextLength: number;
  };
  /** Cap on learnt BPE merges (the rest of the vocabulary is filler tokens). */
  readonly maxMerges?: number;
  /**
   * Vocabulary: `"synthetic"` (default; merges learnt from a short built-in text, about 1.9
   * characters per token on English) or `"cl100k"` (cl100k_base's 100,256 tokens, which Qwen2.5's
   * and Llama 3's tokenizers extend: token counts close to the real models').
   */
  readonly tokenizer?: "synthetic" | "cl100k";
}

/** Names accepted by `preset`. */
export const PRESET_NAMES = ["tiny", "smollm2-135m", "smollm2-360m", "qwen2.5-0.5b", "llama-3.2-1b"] as const;
/** One of {@link PRESET_NAMES}. */
export type PresetName = (typeof PRESET_NAMES)[number];

const REAL: Record<Exclude<PresetName, "tiny">, ModelShape> = {
  "smollm2-135m": {
    arch: "llama",
    vocabSize: 49152,
    embeddingLength: 576,
    blockCount: 30,
    feedForwardLength: 1536,
    headCount: 9,
    headCountKv: 3,
    contextLength: 8192,
    ropeFreqBase: 100000,
    rmsEpsilon: 1e-5,
    tiedEmbeddings: true,
  },
  "smollm2-360m": {
    arch: "llama",
    vocabSize: 49152,
    embeddingLength: 960,
    blockCount: 32,
    feedForwardLength: 2560,
    headCount: 15,
    headCountKv: 5,
    contextLength: 8192,
    ropeFreqBase: 100000,
    rmsEpsilon: 1e-5,
    tiedEmbeddings: true,
  },
  "qwen2.5-0.5b": {
    arch: "qwen2",
    vocabSize: 151936,
    embeddingLength: 896,
    blockCount: 24,
    feedForwardLength: 4864,
    headCount: 14,
    headCountKv: 2,
    contextLength: 32768,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
    tokenizer: "cl100k",
  },
  "llama-3.2-1b": {
    arch: "llama",
    vocabSize: 128256,
    embeddingLength: 2048,
    blockCount: 16,
    feedForwardLength: 8192,
    headCount: 32,
    headCountKv: 8,
    contextLength: 131072,
    ropeFreqBase: 500000,
    rmsEpsilon: 1e-5,
    tiedEmbeddings: true,
    llama3RopeScaling: { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 8192 },
    tokenizer: "cl100k",
  },
};

/**
 * The shape for a preset and architecture. `tiny` exists for every architecture (llama: untied
 * head with Llama 3 rope scaling; qwen2: tied head and biases; gemma: GeGLU, head size 32 on a
 * width of 64); the real presets have one architecture each.
 * @throws RangeError for an unknown preset or an architecture the real preset does not have.
 */
export function presetShape(preset: string, arch: Architecture): ModelShape {
  if (preset === "tiny") {
    const tiny = {
      arch,
      vocabSize: 512,
      embeddingLength: 64,
      blockCount: 2,
      feedForwardLength: 128,
      headCount: 4,
      contextLength: 2048,
      ropeFreqBase: 10000,
    };
    // Queries 4 × 32 = 128 wide on a width of 64: exercises head sizes that do not divide the width.
    if (arch === "gemma") return { ...tiny, headCountKv: 1, headDim: 32, rmsEpsilon: 1e-6, tiedEmbeddings: true };
    return {
      ...tiny,
      headCountKv: 2,
      rmsEpsilon: arch === "qwen2" ? 1e-6 : 1e-5,
      tiedEmbeddings: arch === "qwen2",
      ...(arch === "llama"
        ? { llama3RopeScaling: { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 256 } }
        : {}),
    };
  }
  const shape = (REAL as Record<string, ModelShape | undefined>)[preset];
  if (shape === undefined)
    throw new RangeError(`unknown preset "${preset}"; valid presets: ${PRESET_NAMES.join(", ")}`);
  if (shape.arch !== arch) throw new RangeError(`preset "${preset}" is a ${shape.arch} model, found --arch ${arch}`);
  return shape;
}

/** The architecture of a real preset (`undefined` for `tiny`, which has both). */
export function presetArchitecture(preset: string): Architecture | undefined {
  return (REAL as Record<string, ModelShape | undefined>)[preset]?.arch;
}

/** Llama 3 per-frequency rope divisors (`rope_freqs.weight`), as llama.cpp's converter computes them. */
export function llama3RopeFactors(shape: ModelShape): Float32Array | undefined {
  const scaling = shape.llama3RopeScaling;
  if (scaling === undefined) return undefined;
  const dim = shape.headDim ?? shape.embeddingLength / shape.headCount;
  const lowWavelength = scaling.originalContextLength / scaling.lowFreqFactor;
  const highWavelength = scaling.originalContextLength / scaling.highFreqFactor;
  const factors = new Float32Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) {
    const frequency = 1 / shape.ropeFreqBase ** ((2 * i) / dim);
    const wavelength = (2 * Math.PI) / frequency;
    if (wavelength < highWavelength) factors[i] = 1;
    else if (wavelength > lowWavelength) factors[i] = scaling.factor;
    else {
      const smooth =
        (scaling.originalContextLength / wavelength - scaling.lowFreqFactor) /
        (scaling.highFreqFactor - scaling.lowFreqFactor);
      factors[i] = 1 / ((1 - smooth) / scaling.factor + smooth);
    }
  }
  return factors;
}
