export * from "./formats.js";
export { readJsonl, writeJsonl, readLines, type LineError } from "./jsonl.js";
export { toChatRecord, toMedsimRecord, toPersonaPairs, toPersonaDescriptions, medsimToChat, type DialogueLike } from "./convert.js";
export { writeDialogues } from "./write.js";
