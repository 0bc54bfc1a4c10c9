export * from "./schema.js";
export {
  loadKnowledgeBase,
  findDisease,
  diseaseSymptoms,
  diseaseNames,
  symptomPhrase,
  knowledgeDirectory,
} from "./load.js";

export { importSymptomCsv, type CsvImportReport, type CsvImportResult } from "./csv-import.js";
