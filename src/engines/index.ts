export * from "./types.js";
export { createEngine, type CreateEngineOptions } from "./create-engine.js";
export { ScriptedEngine, answerFromScript, recognizeIntents, type Intent } from "./scripted/index.js";
// Each model-server engine's own index chooses what of it is public.
export * from "./llama/index.js";
export * from "./ollama/index.js";
export * from "./openai/index.js";
