export {
  PatientSimulator,
  MAX_DOCTOR_TEXT_LENGTH,
  PATIENT_LANGUAGES,
  answeredLanguage,
  type PatientLanguage,
  type PatientSimulatorOptions,
  type PatientReply,
  type PatientReplyStream,
} from "./simulator.js";
export { buildSystemPrompt, type SystemPromptOptions } from "./prompt.js";
export {
  checkSentence,
  findDiagnosisLeak,
  findCaseLeaks,
  guardedSpeech,
  cleanSpeakerLabels,
  type CaseLeak,
  type GuardViolation,
} from "./guard.js";
export { detectDisclosedFacts } from "./disclosure.js";
