import type { ProgressCallback } from "../util/logger.js";
import type { ChatMessage, DialogueTurn, PatientCase, Persona } from "../domain/index.js";

/** The engines this project ships. */
export const ENGINE_NAMES = ["llama", "ollama", "openai", "scripted"] as const;
/** One of {@link ENGINE_NAMES}. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Sampling settings shared by all engines (the scripted engine ignores what it cannot use). */
export interface GenerationOptions {
  /** Stops generation; the reply so far is kept. */
  signal?: AbortSignal;
  /** Default 200. */
  maxTokens?: number;
  /** Default 0.7. */
  temperature?: number;
  /** Makes sampling repeatable where the engine supports it. */
  seed?: number;
  /**
   * Constrains the reply to JSON matching this JSON Schema where the engine supports it (openai:
   * `response_format`, ollama: `format`, llama: a grammar); the scripted engine ignores it, and
   * servers may not honour it, so callers still validate.
   */
  jsonSchema?: Record<string, unknown>;
}

/** What an engine needs to play one patient in one session. */
export interface ConversationSetup {
  patientCase: PatientCase;
  persona: Persona;
  /** The system prompt built from the case and persona (see `buildSystemPrompt`). */
  systemPrompt: string;
  /** Work done while the conversation opens (llama: `label: "evaluating system prompt"`). */
  onProgress?: ProgressCallback;
}

/**
 * A language model (or the offline scripted responder) that can play patients. One engine serves
 * many sessions; each session opens its own conversation.
 */
export interface PatientEngine {
  readonly name: EngineName;
  /** Which model answers, for reports (e.g. a file name, `qwen2.5:0.5b`). */
  readonly modelName: string;
  openConversation(setup: ConversationSetup): Promise<EngineConversation>;
  /** Frees the model and any connections. */
  dispose(): Promise<void>;
}

/** Options of {@link EngineConversation.prepare}. */
export interface PrepareOptions {
  /** The next doctor message as typed so far; evaluated up to its last whitespace. Default: none. */
  draft?: string;
}

/** One session's conversation with an engine. */
export interface EngineConversation {
  /**
   * Streams the patient's reply to the last (doctor) turn of `transcript`. The transcript is the
   * whole conversation so far, as the simulator kept it; engines with a cache (llama) reuse what
   * they already evaluated and only process the new tokens.
   */
  reply(transcript: readonly DialogueTurn[], options?: GenerationOptions): AsyncIterable<string>;
  /**
   * Optional: called with the transcript after each reply, as the simulator kept it (ending with
   * the patient turn). An engine with a cache (llama) evaluates it and the chat template up to the
   * next question while the student types, so the next reply waits only for the question's own
   * tokens. A reply asked meanwhile waits for it (it evaluates what the reply needs). Never rejects.
   *
   * With `options.draft` (what the student has typed of the next question so far, or speech
   * recognition's partial text), the transcript may also be empty (the first question) and the
   * engine evaluates the draft too, up to its last whitespace (the last word may still change), so
   * at submit only the question's last words and the template are left. Call it as often as the
   * draft changes: a draft that waits while another is evaluated is replaced by the newer one, and
   * an edited draft only loses its tokens after the first change.
   */
  prepare?(transcript: readonly DialogueTurn[], options?: PrepareOptions): Promise<void>;
  dispose(): Promise<void>;
}

/** Maps the simulator's doctor/patient turns to system/user/assistant chat messages. */
export function toChatMessages(systemPrompt: string, transcript: readonly DialogueTurn[]): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt },
    ...transcript.map((turn): ChatMessage => ({
      role: turn.role === "doctor" ? "user" : "assistant",
      content: turn.content,
    })),
  ];
}
