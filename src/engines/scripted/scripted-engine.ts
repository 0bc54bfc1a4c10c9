import type { DialogueTurn } from "../../domain/index.js";
import type { ConversationSetup, EngineConversation, GenerationOptions, PatientEngine } from "../types.js";
import { answerFromScript } from "./answer.js";

/**
 * The offline engine: no model, deterministic, answers only from the case facts and styles them by
 * the persona. Useful for tests, for CI, for generating synthetic dialogues, and as what a user
 * gets when no model can be had.
 */
export class ScriptedEngine implements PatientEngine {
  readonly name = "scripted" as const;
  readonly modelName = "scripted";

  async openConversation(setup: ConversationSetup): Promise<EngineConversation> {
    return {
      reply: (transcript: readonly DialogueTurn[], options?: GenerationOptions) =>
        streamWords(answerFromScript(setup.patientCase, setup.persona, transcript).text, options?.signal),
      dispose: async () => {},
    };
  }

  async dispose(): Promise<void> {}
}

/** Streams the answer a word at a time, like a model would, honouring cancellation. */
async function* streamWords(text: string, signal: AbortSignal | undefined): AsyncGenerator<string> {
  const pieces = text.match(/\S+\s*/g) ?? [];
  for (const piece of pieces) {
    if (signal?.aborted) return;
    yield piece;
  }
}
