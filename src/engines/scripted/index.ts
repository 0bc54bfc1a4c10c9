export { ScriptedEngine } from "./scripted-engine.js";
export { answerFromScript, type ScriptedAnswer } from "./answer.js";
export { recognizeIntents, type Intent } from "./intents.js";
export { classifyQuestion, type Classification } from "./classifier.js";
export { analyzeText, type AnalyzedText } from "./lexicon.js";
export { findFactsSaid } from "./memory.js";
export { speakFact } from "./voice.js";
export { PARAPHRASES, QUESTION_LABELS, type QuestionLabel } from "./paraphrases.js";
export { createRandom, hashString } from "../../util/random.js";
