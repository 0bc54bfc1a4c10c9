/** Evaluation of fine-tuned models, measured by llama.cpp independently of the trainer. */
export {
  computePerplexity,
  type ConversationScore,
  type PerplexityOptions,
  type PerplexityResult,
} from "./perplexity.js";
export { readChatJsonl } from "../datasets/jsonl.js";
export * from "./text/index.js";
export {
  PersonaClassifier,
  trainPersonaClassifier,
  loadPersonaClassifier,
  savePersonaModel,
  defaultPersonaModelPath,
  SEED_PERSONAS,
  type PersonaModel,
  type PersonaPrediction,
  type PersonaEvaluation,
  type PersonaTrainingResult,
} from "./persona/index.js";
export {
  evaluatePatient,
  renderEvaluationReport,
  scoreInterviews,
  checkReply,
  planInterview,
  runInterview,
  ADVERSARIAL_TURNS,
  type PatientEvaluation,
  type PatientEvaluationOptions,
  type PatientMetrics,
  type Interview,
  type SentenceCheck,
} from "./patient/index.js";
export {
  evaluateQa,
  scoreQaAnswers,
  answerSections,
  diseaseOf,
  type QaEvaluation,
  type QaEvaluationOptions,
  type QaAnswer,
} from "./qa.js";
