import type { OutputFormat } from "../spec.js";
import { casesWriter } from "./cases.js";
import { fhirBundleWriter, fhirNdjsonWriter } from "./fhir.js";
import { flatCsvWriter } from "./flat-csv.js";
import { syntheaWriter } from "./synthea.js";
import type { FormatFactory } from "./types.js";

export const FORMAT_WRITERS: Record<OutputFormat, FormatFactory> = {
  csv: flatCsvWriter,
  synthea: syntheaWriter,
  fhir: fhirBundleWriter,
  "fhir-ndjson": fhirNdjsonWriter,
  cases: casesWriter,
};

export { AtomicOutput, TextSink, csvField, csvRow } from "./sink.js";
export { observationColumn } from "./flat-csv.js";
export { SYNTHEA_COLUMNS } from "./synthea.js";
export { patientBundle, patientResources, RESOURCE_TYPES, SYSTEMS } from "./fhir.js";
export { patientToCase, caseId } from "./cases.js";
export type { FormatWriter } from "./types.js";
