/**
 * Test helper: last-position logits from llama.cpp (through node-llama-cpp), the independent
 * reference for parity tests. The KV cache is F32 so that llama.cpp's attention runs in float32
 * like ours (its default F16 cache would round K and V).
 */
import { availableParallelism } from "node:os";
import type { Llama, LlamaModel } from "node-llama-cpp";

/**
 * Evaluates `tokens` in a fresh context (with the given LoRA adapter files, if any) and returns
 * all vocabulary logits of the last position.
 */
export async function llamaCppLastLogits(
  model: LlamaModel,
  tokens: readonly number[],
  vocabSize: number,
  adapters: readonly string[] = [],
): Promise<Float32Array> {
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
    const input = tokens.map((token, i) =>
      i === tokens.length - 1 ? ([token, { generateNext: { logits: true } }] as const) : token,
    );
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

/** max|a-b| / max|b|: the relative max difference used by the parity tests. */
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

/** Loads the CPU build of llama.cpp without trying to build or download anything. */
export async function loadLlamaCpp(): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  return getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
}
