/** Evaluation of fine-tuned models, measured by llama.cpp independently of the trainer. */
export {
  computePerplexity,
  type ConversationScore,
  type PerplexityOptions,
  type PerplexityResult,
} from "./perplexity.js";
export { readChatJsonl } from "./data.js";
