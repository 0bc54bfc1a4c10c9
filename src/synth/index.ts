export { generateCase, type CaseGeneratorOptions } from "./case-generator.js";
export { POPULATIONS, INDIA, GLOBAL, type Population, type RegionProfile } from "./population.js";
export {
  synthesizeDialogues,
  planQuestions,
  scriptedResponder,
  RejectedTurnError,
  type DialogueCase,
  type SynthDialogue,
  type Responder,
  type DialogueSynthesisOptions,
  type DialogueSynthesisResult,
} from "./dialogues.js";
export {
  checkPatientTurn,
  factProfile,
  symptomsIn,
  quantitiesIn,
  type TurnViolation,
  type FactProfile,
} from "./check.js";
export { DuplicateFilter, type DuplicateFilterOptions } from "./dedup.js";
export { assignSplits, SPLITS, DEFAULT_SPLIT_RATIOS, type Split } from "./split.js";
export { PHRASINGS, HISTORY_ORDER, type QuestionStep } from "./questions.js";
export { generateCaseSet, type CaseSetOptions, type GeneratedCase } from "./case-set.js";
export {
  writeCaseFolder,
  readCaseFolder,
  CASE_MANIFEST_FILE,
  CaseManifestSchema,
  type CaseManifest,
  type CaseFolderWritten,
} from "./case-folder.js";
export { dialogueStats, type DialogueStats } from "./stats.js";
export {
  generateQaPairs,
  offlineParaphrase,
  DEFAULT_SEVERITY_THRESHOLD,
  type QaSample,
  type QaOptions,
  type Paraphraser,
} from "./qa.js";
export {
  createTeacherResponder,
  createTeacherParaphraser,
  TeacherReplySchema,
  TEACHER_JSON_SCHEMA,
  ParaphraseReplySchema,
  PARAPHRASE_JSON_SCHEMA,
  type TeacherOptions,
  type TeacherResponder,
  type TeacherParaphraserOptions,
} from "./teacher.js";
