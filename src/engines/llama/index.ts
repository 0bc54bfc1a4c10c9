export { LlamaEngine, DEFAULT_LLAMA_MODEL, defaultModelCacheDirectory, type LlamaEngineOptions } from "./llama-engine.js";
