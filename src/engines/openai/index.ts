export { OpenAIEngine, type OpenAIEngineOptions } from "./openai-engine.js";
