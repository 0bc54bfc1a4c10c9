import type { DialogueTurn } from "../domain/index.js";
import type { PatientEngine } from "../engines/index.js";

/** An engine with the model's tokenizer (the llama engine): its counts are real. */
interface TokenizingEngine extends PatientEngine {
  tokenCount(text: string): number;
  promptTokenCount(systemPrompt: string, transcript: readonly DialogueTurn[]): Promise<number>;
}

function hasTokenizer(engine: PatientEngine): engine is TokenizingEngine {
  const candidate = engine as Partial<TokenizingEngine>;
  return typeof candidate.tokenCount === "function" && typeof candidate.promptTokenCount === "function";
}

/** `usage` of an OpenAI chat completion. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Token counts for a chat completion. With a tokenizer (llama): `prompt_tokens` is what the model
 * read, the system prompt and the conversation in its chat template; `completion_tokens` is the
 * reply as returned, tokenized by the model (a sentence the guard withheld is not counted).
 * Without one (scripted, and the HTTP engines, whose servers do not tell us): estimates of 4
 * characters a token, of the request's messages and of the reply.
 */
export async function chatUsage(
  engine: PatientEngine,
  prompt: { systemPrompt: string; transcript: readonly DialogueTurn[]; requestText: string },
  replyText: string,
): Promise<ChatUsage> {
  const [promptTokens, completionTokens] = hasTokenizer(engine)
    ? [await engine.promptTokenCount(prompt.systemPrompt, prompt.transcript), engine.tokenCount(replyText)]
    : [estimateTokens(prompt.requestText), estimateTokens(replyText)];
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Passes `engine` through, keeping the system prompt a conversation was opened with. */
export function recordingSystemPrompt(engine: PatientEngine): { engine: PatientEngine; systemPrompt(): string } {
  let systemPrompt = "";
  return {
    engine: {
      name: engine.name,
      modelName: engine.modelName,
      openConversation(setup) {
        systemPrompt = setup.systemPrompt;
        return engine.openConversation(setup);
      },
      // The shared engine outlives the request.
      dispose: async () => {},
    },
    systemPrompt: () => systemPrompt,
  };
}
