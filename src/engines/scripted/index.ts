export { ScriptedEngine } from "./scripted-engine.js";
export { answerFromScript, type ScriptedAnswer } from "./answer.js";
export { recogniseIntents, type Intent } from "./intents.js";
export { createRandom, hashString } from "../../util/random.js";
