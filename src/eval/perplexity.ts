/**
 * Perplexity on the assistant's tokens, computed by llama.cpp (node-llama-cpp), independently
 * of this project's trainer and forward pass. Each conversation is formatted by the model's own
 * chat template and tokenised by llama.cpp (`ModelTokenizer.trainingExample`), so the tokens are
 * exactly those inference sees; every token of an assistant reply (including its end-of-turn
 * token) is scored from the position before it: NLL = −log softmax(logits)[token], and
 * perplexity = exp(mean NLL) over all scored tokens of all conversations.
 */
import { availableParallelism } from "node:os";
import type { Llama, Token } from "node-llama-cpp";
import type { ChatMessage } from "../domain/index.js";
import { ModelTokenizer } from "../tokenizer/index.js";
import { EngineError } from "../util/errors.js";
import type { ProgressCallback } from "../util/logger.js";

/** Options for {@link computePerplexity}. */
export interface PerplexityOptions {
  /** Base model GGUF. */
  readonly model: string;
  /** LoRA adapter GGUF(s) applied by llama.cpp. Default: none. */
  readonly adapters?: readonly string[];
  /** Conversations, each ending with an assistant message. */
  readonly conversations: readonly { readonly messages: readonly ChatMessage[] }[];
  /** Longest sequence evaluated; longer conversations are cut (and counted). Default: the model's training context. */
  readonly maxTokens?: number;
  /**
   * KV cache precision. Default `"f32"`: exact attention, so the figure does not depend on cache
   * rounding (llama.cpp's inference default is F16; the difference is tiny).
   */
  readonly kvCache?: "f32" | "f16";
  /** CPU threads. Default: the CPUs Node sees (node-llama-cpp's default oversubscribes small machines). */
  readonly threads?: number;
  /** A llama.cpp instance to reuse. Default: the CPU build. */
  readonly llama?: Llama;
  /** Called after each conversation (label `perplexity`, conversations done of all). */
  readonly onProgress?: ProgressCallback;
}

/** Per-conversation figures. */
export interface ConversationScore {
  /** Sum of the NLL of its scored tokens (nats). */
  readonly nll: number;
  /** Number of scored (assistant) tokens. */
  readonly tokens: number;
  /** Whether the conversation was cut at `maxTokens`. */
  readonly truncated: boolean;
}

/** The result of {@link computePerplexity}. */
export interface PerplexityResult {
  readonly perplexity: number;
  /** Mean NLL per scored token, in nats. */
  readonly meanNll: number;
  /** Number of scored tokens. */
  readonly tokens: number;
  readonly conversations: number;
  readonly truncatedConversations: number;
  readonly perConversation: readonly ConversationScore[];
}

/**
 * log p(target) from llama.cpp's filtered logits and its total logit weight Σ exp(logit − max).
 * The filter asks for the top token too (`includeTop: 1`), which carries the max logit;
 * node-llama-cpp 3.22's `includeMax` does not add it.
 */
function logProbability(
  logits: ReadonlyMap<Token, number> | undefined,
  totalWeight: number | undefined,
  target: number,
  where: string,
): number {
  const value = logits?.get(target as Token);
  if (logits === undefined || value === undefined || totalWeight === undefined)
    throw new EngineError("llama", `no logits returned for ${where}`);
  const max = Math.max(...logits.values());
  return value - max - Math.log(totalWeight);
}

/**
 * Computes the perplexity of the assistant tokens of `conversations` under `model` (+ adapters)
 * with llama.cpp.
 * @throws EngineError if llama.cpp cannot load the model or adapter; RangeError for no conversations; Error for a conversation that does not end with the assistant.
 */
export async function computePerplexity(options: PerplexityOptions): Promise<PerplexityResult> {
  if (options.conversations.length === 0)
    throw new RangeError("perplexity: expected at least one conversation, found none");
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = options.llama ?? (await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }));
  const tokenizer = await ModelTokenizer.load(options.model, { llama }).catch((error: unknown) => {
    throw new EngineError("llama", `${options.model}: cannot load (${(error as Error).message.split("\n")[0]})`, {
      cause: error,
    });
  });
  let examples;
  try {
    examples = options.conversations.map((c) => tokenizer.trainingExample(c.messages));
  } finally {
    await tokenizer.dispose();
  }
  const model = await llama.loadModel({ modelPath: options.model });
  try {
    const limit = Math.min(options.maxTokens ?? model.trainContextSize, model.trainContextSize);
    const longest = Math.min(limit, Math.max(...examples.map((e) => e.tokens.length)));
    const kv = options.kvCache === "f16" ? "F16" : "F32";
    const adapters = options.adapters ?? [];
    const context = await model
      .createContext({
        contextSize: Math.max(longest, 32),
        // One batch per conversation when it fits llama.cpp's usual 512; node-llama-cpp splits longer ones.
        batchSize: Math.min(Math.max(longest, 32), 512),
        flashAttention: false,
        threads: options.threads ?? availableParallelism(),
        experimentalKvCacheKeyType: kv,
        experimentalKvCacheValueType: kv,
        ...(adapters.length > 0 ? { lora: { adapters: adapters.map((filePath) => ({ filePath })) } } : {}),
      })
      .catch((error: unknown) => {
        throw new EngineError(
          "llama",
          `cannot create a context${adapters.length > 0 ? ` with adapter ${adapters.join(", ")}` : ""} (${(error as Error).message.split("\n")[0]})`,
          { cause: error },
        );
      });
    try {
      const sequence = context.getSequence();
      const perConversation: ConversationScore[] = [];
      for (const [index, example] of examples.entries()) {
        const truncated = example.tokens.length > limit;
        const tokens = example.tokens.slice(0, limit);
        // Position t predicts token t + 1; ask llama.cpp only for the positions whose next token is scored.
        const input = tokens.map((token, t) => {
          const next = tokens[t + 1];
          if (next === undefined || example.targetMask[t + 1] !== true) return token as Token;
          return [
            token as Token,
            {
              generateNext: { logits: { filter: { tokens: [next as Token], includeTop: 1 } }, totalLogitWeight: true },
            },
          ] as const;
        });
        await sequence.clearHistory();
        const results = await sequence.controlledEvaluate(input as Parameters<typeof sequence.controlledEvaluate>[0]);
        let nll = 0;
        let count = 0;
        for (let t = 0; t + 1 < tokens.length; t++) {
          if (example.targetMask[t + 1] !== true) continue;
          const next = results[t]?.next;
          nll -= logProbability(
            next?.logits,
            next?.totalLogitWeight,
            tokens[t + 1] ?? -1,
            `conversation ${index + 1}, position ${t}`,
          );
          count++;
        }
        perConversation.push({ nll, tokens: count, truncated });
        options.onProgress?.({ label: "perplexity", completed: index + 1, total: examples.length });
      }
      const tokens = perConversation.reduce((sum, c) => sum + c.tokens, 0);
      const meanNll = tokens === 0 ? Number.NaN : perConversation.reduce((sum, c) => sum + c.nll, 0) / tokens;
      return {
        perplexity: Math.exp(meanNll),
        meanNll,
        tokens,
        conversations: examples.length,
        truncatedConversations: perConversation.filter((c) => c.truncated).length,
        perConversation,
      };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}
