/** Reference text metrics: ROUGE (rouge-score), BLEU (sacreBLEU), distinct-n and length statistics. */
export {
  rouge,
  corpusRouge,
  rougeTokenize,
  ROUGE_TYPES,
  type RougeScore,
  type RougeScores,
  type RougeType,
  type RougeOptions,
  type RougeAggregate,
  type CorpusRougeOptions,
} from "./rouge.js";
export { porterStem } from "./porter.js";
export { corpusBleu, tokenize13a, type BleuScore } from "./bleu.js";
export { distinctN, lengthStats, wordTokens, type LengthStats } from "./diversity.js";
