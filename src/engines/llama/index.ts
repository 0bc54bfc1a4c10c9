export {
  LlamaEngine,
  resolveModelSource,
  DEFAULT_LLAMA_MODEL,
  defaultModelCacheDirectory,
  type LlamaEngineOptions,
  type LlamaConversation,
} from "./llama-engine.js";
