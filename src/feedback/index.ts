export { scoreEncounter, totalsOf, type FeedbackOptions } from "./score.js";
export { judgeEncounter, JudgeOutputSchema, JUDGE_JSON_SCHEMA } from "./judge.js";
export { analyzeUtterance, normalizeUtterance, type SentenceAnalysis, type UtteranceAnalysis } from "./classify.js";
export { ITEM_DEFINITIONS, type ItemDefinition } from "./definitions.js";
export * from "./types.js";
export { createEncounterFeedback, knownDiseaseNames, type EncounterFeedbackOptions } from "./encounter.js";
export { buildClassReport, classReportCsv, type ClassReport, type ClassSession } from "./class-report.js";
