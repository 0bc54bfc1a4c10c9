/**
 * Tokenisation and chat formatting exactly as inference sees them: a vocabulary-only load of the
 * GGUF in node-llama-cpp (llama.cpp's own tokenizer) and the chat wrapper node-llama-cpp resolves
 * for the model (from its chat template), the same one `LlamaChatSession` uses.
 */
import type { ChatMessage } from "../domain/dialogue.js";
import { GgufError } from "../util/errors.js";
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaModel, Token } from "node-llama-cpp";

/** Options for {@link ModelTokenizer.load}. */
export interface TokenizerLoadOptions {
  /** A llama.cpp instance to reuse. Default: a CPU instance (`getLlama({ gpu: false, build: "never" })`). */
  readonly llama?: Llama;
}

/** A tokenised training conversation: which tokens the model should learn to produce. */
export interface TrainingExample {
  readonly tokens: readonly number[];
  /** `true` where the token is part of an assistant reply (including its end-of-turn token). */
  readonly targetMask: readonly boolean[];
}

function toHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  return messages.map((m): ChatHistoryItem => {
    if (m.role === "system") return { type: "system", text: m.content };
    if (m.role === "user") return { type: "user", text: m.content };
    return { type: "model", response: [m.content] };
  });
}

function startsWith(tokens: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= tokens.length && prefix.every((t, i) => tokens[i] === t);
}

/** Tokenizer and chat formatting of one model file. Call {@link ModelTokenizer.dispose} when done. */
export class ModelTokenizer {
  private constructor(
    private readonly model: LlamaModel,
    /** The chat wrapper resolved for the model (as `LlamaChatSession` resolves it). */
    readonly chatWrapper: ChatWrapper,
  ) {}

  /** Loads only the vocabulary of a GGUF file (fast; no weights are read). */
  static async load(modelPath: string, options: TokenizerLoadOptions = {}): Promise<ModelTokenizer> {
    const { getLlama, LlamaLogLevel, resolveChatWrapper } = await import("node-llama-cpp");
    const llama = options.llama ?? (await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }));
    const model = await llama.loadModel({ modelPath, vocabOnly: true }).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new GgufError(`${modelPath}: cannot load the tokenizer (${reason})`, { cause: error });
    });
    return new ModelTokenizer(model, resolveChatWrapper(model));
  }

  /** Name of the chat wrapper, e.g. `"ChatML"`. */
  get chatWrapperName(): string {
    return this.chatWrapper.wrapperName;
  }

  /** Token ids of `text`; with `special`, special-token text such as `<|im_end|>` becomes that token. */
  tokenize(text: string, options: { special?: boolean } = {}): number[] {
    return this.model.tokenize(text, options.special ?? false);
  }

  /** Text of token ids; with `special`, special tokens are rendered as their text. */
  detokenize(tokens: readonly number[], options: { special?: boolean } = {}): string {
    return this.model.detokenize(tokens as Token[], options.special ?? false);
  }

  /**
   * A conversation formatted by the model's chat template and tokenised. With
   * `addGenerationPrompt` (default true) and a last message that is not the assistant's, the
   * assistant's turn is opened, as at inference before generating.
   */
  formatChat(
    messages: readonly ChatMessage[],
    options: { addGenerationPrompt?: boolean } = {},
  ): { text: string; tokens: number[] } {
    const history = toHistory(messages);
    if ((options.addGenerationPrompt ?? true) && messages.at(-1)?.role !== "assistant")
      history.push({ type: "model", response: [] });
    const state = this.chatWrapper.generateContextState({ chatHistory: history });
    return { text: state.contextText.toString(), tokens: [...state.contextText.tokenize(this.model.tokenizer)] };
  }

  /** The token that closes an assistant turn (the first stop trigger that is not the EOS token). */
  endOfTurnTokens(): number[] {
    const state = this.chatWrapper.generateContextState({ chatHistory: [{ type: "model", response: [] }] });
    for (const trigger of state.stopGenerationTriggers) {
      const tokens = trigger.tokenize(this.model.tokenizer);
      if (tokens.length > 0 && trigger.toString() !== "EOS") return [...tokens];
    }
    const eos = this.model.tokens.eos;
    return eos === null ? [] : [eos];
  }

  /**
   * Tokens of a whole conversation (ending with an assistant message) as inference would see it,
   * with a mask of the assistant replies. Each reply's span is found by formatting the
   * conversation up to it, so the tokens are those a chat session would have in context.
   * @throws Error if the last message is not the assistant's, or the template's renderings are not prefixes of each other.
   */
  trainingExample(messages: readonly ChatMessage[]): TrainingExample {
    if (messages.at(-1)?.role !== "assistant")
      throw new Error(
        `training example: expected the last message to be the assistant's, found ${messages.at(-1)?.role ?? "none"}`,
      );
    const end = this.endOfTurnTokens();
    const tokens = [...this.formatChat(messages, { addGenerationPrompt: false }).tokens, ...end];
    const targetMask = tokens.map(() => false);
    messages.forEach((message, i) => {
      if (message.role !== "assistant") return;
      const open = this.formatChat(messages.slice(0, i), { addGenerationPrompt: true }).tokens;
      const closed = this.formatChat(messages.slice(0, i + 1), { addGenerationPrompt: false }).tokens;
      if (!startsWith(closed, open) || !startsWith(tokens, closed)) {
        throw new Error(
          `training example: the chat template's rendering of message ${i} is not a prefix of the whole conversation`,
        );
      }
      for (let t = open.length; t < Math.min(tokens.length, closed.length + end.length); t++) targetMask[t] = true;
    });
    return { tokens, targetMask };
  }

  /** Releases the vocabulary. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
