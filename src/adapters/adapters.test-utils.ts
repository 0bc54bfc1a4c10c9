/**
 * Test helpers: a seeded random adapter for a base GGUF, and llama.cpp logits with adapters
 * loaded (node-llama-cpp's `createContext({ lora })`), F32 KV cache as in the model parity tests.
 */
import { GgufFile } from "../gguf/index.js";
import { createRandom } from "../util/random.js";
import { LORA_TARGET_SUFFIXES, type LoraAdapter, type LoraTargetModule, type LoraTensorPair } from "./types.js";

/** A small seeded normal generator (Box–Muller over mulberry32). */
export function seededNormal(seed: number): () => number {
  const uniform = createRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Options for {@link randomAdapter}. */
export interface RandomAdapterOptions {
  readonly rank?: number;
  readonly alpha?: number;
  readonly modules?: readonly LoraTargetModule[];
  readonly seed?: number;
  /** Standard deviation of A and B entries. Default 0.15 (changes tiny-model logits clearly). */
  readonly std?: number;
}

/** A random adapter (non-zero B) on every block of the base GGUF at `basePath`. */
export function randomAdapter(basePath: string, options: RandomAdapterOptions = {}): LoraAdapter {
  const rank = options.rank ?? 4;
  const normal = seededNormal(options.seed ?? 7);
  const std = options.std ?? 0.15;
  const file = GgufFile.open(basePath);
  try {
    const architecture = file.getString("general.architecture") ?? "llama";
    const blocks = file.getNumber(`${architecture}.block_count`) ?? 0;
    const tensors: LoraTensorPair[] = [];
    for (let b = 0; b < blocks; b++) {
      for (const module of options.modules ?? (Object.keys(LORA_TARGET_SUFFIXES) as LoraTargetModule[])) {
        const target = `blk.${b}.${LORA_TARGET_SUFFIXES[module]}.weight`;
        const [inFeatures = 0, outFeatures = 0] = file.tensor(target)?.shape ?? [];
        const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => normal() * std);
        tensors.push({ target, inFeatures, outFeatures, a: fill(rank * inFeatures), b: fill(outFeatures * rank) });
      }
    }
    return {
      architecture,
      rank,
      alpha: options.alpha ?? 2 * rank,
      baseModelName: file.getString("general.name") ?? "base",
      tensors,
    };
  } finally {
    file.close();
  }
}

/** Last-position logits from llama.cpp for `tokens`, with the given adapter files loaded on the context. */
export {
  llamaCppLastLogits as llamaCppLogitsWithLora,
  loadLlamaCpp,
  relativeMaxDifference,
} from "../model/testing/llamacpp.js";
