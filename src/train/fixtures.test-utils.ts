/** Fixtures shared by the training tests. */
import { LORA_TARGET_MODULES } from "../adapters/types.js";
import type { TrainMode } from "./model.js";

/** LoRA rank 4, alpha 8, on every projection, with the given dropout. */
export function loraMode(dropout = 0): TrainMode {
  return { kind: "lora", rank: 4, alpha: 8, dropout, rslora: false, targets: [...LORA_TARGET_MODULES] };
}

/** A small chat data set: five one-turn doctor/patient exchanges. */
export const CHAT_EXAMPLES = [
  "Where does it hurt?|In my chest, doctor.",
  "Since when?|Two days now.",
  "Any fever?|A little, at night.",
  "Do you smoke?|No, never.",
  "Any cough?|Yes, a dry one.",
].map((pair) => {
  const [question, answer] = pair.split("|");
  return {
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  };
});

/** The examples as JSONL text, one per line. */
export const CHAT_JSONL = CHAT_EXAMPLES.map((example) => JSON.stringify(example)).join("\n");
