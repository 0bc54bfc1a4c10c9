export * from "./formats.js";
export { readJsonl, readJsonlStrict, readChatJsonl, writeJsonl, readLines, type LineError } from "./jsonl.js";
export {
  toChatRecord,
  toMedsimRecord,
  toPersonaPairs,
  toPersonaDescriptions,
  medsimToChat,
  type DialogueLike,
} from "./convert.js";
export { writeDialogues, writeDialogueSplits, splitPath } from "./write.js";
export { importAgentClinic, firstPerson, type AgentClinicImport } from "./agentclinic.js";
export { importQaTable, type QaTableImport } from "./qa-table.js";
export { datasetStats, detectFormat, type DatasetStats } from "./stats.js";
