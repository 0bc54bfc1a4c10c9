import { EngineError } from "../util/errors.js";
import type { Logger, ProgressCallback } from "../util/logger.js";
import { LlamaEngine } from "./llama/index.js";
import { OllamaEngine } from "./ollama/index.js";
import { OpenAIEngine } from "./openai/index.js";
import { ScriptedEngine } from "./scripted/index.js";
import { ENGINE_NAMES, type EngineName, type PatientEngine } from "./types.js";

/** Options for {@link createEngine}; each engine uses the ones that apply to it. */
export interface CreateEngineOptions {
  engine: EngineName;
  /** llama: GGUF path or `hf:` URI; ollama: model tag; openai: model name. */
  model?: string;
  /** llama: a LoRA adapter GGUF. */
  adapter?: string;
  /** ollama: server address. */
  host?: string;
  /** openai: base URL up to `/v1`. */
  baseUrl?: string;
  /** openai: API key. */
  apiKey?: string;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

/** Creates an engine by name, the way the CLI and the server do. */
export async function createEngine(options: CreateEngineOptions): Promise<PatientEngine> {
  switch (options.engine) {
    case "scripted":
      return new ScriptedEngine();
    case "llama":
      return LlamaEngine.load({
        model: options.model,
        adapter: options.adapter,
        onProgress: options.onProgress,
        logger: options.logger,
      });
    case "ollama":
      return new OllamaEngine({ host: options.host, model: options.model });
    case "openai":
      return new OpenAIEngine({ baseUrl: options.baseUrl, model: options.model, apiKey: options.apiKey });
    default:
      throw new EngineError(String(options.engine), `unknown engine; valid engines: ${ENGINE_NAMES.join(", ")}`);
  }
}
