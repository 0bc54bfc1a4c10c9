import { z } from "zod";
import { EngineError } from "../../util/errors.js";
import { parseJsonLine, postForLines, StatelessChatEngine } from "../http.js";
import type { ChatMessage } from "../../domain/index.js";
import type { GenerationOptions } from "../types.js";

/** Options of the OpenAI-compatible engine (any `/v1/chat/completions` server). */
export interface OpenAIEngineOptions {
  /** Base URL of the API, up to and including `/v1`. Default `http://127.0.0.1:8080/v1` (llama.cpp's server). */
  baseUrl?: string;
  /** Model name as the server knows it. Default `default`. */
  model?: string;
  /** Sent as a bearer token when set. Default: the `OPENAI_API_KEY` environment variable, if any. */
  apiKey?: string;
  /** Per-request timeout in milliseconds. Default 120000. */
  timeoutMs?: number;
}

const ChunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).partial().optional() })).default([]),
});

/**
 * Any OpenAI-compatible chat-completions server (vLLM, llama.cpp's server, LM Studio, OpenAI),
 * streamed over server-sent events.
 */
export class OpenAIEngine extends StatelessChatEngine {
  readonly name = "openai" as const;
  readonly modelName: string;
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: OpenAIEngineOptions = {}) {
    super();
    const baseUrl = (options.baseUrl ?? "http://127.0.0.1:8080/v1").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(baseUrl))
      throw new EngineError("openai", `base URL must start with http:// or https://, found "${baseUrl}"`);
    this.url = `${baseUrl}/chat/completions`;
    this.modelName = options.model ?? "default";
    const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
    this.headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  }

  protected async *streamReply(messages: ChatMessage[], options: GenerationOptions): AsyncGenerator<string> {
    const body = {
      model: this.modelName,
      messages,
      stream: true,
      max_tokens: options.maxTokens ?? 200,
      temperature: options.temperature ?? 0.7,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.jsonSchema
        ? {
            response_format: {
              type: "json_schema",
              json_schema: { name: "reply", strict: true, schema: options.jsonSchema },
            },
          }
        : {}),
    };
    const lines = postForLines("openai", this.url, body, {
      headers: this.headers,
      signal: options.signal,
      timeoutMs: this.options.timeoutMs,
    });
    for await (const line of lines) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") return;
      const parsed = ChunkSchema.safeParse(parseJsonLine("openai", this.url, data));
      if (!parsed.success)
        throw new EngineError("openai", `${this.url} sent a chunk without choices: ${data.slice(0, 120)}`);
      const content = parsed.data.choices[0]?.delta?.content;
      if (content) yield content;
    }
  }
}
