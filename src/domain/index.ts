export * from "./case.js";
export * from "./persona.js";
export * from "./dialogue.js";
export * from "./facts.js";
export * from "./public-case.js";
