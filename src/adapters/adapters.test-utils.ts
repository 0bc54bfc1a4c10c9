/**
 * Test helpers: a seeded random adapter for a base GGUF, and llama.cpp logits with adapters
 * loaded (node-llama-cpp's `createContext({ lora })`), F32 KV cache as in the model parity tests.
 */
import { availableParallelism } from "node:os";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { GgufFile } from "../gguf/index.js";
import { LORA_TARGET_SUFFIXES, type LoraAdapter, type LoraTargetModule, type LoraTensorPair } from "./types.js";

/** A small seeded normal generator (Box–Muller over mulberry32). */
export function seededNormal(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
    return { architecture, rank, alpha: options.alpha ?? 2 * rank, baseModelName: file.getString("general.name") ?? "base", tensors };
  } finally {
    file.close();
  }
}

/** Last-position logits from llama.cpp for `tokens`, with the given adapter files loaded on the context. */
export async function llamaCppLogitsWithLora(model: LlamaModel, tokens: readonly number[], vocabSize: number, adapters: readonly string[]): Promise<Float32Array> {
  const context = await model.createContext({
    contextSize: Math.max(256, tokens.length + 16),
    flashAttention: false,
    threads: availableParallelism(),
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
    ...(adapters.length > 0 ? { lora: { adapters: adapters.map((filePath) => ({ filePath })) } } : {}),
  });
  try {
    const sequence = context.getSequence();
    const input = tokens.map((token, i) => (i === tokens.length - 1 ? ([token, { generateNext: { logits: true } }] as const) : token));
    const results = await sequence.controlledEvaluate(input as Parameters<typeof sequence.controlledEvaluate>[0]);
    const logits = results[tokens.length - 1]?.next.logits;
    if (logits === undefined) throw new Error("llama.cpp returned no logits");
    const out = new Float32Array(vocabSize).fill(Number.NaN);
    for (const [token, value] of logits) out[token] = value;
    return out;
  } finally {
    await context.dispose();
  }
}

/** max|a-b| / max|b|, the relative max difference of the model parity tests. */
export function relativeMaxDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? Number.NaN;
    const y = b[i] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Number.POSITIVE_INFINITY;
    diff = Math.max(diff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(y));
  }
  return diff / scale;
}

/** The CPU build of llama.cpp, never building or downloading anything. */
export async function loadLlamaCpp(): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  return getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
}
