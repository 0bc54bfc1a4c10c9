/**
 * Private copies of real tables: MST under zero-concentrated differential privacy (and a
 * non-private Gaussian copula baseline), public schemas for the domains, and the quality and
 * privacy report with SDMetrics' definitions.
 */
export { readCsvTable, parseCsvTable, writeCsvTable, formatCsv, type Table } from "./table.js";
export {
  loadTableSchema,
  writeTableSchema,
  inferTableSchema,
  TableSchemaSchema,
  INFERRED_DOMAIN_WARNING,
  type TableSchema,
  type ColumnSpec,
  type InferredSchema,
} from "./schema.js";
export { buildDomains, encodeTable, binEdges, type ColumnDomain, type EncodedTable } from "./domain.js";
export {
  cdpRho,
  cdpDelta,
  gaussianRho,
  exponentialRho,
  PrivacyAccountant,
  exponentialMechanism,
  addGaussianNoise,
  type BudgetEntry,
} from "./privacy.js";
export { runMst, type MstOptions, type MstResult } from "./mst.js";
export {
  fitForestModel,
  sampleForestModel,
  estimateTotal,
  type Measurement,
  type ForestModel,
} from "./forest-model.js";
export { sampleGaussianCopula } from "./copula.js";
export {
  fitSynthetic,
  MECHANISMS,
  type Mechanism,
  type FitSyntheticOptions,
  type FitSyntheticResult,
  type FitSummary,
} from "./fit.js";
export {
  qualityScores,
  ksComplement,
  tvComplement,
  pearson,
  correlationSimilarity,
  contingencySimilarity,
  discretize,
  boundaryAdherence,
  categoryAdherence,
  type QualityScores,
  type MetricColumn,
} from "./quality.js";
export {
  privacyFigures,
  closerToTrainingShare,
  copyShare,
  median,
  DistanceSpace,
  type PrivacyFigures,
} from "./privacy-metrics.js";
export { buildEhrReport, metricColumns, type EhrReport, type EhrReportInputs } from "./report.js";
export { renderEhrReportHtml } from "./report-html.js";
export { saveFitRecord, loadFitRecord, fitRecordPath, type FitRecord } from "./record.js";
