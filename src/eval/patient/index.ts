/** Patient metrics, simulated interviews and the evaluation report. */
export {
  checkReply,
  caseContext,
  findRoleBreak,
  unpromptedDisclosures,
  isRelevant,
  ConsistencyTracker,
  type CaseContext,
  type SentenceCheck,
  type FactualityLabel,
  type RoleBreakKind,
} from "./checks.js";
export {
  planInterview,
  runInterview,
  ADVERSARIAL_TURNS,
  type Interview,
  type InterviewTurn,
  type PlannedQuestion,
  type InterviewPlanOptions,
} from "./interview.js";
export {
  scoreInterviews,
  type PatientMetrics,
  type ScoredInterview,
  type ScoredTurn,
  type EvaluationScores,
  type ScoringContext,
} from "./score.js";
export { evaluatePatient, type PatientEvaluation, type PatientEvaluationOptions } from "./run.js";
export { renderEvaluationReport, type ReportedModel, type EvaluationReportOptions } from "./report.js";
export {
  judgeInterview,
  summarizeFidelity,
  fidelityRubric,
  FidelityScoresSchema,
  FIDELITY_JSON_SCHEMA,
  FIDELITY_DIMENSIONS,
  type FidelityScores,
  type FidelitySummary,
  type FidelityDimension,
} from "./judge.js";
