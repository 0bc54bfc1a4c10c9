import type { ChatMessage } from "../domain/index.js";
import { EngineError } from "../util/errors.js";
import {
  toChatMessages,
  type ConversationSetup,
  type EngineConversation,
  type EngineName,
  type GenerationOptions,
  type PatientEngine,
} from "./types.js";

/**
 * An engine behind a chat server that keeps no conversation state (Ollama, an OpenAI-compatible
 * server): every turn sends the system prompt and the whole transcript as chat messages, and the
 * subclass streams the server's reply.
 */
export abstract class StatelessChatEngine implements PatientEngine {
  abstract readonly name: EngineName;
  abstract readonly modelName: string;

  async openConversation(setup: ConversationSetup): Promise<EngineConversation> {
    return {
      reply: (transcript, options) => this.streamReply(toChatMessages(setup.systemPrompt, transcript), options ?? {}),
      dispose: async () => {},
    };
  }

  /** Streams the reply to `messages`, the whole conversation with the system prompt first. */
  protected abstract streamReply(messages: ChatMessage[], options: GenerationOptions): AsyncIterable<string>;

  async dispose(): Promise<void> {}
}

/**
 * POSTs JSON and returns the response body as a stream of text lines, with errors that say which
 * server failed and how (unreachable, HTTP status with the server's message, cancelled).
 */
export async function* postForLines(
  engine: string,
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number },
): AsyncGenerator<string> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) return;
    if (timeout.aborted)
      throw new EngineError(engine, `no answer from ${url} within ${(options.timeoutMs ?? 120_000) / 1000} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new EngineError(
      engine,
      `cannot reach ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}); is the server running?`,
      { cause: error },
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new EngineError(
      engine,
      `${url} answered HTTP ${response.status}: ${extractErrorMessage(text) || response.statusText}`,
    );
  }
  if (!response.body) throw new EngineError(engine, `${url} sent no response body`);

  const decoder = new TextDecoder();
  let pending = "";
  try {
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(bytes, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, "");
        pending = pending.slice(newline + 1);
        if (line.trim()) yield line;
      }
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    throw new EngineError(engine, `connection to ${url} broke off (${(error as Error).message})`, { cause: error });
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending;
}

/** Parses one JSON line of a stream, naming the server when it is not JSON. */
export function parseJsonLine(engine: string, url: string, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new EngineError(engine, `${url} sent a line that is not JSON: ${line.slice(0, 120)}`);
  }
}

function extractErrorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: string | { message?: string } };
    if (typeof parsed.error === "string") return parsed.error;
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // Not JSON: use the text itself.
  }
  return text.slice(0, 200).trim();
}
