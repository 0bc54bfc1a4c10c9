export { LlamaEngine, type LlamaEngineOptions, type LlamaConversation } from "./llama-engine.js";
export {
  resolveModelSource,
  DEFAULT_LLAMA_MODEL,
  defaultModelCacheDirectory,
  type ModelSourceOptions,
} from "./model-source.js";
