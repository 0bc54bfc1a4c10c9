import {
  LlamaGrammarEvaluationState,
  isLlamaText,
  LlamaText,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
  type Tokenizer,
} from "node-llama-cpp";

/** Sampling for one reply; what is not here takes the defaults `LlamaChatSession.prompt` uses. */
export interface SequenceReplyOptions {
  maxTokens: number;
  temperature: number;
  seed?: number;
  /** Constrains the reply (a JSON Schema grammar); its stop triggers and whitespace trimming apply. */
  grammar?: LlamaGrammar;
  /** Stops generation; the text so far is kept. */
  signal?: AbortSignal;
  onText: (text: string) => void;
}

/** A rendered chat: the tokens up to where the reply starts, and the texts that end a reply. */
export interface RenderedReply {
  tokens: Token[];
  stopTriggers: readonly LlamaText[];
  /** Turns left out at the start of the history so the reply fits the context. */
  droppedItems: number;
}

// LlamaChat's defaults (node-llama-cpp 3.x): the last 64 generated tokens are penalised, new lines excepted.
const REPEAT_PENALTY_LAST_TOKENS = 64;

/**
 * Drives one context sequence as a chat, without `LlamaChatSession`. The session re-renders,
 * re-tokenizes and re-checks the whole history on every prompt, which costs ~0.3-1 s a turn on a
 * 2-core CPU with a 2,400-token system prompt (the decode of the new tokens is ~0.2 s). Here the
 * chat wrapper renders the history (a string concatenation), each message text is tokenized once
 * (later renders hit the cache), and the sequence evaluates only the tokens after the longest
 * prefix it already holds. The tokens are those of a full render by construction: the same
 * `LlamaText.tokenize` runs over the same render, only its tokenizer remembers earlier answers.
 */
export class SequenceChat {
  private readonly tokenizer: Tokenizer;

  constructor(
    readonly sequence: LlamaContextSequence,
    private readonly model: LlamaModel,
    private readonly chatWrapper: ChatWrapper,
  ) {
    this.tokenizer = memoizeTokenizer(model.tokenizer);
  }

  /**
   * The tokens of `history` and of the chat template up to where the next user message's text
   * begins (for a system prompt alone: what every session with that prompt starts with).
   */
  renderUpToNextUserText(history: readonly ChatHistoryItem[]): Token[] {
    return this.renderUserTextPrefix(history, "");
  }

  /**
   * The tokens of `history` and of a next user message that begins with `draft`, without what
   * ends the message (end of turn, the reply's header): the tokens a full render of that message
   * starts with, as long as `draft` ends at a word boundary (GPT-style pre-tokenization splits
   * before a word's leading space, so the tokens of "Since how many" start those of "Since how
   * many days?"). Where they differ, the reply's longest-common-prefix evaluation drops the tail.
   */
  renderUpToDraft(history: readonly ChatHistoryItem[], draft: string): Token[] {
    return this.renderUserTextPrefix(history, draft);
  }

  private renderUserTextPrefix(history: readonly ChatHistoryItem[], text: string): Token[] {
    // node-llama-cpp's own way (LlamaChat's `generateContextTextThatEndsWithUserText`): render a
    // user message holding a marker and cut the text where the marker starts.
    const marker = `W${Math.random().toString(36).slice(2)}W`;
    const { contextText } = this.chatWrapper.generateContextState({
      chatHistory: [...history, { type: "user", text: text + marker }, { type: "model", response: [] }],
    });
    const values = contextText.values;
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (typeof value !== "string" || !value.includes(marker)) continue;
      return LlamaText([...values.slice(0, index), value.slice(0, value.indexOf(marker))]).tokenize(this.tokenizer);
    }
    throw new Error(`the chat wrapper ${this.chatWrapper.wrapperName} does not render the user's text`);
  }

  /**
   * The tokens of `history` (ending with a user message) up to where the model's reply starts.
   * When they and `reserve` tokens for the reply do not fit the context, the oldest turns after
   * the system prompt are left out (the sequence then re-evaluates from the first change).
   */
  renderReply(history: readonly ChatHistoryItem[], reserve: number): RenderedReply {
    const system = history[0]?.type === "system" ? 1 : 0;
    let rest = history.slice(system);
    let droppedItems = 0;
    for (;;) {
      const { contextText, stopGenerationTriggers } = this.chatWrapper.generateContextState({
        chatHistory: [...history.slice(0, system), ...rest, { type: "model", response: [] }],
      });
      const tokens = contextText.tokenize(this.tokenizer);
      if (tokens.length + reserve < this.sequence.contextSize)
        return { tokens, stopTriggers: stopGenerationTriggers, droppedItems };
      // Drop the oldest question with its answer; the last question always stays.
      const nextUser = rest.findIndex((item, index) => index > 0 && item.type === "user");
      if (nextUser < 0)
        throw new Error(
          `the prompt (${tokens.length} tokens) and ${reserve} tokens for the reply do not fit the context of ${this.sequence.contextSize} tokens`,
        );
      rest = rest.slice(nextUser);
      droppedItems += nextUser;
    }
  }

  /** Evaluates `tokens` into the sequence, reusing the longest prefix it already holds. */
  async evaluate(tokens: readonly Token[]): Promise<void> {
    const rest = await this.alignTo(tokens, false);
    if (rest.length > 0) await this.sequence.evaluateWithoutGeneratingNewTokens(rest);
  }

  /**
   * Evaluates `rendered.tokens` (reusing what the sequence holds) and samples the reply, streaming
   * its text through `options.onText`. Returns the generated tokens (stop trigger excluded).
   */
  async reply(rendered: RenderedReply, options: SequenceReplyOptions): Promise<Token[]> {
    const { tokens } = rendered;
    if (options.signal?.aborted) return [];
    const input = await this.alignTo(tokens, true);
    // Never let the sequence shift its context (it would erase the system prompt's start).
    const maxTokens = Math.max(0, Math.min(options.maxTokens, this.sequence.contextSize - 1 - tokens.length));
    const stops = resolveStopTriggers(this.model, [
      ...rendered.stopTriggers,
      ...(options.grammar?.stopGenerationTriggers ?? []),
    ]);
    const text = new StopTextStream(stops.texts, options.grammar?.trimWhitespaceSuffix ?? false, options.onText);
    const generated: Token[] = [];
    const newLine = this.model.tokens.nl;
    const context = tokens.slice(-8);
    if (maxTokens === 0) return generated;
    const iterator = this.sequence.evaluate(input, {
      temperature: options.temperature,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.grammar
        ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model: this.model, grammar: options.grammar }) }
        : {}),
      repeatPenalty: {
        punishTokens: () =>
          generated.slice(-REPEAT_PENALTY_LAST_TOKENS).filter((token) => newLine === undefined || token !== newLine),
        maxPunishTokens: REPEAT_PENALTY_LAST_TOKENS,
      },
      yieldEogToken: true,
    });
    for await (const token of iterator) {
      if (options.signal?.aborted || this.model.isEogToken(token) || stops.tokens.has(token)) break;
      generated.push(token);
      if (text.update(this.model.detokenize(generated, false, context))) break;
      if (generated.length >= maxTokens) break;
    }
    text.end();
    return generated;
  }

  /**
   * Erases what the sequence holds after its longest common prefix with `tokens` and returns the
   * tokens still to evaluate. A reply needs at least one token evaluated for its first logits.
   */
  private async alignTo(tokens: readonly Token[], needLogits: boolean): Promise<Token[]> {
    const sequence = this.sequence;
    let start = Math.min(sequence.compareContextTokens([...tokens]).firstDifferentIndex, tokens.length);
    if (needLogits && start === tokens.length) start = Math.max(0, tokens.length - 1);
    if (start < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
    return tokens.slice(start);
  }
}

/**
 * The model's tokenizer with a cache: rendering the whole history each turn then tokenizes only
 * the texts it has not seen (the new messages), while the result stays that of a full tokenize.
 */
function memoizeTokenizer(tokenizer: Tokenizer): Tokenizer {
  const cache = new Map<string, readonly Token[]>();
  const memoized = (text: string, specialTokens?: boolean | "builtin", options?: "trimLeadingSpace"): Token[] => {
    const key = `${String(specialTokens)}:${options ?? ""}:${text}`;
    let tokens = cache.get(key);
    if (tokens === undefined) {
      tokens = (tokenizer as (text: string, special?: boolean | "builtin", options?: string) => Token[])(
        text,
        specialTokens,
        options,
      );
      // A session's renders hold a few hundred distinct texts; an unbounded cache is not needed.
      if (cache.size > 2000) cache.clear();
      cache.set(key, tokens);
    }
    return [...tokens];
  };
  return Object.assign(memoized, {
    isSpecialToken: tokenizer.isSpecialToken,
    isEogToken: tokenizer.isEogToken,
    detokenize: tokenizer.detokenize,
  }) as unknown as Tokenizer;
}

/** A stop trigger as the chat wrapper (LlamaText) or a grammar (text or tokens) gives it. */
type StopTrigger = LlamaText | string | readonly (string | Token)[];

/** Stop triggers as single tokens (special tokens such as `<|im_end|>`) and as texts. */
function resolveStopTriggers(model: LlamaModel, triggers: readonly StopTrigger[]) {
  const tokens = new Set<Token>();
  const texts: string[] = [];
  for (const trigger of triggers) {
    if (typeof trigger === "string" || !isLlamaText(trigger)) {
      const parts = typeof trigger === "string" ? [trigger] : trigger;
      if (parts.length === 1 && typeof parts[0] === "number") tokens.add(parts[0]);
      else {
        const text = parts.map((part) => (typeof part === "string" ? part : model.detokenize([part], true))).join("");
        if (text !== "") texts.push(text);
      }
      continue;
    }
    if (trigger.values.every((value) => typeof value === "string")) {
      const text = trigger.values.join("");
      if (text !== "") texts.push(text);
      continue;
    }
    const triggerTokens = trigger.tokenize(model.tokenizer);
    if (triggerTokens.length === 1) tokens.add(triggerTokens[0]!);
    else if (triggerTokens.length > 1) texts.push(model.detokenize(triggerTokens, true));
  }
  return { tokens, texts };
}

/**
 * Streams the reply text, holding back what may be the start of a stop text (and, for grammars
 * that ask for it, trailing whitespace) until the following tokens decide.
 */
class StopTextStream {
  private emitted = 0;
  private text = "";

  constructor(
    private readonly stopTexts: readonly string[],
    private readonly trimWhitespaceSuffix: boolean,
    private readonly onText: (text: string) => void,
  ) {}

  /** Takes the reply's whole text so far; returns true once a stop text appeared (the reply ends before it). */
  update(text: string): boolean {
    // A token may end inside a multi-byte character: wait for the rest of it (as LlamaChat does,
    // bytes that never make a character are dropped at the end).
    if (text.endsWith("\uFFFD")) return false;
    let cut = text.length;
    for (const stop of this.stopTexts) {
      const at = text.indexOf(stop, Math.max(0, this.emitted - stop.length));
      if (at >= 0 && at < cut) cut = at;
    }
    this.text = text.slice(0, cut);
    if (cut < text.length) return true;
    let safe = text.length;
    for (const stop of this.stopTexts)
      for (let length = Math.min(stop.length - 1, text.length); length > 0; length--)
        if (text.endsWith(stop.slice(0, length))) {
          safe = Math.min(safe, text.length - length);
          break;
        }
    if (this.trimWhitespaceSuffix) safe = text.slice(0, safe).trimEnd().length;
    this.release(safe);
    return false;
  }

  end(): void {
    if (this.trimWhitespaceSuffix) this.text = this.text.trimEnd();
    this.release(this.text.length);
  }

  private release(until: number): void {
    if (until <= this.emitted) return;
    this.onText(this.text.slice(this.emitted, until));
    this.emitted = until;
  }
}
