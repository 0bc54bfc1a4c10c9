import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type {
  ChatHistoryItem,
  ChatWrapper,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import type { DialogueTurn } from "../../domain/index.js";
import { AsyncQueue } from "../../util/async-queue.js";
import { EngineError } from "../../util/errors.js";
import { silentLogger, type Logger, type ProgressCallback } from "../../util/logger.js";
import type {
  ConversationSetup,
  EngineConversation,
  GenerationOptions,
  PatientEngine,
  PrepareOptions,
} from "../types.js";
import { DEFAULT_LLAMA_MODEL, resolveModelSource, type ModelSourceOptions } from "./model-source.js";
import type { SequenceChat } from "./sequence-chat.js";

export interface LlamaEngineOptions extends ModelSourceOptions {
  /** A GGUF file or an `hf:` URI (downloaded once into the cache). Default {@link DEFAULT_LLAMA_MODEL}. */
  model?: string;
  /** A LoRA adapter GGUF to apply on top of the model (as written by `medsim train`). */
  adapter?: string;
  /** Context size in tokens. Default: up to 4096, capped by what the model was trained for. */
  contextSize?: number;
  /** CPU threads. Default: the number of CPUs Node sees (`os.availableParallelism()`). */
  threads?: number;
  /** Tokens evaluated in one llama.cpp batch. Default 512 (node-llama-cpp's default). */
  batchSize?: number;
  /**
   * llama.cpp's flash attention. Default `false`: on a CPU it makes each turn's small batch over a
   * long context ~1.6x slower (qwen2.5-0.5b shape, 40 tokens after a 2,300-token system prompt:
   * ~1,420 vs ~850 ms of CPU; `bench/attention-cost.ts`), while it saves ~20% of the one-off
   * system-prompt evaluation, which a session reuses.
   */
  flashAttention?: boolean | "auto";
  /**
   * Contexts kept for reuse after their sessions end, each with its system prompt still evaluated,
   * so a later session with the same prompt starts at once. Default 1.
   */
  idleContexts?: number;
  logger?: Logger;
}

/** A llama conversation also tells how many input tokens llama.cpp has evaluated so far. */
export interface LlamaConversation extends EngineConversation {
  /** Prompt tokens evaluated over the whole session; grows only by each turn's new tokens. */
  evaluatedInputTokens(): number;
  /**
   * Evaluates the transcript (ending with a patient turn) and the template up to the next question,
   * and with `options.draft` the draft up to its last whitespace.
   */
  prepare(transcript: readonly DialogueTurn[], options?: PrepareOptions): Promise<void>;
}

/** A context kept between sessions, with the system prompt it holds evaluated (if any). */
interface IdleSequence {
  sequence: LlamaContextSequence;
  prompt?: EvaluatedPrompt;
}

/** A system prompt's evaluated prefix: its tokens (up to the first user message) and saved state. */
interface EvaluatedPrompt {
  key: string;
  tokens: readonly Token[];
  stateFile: string;
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
  /** Evaluated system prompts by prompt hash, once their state is saved. */
  private readonly prompts = new Map<string, Promise<EvaluatedPrompt>>();
  private readonly idleSequences: IdleSequence[] = [];
  private stateDirectory: string | undefined;
  private disposed = false;

  private constructor(
    readonly modelName: string,
    private readonly model: LlamaModel,
    /** Resolved once: node-llama-cpp would otherwise inspect the model's template for every session. */
    private readonly chatWrapper: ChatWrapper,
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
    const { resolveChatWrapper } = await import("node-llama-cpp");
    logger.info(`loading ${modelPath}`);
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath });
    } catch (error) {
      throw new EngineError("llama", `cannot load ${modelPath}: ${(error as Error).message}`, { cause: error });
    }
    // Choosing the chat wrapper renders the model's Jinja template against test histories, which
    // takes hundreds of milliseconds on a small CPU: done once here rather than at every session.
    return new LlamaEngine(source, model, resolveChatWrapper(model), options);
  }

  async openConversation(setup: ConversationSetup): Promise<LlamaConversation> {
    const { SequenceChat } = await import("./sequence-chat.js");
    const key = promptKey(setup.systemPrompt);
    const idle = this.takeIdleSequence(key);
    const sequence = idle?.sequence ?? (await this.createContext()).getSequence();
    const chat = new SequenceChat(sequence, this.model, this.chatWrapper);
    // A pooled sequence's meter counts its earlier sessions too.
    const meterAtOpen = sequence.tokenMeter.usedInputTokens;
    let prompt: EvaluatedPrompt;
    try {
      prompt =
        idle?.prompt?.key === key ? idle.prompt : await this.warmUp(key, setup.systemPrompt, chat, setup.onProgress);
    } catch (error) {
      await sequence.context.dispose();
      throw new EngineError("llama", `cannot evaluate the system prompt: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return this.conversation(chat, setup.systemPrompt, prompt, meterAtOpen);
  }

  private conversation(
    chat: SequenceChat,
    systemPrompt: string,
    prompt: EvaluatedPrompt,
    meterAtOpen: number,
  ): LlamaConversation {
    const logger = this.options.logger ?? silentLogger;
    const sequence = chat.sequence;
    // One evaluation at a time on the sequence: a reply waits for a preparation still running
    // (which evaluates tokens the reply needs anyway) and the other way round.
    let last: Promise<unknown> = Promise.resolve();
    const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
      const next = last.then(work, work);
      last = next.catch(() => undefined);
      return next;
    };
    let disposed = false;
    // Counts prepare and reply calls: a preparation still queued when a newer call comes is
    // skipped, so drafts sent on every keystroke never pile up evaluations.
    let latestCall = 0;

    const reply = (transcript: readonly DialogueTurn[], options: GenerationOptions = {}): AsyncIterable<string> => {
      if (transcript.at(-1)?.role !== "doctor")
        throw new EngineError("llama", "the transcript must end with a doctor turn");
      const queue = new AsyncQueue<string>();
      const maxTokens = options.maxTokens ?? 200;
      latestCall++;
      exclusive(async () => {
        // A JSON Schema becomes a llama.cpp grammar, so the model can only write matching JSON.
        const grammar = options.jsonSchema ? await createJsonGrammar(options.jsonSchema) : undefined;
        // The transcript as the simulator kept it (its text may differ from what the model
        // generated, when the guard replaced a reply or the sentence limit cut it): the sequence
        // keeps its longest common prefix with this render and evaluates only the rest.
        const rendered = chat.renderReply(toHistory(systemPrompt, transcript), maxTokens);
        if (rendered.droppedItems > 0)
          logger.info(`llama: the context is full; the ${rendered.droppedItems} oldest messages are left out`);
        await chat.reply(rendered, {
          maxTokens,
          temperature: options.temperature ?? 0.7,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(grammar ? { grammar } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onText: (text) => queue.push(text),
        });
      }).then(
        () => queue.end(),
        (error: unknown) =>
          queue.fail(
            error instanceof EngineError
              ? error
              : new EngineError("llama", `generation failed: ${(error as Error).message}`, { cause: error }),
          ),
      );
      return queue;
    };

    const prepare = (transcript: readonly DialogueTurn[], options: PrepareOptions = {}): Promise<void> => {
      // The draft is cut at its last whitespace: the word being typed may still change.
      const draft = options.draft?.replace(/\S*$/, "").trimEnd() ?? "";
      const nextIsDoctor = transcript.at(-1)?.role === "patient" || (transcript.length === 0 && draft !== "");
      if (!nextIsDoctor || disposed) return Promise.resolve();
      const call = ++latestCall;
      // Evaluates the transcript as kept, the chat template up to the next doctor message and the
      // draft, so the next turn evaluates only the rest of the question.
      return exclusive(async () => {
        if (disposed || call !== latestCall) return;
        const history = toHistory(systemPrompt, transcript);
        const tokens = draft === "" ? chat.renderUpToNextUserText(history) : chat.renderUpToDraft(history, draft);
        // What does not fit is left for the reply (which drops old turns to fit).
        if (tokens.length >= sequence.contextSize - 1) return;
        await chat.evaluate(tokens);
      }).catch((error: unknown) => {
        if (!disposed) logger.warn(`llama: preparing the next turn failed: ${(error as Error).message}`);
      });
    };

    return {
      reply,
      prepare,
      evaluatedInputTokens: () => sequence.tokenMeter.usedInputTokens - meterAtOpen,
      dispose: async () => {
        disposed = true;
        await last;
        await this.releaseSequence(sequence, prompt);
      },
    };
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
        ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
        flashAttention: this.options.flashAttention ?? false,
        ...(this.options.adapter ? { lora: { adapters: [{ filePath: this.options.adapter }] } } : {}),
      });
    } catch (error) {
      throw new EngineError("llama", `cannot create a context: ${(error as Error).message}`, { cause: error });
    }
  }

  /** An idle sequence for a session: one that holds this prompt if any, else the newest. */
  private takeIdleSequence(key: string): IdleSequence | undefined {
    const index = this.idleSequences.findIndex((idle) => idle.prompt?.key === key);
    return index >= 0 ? this.idleSequences.splice(index, 1)[0] : this.idleSequences.pop();
  }

  /**
   * Keeps a finished session's context for the next session (allocating a context is a large part
   * of opening a session), with everything after the system prompt erased, so a session with the
   * same prompt needs neither evaluating nor loading anything. Beyond `idleContexts` the oldest
   * idle context is freed.
   */
  private async releaseSequence(sequence: LlamaContextSequence, prompt: EvaluatedPrompt | undefined): Promise<void> {
    const limit = this.options.idleContexts ?? 1;
    if (this.disposed || limit <= 0) {
      await sequence.context.dispose();
      return;
    }
    let kept: EvaluatedPrompt | undefined;
    try {
      if (prompt && startsWith(sequence.contextTokens, prompt.tokens)) {
        if (sequence.nextTokenIndex > prompt.tokens.length)
          await sequence.eraseContextTokenRanges([{ start: prompt.tokens.length, end: sequence.nextTokenIndex }]);
        kept = prompt;
      } else await sequence.clearHistory();
    } catch {
      await sequence.context.dispose();
      return;
    }
    this.idleSequences.push({ sequence, ...(kept ? { prompt: kept } : {}) });
    while (this.idleSequences.length > limit) await this.idleSequences.shift()!.sequence.context.dispose();
  }

  /**
   * Evaluates the system prompt before the first question, so the first reply starts as soon as
   * later ones. The evaluated state of each system prompt is saved once and loaded by every later
   * session with the same prompt (same case and persona; the model and adapter are the engine's)
   * that does not find a context still holding it.
   */
  private async warmUp(
    key: string,
    systemPrompt: string,
    chat: SequenceChat,
    progress: ProgressCallback | undefined,
  ): Promise<EvaluatedPrompt> {
    const sequence = chat.sequence;
    const saved = this.prompts.get(key);
    if (saved) {
      const prompt = await saved;
      await sequence.loadStateFromFile(prompt.stateFile, { acceptRisk: true });
      return prompt;
    }
    const evaluate = (async (): Promise<EvaluatedPrompt> => {
      progress?.({ label: "evaluating system prompt", completed: 0, total: 1 });
      // The system prompt and the chat template up to the first user message's text; every
      // question later extends exactly this prefix.
      if (sequence.nextTokenIndex > 0) await sequence.clearHistory();
      await chat.evaluate(chat.renderUpToNextUserText(toHistory(systemPrompt, [])));
      this.stateDirectory ??= await mkdtemp(join(tmpdir(), "medsim-llama-state-"));
      const stateFile = join(this.stateDirectory, `${key}.bin`);
      await sequence.saveStateToFile(stateFile);
      progress?.({ label: "evaluating system prompt", completed: 1, total: 1 });
      return { key, tokens: sequence.contextTokens, stateFile };
    })();
    this.prompts.set(key, evaluate);
    try {
      return await evaluate;
    } catch (error) {
      this.prompts.delete(key);
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
    const { contextText } = this.chatWrapper.generateContextState({
      chatHistory: [...toHistory(systemPrompt, transcript), { type: "model", response: [] }],
    });
    return contextText.tokenize(this.model.tokenizer).length;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.idleSequences.splice(0).map((idle) => idle.sequence.context.dispose()));
    await this.model.dispose();
    if (this.stateDirectory) await rm(this.stateDirectory, { recursive: true, force: true });
  }
}

function promptKey(systemPrompt: string): string {
  return createHash("sha256").update(systemPrompt).digest("hex").slice(0, 32);
}

function startsWith(tokens: readonly Token[], prefix: readonly Token[]): boolean {
  return tokens.length >= prefix.length && prefix.every((token, index) => tokens[index] === token);
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
