import { availableParallelism, homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type {
  ChatHistoryItem,
  Llama,
  LlamaChatSession,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
} from "node-llama-cpp";
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
  /** Contexts kept for reuse after their sessions end. Default 1. */
  idleContexts?: number;
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
  /** Evaluated system-prompt states by prompt hash: the file, once written. */
  private readonly promptStates = new Map<string, Promise<string>>();
  private readonly idleSequences: LlamaContextSequence[] = [];
  private stateDirectory: string | undefined;
  private disposed = false;

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
    const sequence = this.idleSequences.pop() ?? (await this.createContext()).getSequence();
    const session = new LlamaChatSession({
      contextSequence: sequence,
      systemPrompt: setup.systemPrompt,
      // The sequence outlives the session: it goes back to the pool for the next session.
      autoDisposeSequence: false,
    });
    // A pooled sequence's meter counts its earlier sessions too.
    const meterAtOpen = sequence.tokenMeter.usedInputTokens;
    try {
      await this.warmUp(session, sequence, setup.systemPrompt, setup.onProgress);
    } catch (error) {
      session.dispose();
      await sequence.context.dispose();
      throw new EngineError("llama", `cannot evaluate the system prompt: ${(error as Error).message}`, {
        cause: error,
      });
    }

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
      evaluatedInputTokens: () => sequence.tokenMeter.usedInputTokens - meterAtOpen,
      dispose: async () => {
        session.dispose();
        await this.releaseSequence(sequence);
      },
    };
    return conversation;
  }

  private async createContext(): Promise<LlamaContext> {
    try {
      return await this.model.createContext({
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
  }

  /**
   * Keeps a finished session's context for the next session (allocating a context's KV cache is a
   * large part of opening a session); beyond `idleContexts` it is freed.
   */
  private async releaseSequence(sequence: LlamaContextSequence): Promise<void> {
    if (this.disposed || this.idleSequences.length >= (this.options.idleContexts ?? 1)) {
      await sequence.context.dispose();
      return;
    }
    await sequence.clearHistory();
    this.idleSequences.push(sequence);
  }

  /**
   * Evaluates the system prompt before the first question, so the first reply starts as soon as
   * later ones. The evaluated state of each system prompt is saved once and loaded by every later
   * session with the same prompt (same case and persona; the model and adapter are the engine's),
   * which takes milliseconds instead of seconds.
   */
  private async warmUp(
    session: LlamaChatSession,
    sequence: LlamaContextSequence,
    systemPrompt: string,
    progress: ProgressCallback | undefined,
  ) {
    const key = createHash("sha256").update(systemPrompt).digest("hex").slice(0, 32);
    const saved = this.promptStates.get(key);
    if (saved) {
      const file = await saved;
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      return;
    }
    const evaluate = (async () => {
      progress?.({ label: "evaluating system prompt", completed: 0, total: 1 });
      // An empty user prompt evaluates the system prompt and the chat template up to the first
      // user message; the question later extends exactly this prefix.
      await session.preloadPrompt("");
      this.stateDirectory ??= await mkdtemp(join(tmpdir(), "medsim-llama-state-"));
      const file = join(this.stateDirectory, `${key}.bin`);
      await sequence.saveStateToFile(file);
      progress?.({ label: "evaluating system prompt", completed: 1, total: 1 });
      return file;
    })();
    this.promptStates.set(key, evaluate);
    try {
      await evaluate;
    } catch (error) {
      this.promptStates.delete(key);
      throw error;
    }
  }

  /** How many tokens the model's tokenizer makes of `text` (e.g. to size a system prompt). */
  tokenCount(text: string): number {
    return this.model.tokenize(text).length;
  }

  /**
   * How many tokens the model reads to answer the last (doctor) turn of `transcript`: the system
   * prompt and the turns in the model's chat template, up to where the reply begins (the server's
   * `usage.prompt_tokens`).
   */
  async promptTokenCount(systemPrompt: string, transcript: readonly DialogueTurn[]): Promise<number> {
    const { resolveChatWrapper } = await import("node-llama-cpp");
    const { contextText } = resolveChatWrapper(this.model).generateContextState({
      chatHistory: [...toHistory(systemPrompt, transcript), { type: "model", response: [] }],
    });
    return contextText.tokenize(this.model.tokenizer).length;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.idleSequences.splice(0).map((sequence) => sequence.context.dispose()));
    await this.model.dispose();
    if (this.stateDirectory) await rm(this.stateDirectory, { recursive: true, force: true });
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
