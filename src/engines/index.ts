export * from "./types.js";
export { createEngine, type CreateEngineOptions } from "./create-engine.js";
export { ScriptedEngine, answerFromScript, recognizeIntents, type Intent } from "./scripted/index.js";
export {
  LlamaEngine,
  resolveModelSource,
  DEFAULT_LLAMA_MODEL,
  defaultModelCacheDirectory,
  type LlamaEngineOptions,
} from "./llama/index.js";
export { OllamaEngine, type OllamaEngineOptions } from "./ollama/index.js";
export { OpenAIEngine, type OpenAIEngineOptions } from "./openai/index.js";
