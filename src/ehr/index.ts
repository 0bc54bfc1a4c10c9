/**
 * Synthetic patient records on plain-language request: a request becomes a cohort specification
 * (`parseRequest`, or `parseRequestWithEngine` with a model), the specification a plan
 * (`planCohort`), and the plan patients (`generatePatient`) written in a format (`writeCohort`).
 * The clinical knowledge lives in data/ehr, every number with its source (`answerQuestion`).
 */
export { loadEhrCatalog, EhrDataError } from "./catalog.js";
export type { EhrCatalog, Condition, Observation, Medication, PopulationId } from "./catalog.js";
export { CohortSpecSchema, OUTPUT_FORMATS, MAX_PATIENTS } from "./spec.js";
export type { CohortSpec, CohortSpecInput, OutputFormat } from "./spec.js";
export { EhrRequestError } from "./errors.js";
export { parseRequest } from "./parse.js";
export type { ParsedRequest } from "./parse.js";
export { parseRequestWithEngine, COHORT_SPEC_JSON_SCHEMA } from "./engine-parse.js";
export { planCohort, observationsFor, DEFAULT_AGE_RANGE } from "./cohort.js";
export type { CohortPlan } from "./cohort.js";
export { generatePatient } from "./generate.js";
export type { PatientRecord, PatientCondition, Visit } from "./generate.js";
export { writeCohort, shardRange } from "./write.js";
export type { Shard, WriteCohortOptions, WriteCohortResult } from "./write.js";
export { answerQuestion } from "./ask.js";
export type { ProvenanceAnswer } from "./ask.js";
export { readEhrSession, writeEhrSession, EhrSessionSchema } from "./session.js";
export type { EhrSession } from "./session.js";
export { ckdEpi2021, hankinsonPredicted } from "./formulas.js";
export {
  patientBundle,
  patientResources,
  patientToCase,
  observationColumn,
  SYNTHEA_COLUMNS,
  RESOURCE_TYPES,
} from "./formats/index.js";
