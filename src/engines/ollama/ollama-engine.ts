import { z } from "zod";
import { EngineError } from "../../util/errors.js";
import { parseJsonLine, postForLines, StatelessChatEngine } from "../http.js";
import type { ChatMessage } from "../../domain/index.js";
import type { GenerationOptions } from "../types.js";

/** Options of the Ollama engine (a local Ollama server). */
export interface OllamaEngineOptions {
  /** Where Ollama listens. Default: `OLLAMA_HOST` or `http://127.0.0.1:11434`. */
  host?: string;
  /** Model tag. Default `qwen2.5:0.5b`. */
  model?: string;
  /** Per-request timeout in milliseconds. Default 120000. */
  timeoutMs?: number;
}

const LineSchema = z.object({
  message: z.object({ content: z.string() }).optional(),
  done: z.boolean().optional(),
  error: z.string().optional(),
});

/** A running Ollama server, through its streaming `/api/chat` endpoint (newline-delimited JSON). */
export class OllamaEngine extends StatelessChatEngine {
  readonly name = "ollama" as const;
  readonly modelName: string;
  private readonly url: string;

  constructor(private readonly options: OllamaEngineOptions = {}) {
    super();
    let host = (options.host ?? process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(host)) host = `http://${host}`;
    this.url = `${host}/api/chat`;
    this.modelName = options.model ?? "qwen2.5:0.5b";
  }

  protected async *streamReply(messages: ChatMessage[], options: GenerationOptions): AsyncGenerator<string> {
    const body = {
      model: this.modelName,
      messages,
      stream: true,
      ...(options.jsonSchema ? { format: options.jsonSchema } : {}),
      options: {
        temperature: options.temperature ?? 0.7,
        num_predict: options.maxTokens ?? 200,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
      },
    };
    for await (const line of postForLines("ollama", this.url, body, {
      signal: options.signal,
      timeoutMs: this.options.timeoutMs,
    })) {
      const parsed = LineSchema.safeParse(parseJsonLine("ollama", this.url, line));
      if (!parsed.success)
        throw new EngineError("ollama", `${this.url} sent an unexpected line: ${line.slice(0, 120)}`);
      if (parsed.data.error) throw new EngineError("ollama", parsed.data.error);
      if (parsed.data.message?.content) yield parsed.data.message.content;
      if (parsed.data.done) return;
    }
  }
}
