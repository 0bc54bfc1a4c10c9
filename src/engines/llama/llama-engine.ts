import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import type { ChatHistoryItem, Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import type { DialogueTurn } from "../../domain/index.js";
import { AsyncQueue } from "../../util/async-queue.js";
import { EngineError } from "../../util/errors.js";
import { silentLogger, type Logger, type ProgressCallback } from "../../util/logger.js";
import type { ConversationSetup, EngineConversation, GenerationOptions, PatientEngine } from "../types.js";

/** A small, ungated instruct model that runs on a laptop CPU. */
export const DEFAULT_LLAMA_MODEL = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

/** Where downloaded models are kept: `MEDSIM_MODEL_CACHE`, else `~/.cache/medsim/models`. */
export function defaultModelCacheDirectory(): string {
  return process.env.MEDSIM_MODEL_CACHE ?? join(homedir(), ".cache", "medsim", "models");
}

export interface LlamaEngineOptions {
  /** A GGUF file or an `hf:` URI (downloaded once into the cache). Default {@link DEFAULT_LLAMA_MODEL}. */
  model?: string;
  /** A LoRA adapter GGUF to apply on top of the model (as written by `medsim train`). */
  adapter?: string;
  /** Default {@link defaultModelCacheDirectory}. */
  cacheDirectory?: string;
  /** Context size in tokens. Default: up to 4096, capped by what the model was trained for. */
  contextSize?: number;
  /** CPU threads. Default: the number of CPUs Node sees (`os.availableParallelism()`). */
  threads?: number;
  /** Give up on a download that makes no progress for this long. Default 60000 ms. */
  downloadStallTimeoutMs?: number;
  /** Download progress of an `hf:` model. */
  onProgress?: ProgressCallback;
  logger?: Logger;
}

/** A llama conversation also tells how many input tokens llama.cpp has evaluated so far. */
export interface LlamaConversation extends EngineConversation {
  /** Prompt tokens evaluated over the whole session; grows only by each turn's new tokens. */
  evaluatedInputTokens(): number;
}

let llamaInstance: Promise<Llama> | undefined;

/** One llama.cpp runtime per process, CPU only, from node-llama-cpp's prebuilt binaries. */
async function getRuntime(): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  llamaInstance ??= getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  return llamaInstance;
}

/**
 * In-process llama.cpp through node-llama-cpp. Each conversation gets its own context whose KV
 * cache persists between turns, so a turn only evaluates the tokens it adds.
 */
export class LlamaEngine implements PatientEngine {
  readonly name = "llama" as const;

  private constructor(
    readonly modelName: string,
    private readonly model: LlamaModel,
    private readonly options: LlamaEngineOptions,
  ) {}

  /** Resolves (downloading if needed) and loads the model. */
  static async load(options: LlamaEngineOptions = {}): Promise<LlamaEngine> {
    const source = options.model ?? DEFAULT_LLAMA_MODEL;
    const logger = options.logger ?? silentLogger;
    const modelPath = await resolveModelSource(source, options);
    if (options.adapter && !existsSync(options.adapter))
      throw new EngineError("llama", `adapter file not found: ${options.adapter}`);
    const llama = await getRuntime();
    logger.info(`loading ${modelPath}`);
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath });
    } catch (error) {
      throw new EngineError("llama", `cannot load ${modelPath}: ${(error as Error).message}`, { cause: error });
    }
    return new LlamaEngine(source, model, options);
  }

  async openConversation(setup: ConversationSetup): Promise<LlamaConversation> {
    const { LlamaChatSession } = await import("node-llama-cpp");
    let context: LlamaContext;
    try {
      context = await this.model.createContext({
        // An explicit size is used as given (llama.cpp allows more than the training context);
        // by default take up to 4096 tokens, as the model allows.
        contextSize: this.options.contextSize ?? { max: 4096 },
        // node-llama-cpp may pick more threads than the machine has cores, which makes generation
        // on a small CPU many times slower.
        threads: this.options.threads ?? availableParallelism(),
        ...(this.options.adapter ? { lora: { adapters: [{ filePath: this.options.adapter }] } } : {}),
      });
    } catch (error) {
      throw new EngineError("llama", `cannot create a context: ${(error as Error).message}`, { cause: error });
    }
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: setup.systemPrompt });

    const reply = (transcript: readonly DialogueTurn[], options: GenerationOptions = {}): AsyncIterable<string> => {
      const last = transcript.at(-1);
      if (last?.role !== "doctor") throw new EngineError("llama", "the transcript must end with a doctor turn");
      // Keep the session's history equal to the simulator's transcript (which may differ when
      // the guard replaced a reply); llama.cpp reuses the cached prefix either way.
      const expected = toHistory(setup.systemPrompt, transcript.slice(0, -1));
      if (JSON.stringify(session.getChatHistory()) !== JSON.stringify(expected)) session.setChatHistory(expected);
      const queue = new AsyncQueue<string>();
      (async () => {
        // A JSON Schema becomes a llama.cpp grammar, so the model can only write matching JSON.
        const grammar = options.jsonSchema ? await createJsonGrammar(options.jsonSchema) : undefined;
        return session.prompt(last.content, {
          onTextChunk: (text) => queue.push(text),
          signal: options.signal,
          stopOnAbortSignal: true,
          maxTokens: options.maxTokens ?? 200,
          temperature: options.temperature ?? 0.7,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(grammar ? { grammar } : {}),
        });
      })().then(
        () => queue.end(),
        (error: unknown) =>
          queue.fail(new EngineError("llama", `generation failed: ${(error as Error).message}`, { cause: error })),
      );
      return queue;
    };
    const conversation: LlamaConversation = {
      reply,
      evaluatedInputTokens: () => sequence.tokenMeter.usedInputTokens,
      dispose: async () => {
        session.dispose();
        await context.dispose();
      },
    };
    return conversation;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

async function createJsonGrammar(schema: Record<string, unknown>) {
  const llama = await getRuntime();
  try {
    return await llama.createGrammarForJsonSchema(schema as never);
  } catch (error) {
    throw new EngineError("llama", `cannot turn the JSON Schema into a grammar: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function toHistory(systemPrompt: string, turns: readonly DialogueTurn[]): ChatHistoryItem[] {
  return [
    { type: "system", text: systemPrompt },
    ...turns.map((turn): ChatHistoryItem =>
      turn.role === "doctor" ? { type: "user", text: turn.content } : { type: "model", response: [turn.content] },
    ),
  ];
}

/**
 * A local path for a model source: a GGUF path as it is, or an `hf:` URI / URL downloaded once
 * into the cache (with progress; a download without progress for a minute is abandoned). The
 * trainer and the CLI use it too, so `--base hf:...` works wherever `--model` does.
 */
export async function resolveModelSource(
  source: string,
  options: Pick<LlamaEngineOptions, "cacheDirectory" | "downloadStallTimeoutMs" | "onProgress"> = {},
): Promise<string> {
  if (!source.startsWith("hf:") && !/^https?:\/\//.test(source)) {
    if (!existsSync(source)) throw new EngineError("llama", `model file not found: ${source}`);
    return source;
  }
  const { resolveModelFile } = await import("node-llama-cpp");
  const directory = options.cacheDirectory ?? defaultModelCacheDirectory();
  try {
    return await resolveModelFile(source, { directory, cli: false, download: false });
  } catch {
    // Not in the cache yet: download it below.
  }
  // node-llama-cpp retries failed connections for a long time; find out first whether the model
  // host can be reached at all, so an offline user gets an answer (or the fallback) at once.
  const host = source.startsWith("hf:") ? "https://huggingface.co" : new URL(source).origin;
  try {
    await fetch(host, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new EngineError(
      "llama",
      `cannot get model ${source}: ${host} cannot be reached (${cause}); pass --model <file.gguf> to use a local file`,
    );
  }
  // A download that stops making progress is given up on rather than left to hang.
  const stallMs = options.downloadStallTimeoutMs ?? 60_000;
  const abort = new AbortController();
  let rejectStall!: (error: Error) => void;
  const stalled = new Promise<never>((_, reject) => (rejectStall = reject));
  const onStall = () => {
    abort.abort();
    rejectStall(new EngineError("llama", `cannot get model ${source}: no download progress for ${stallMs / 1000} s`));
  };
  let watchdog = setTimeout(onStall, stallMs);
  try {
    return await Promise.race([
      resolveModelFile(source, {
        directory,
        cli: false,
        signal: abort.signal,
        onProgress: ({ downloadedSize, totalSize }) => {
          clearTimeout(watchdog);
          watchdog = setTimeout(onStall, stallMs);
          options.onProgress?.({
            label: "downloading model",
            completed: downloadedSize,
            ...(totalSize ? { total: totalSize } : {}),
          });
        },
      }),
      stalled,
    ]);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError("llama", `cannot get model ${source}: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
    });
  } finally {
    clearTimeout(watchdog);
  }
}
