export * from "./schema.js";
export { loadKnowledgeBase, findDisease, diseaseSymptoms, diseaseNames, symptomPhrase, knowledgeDirectory } from "./load.js";

