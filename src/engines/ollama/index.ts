export { OllamaEngine, type OllamaEngineOptions } from "./ollama-engine.js";
