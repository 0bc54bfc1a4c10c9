/**
 * medsim's library API: what a web app, a VR app or the server embeds.
 *
 * @example
 * ```ts
 * import { cases, personas, createEngine, PatientSimulator } from "medsim";
 * const simulator = await PatientSimulator.create({
 *   patientCase: await cases.get("dengue-fever"),
 *   persona: await personas.get("anxious"),
 *   engine: await createEngine({ engine: "scripted" }),
 * });
 * const reply = await simulator.respond("What brings you in today?");
 * ```
 */
export * from "./domain/index.js";
export * from "./engines/index.js";
export * from "./simulator/index.js";
export { cases, personas, Catalog, dataDirectory } from "./library/index.js";
// Every error class, the union of their codes and the one mapping from a code to an HTTP status.
export * from "./util/errors.js";
export { writeFileAtomic, readStructuredFile, validate } from "./util/files.js";
export type { Logger, Progress, ProgressCallback } from "./util/logger.js";
export {
  fitSynthetic,
  buildEhrReport,
  renderEhrReportHtml,
  loadTableSchema,
  inferTableSchema,
  readCsvTable,
  cdpRho,
  type FitSyntheticOptions,
  type FitSummary,
  type EhrReport,
  type TableSchema,
} from "./ehr/private/index.js";
/** Synthetic patient records on plain-language request: plan, generate and write cohorts. */
export * as ehr from "./ehr/index.js";
