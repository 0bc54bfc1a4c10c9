/** Fixtures shared by the training tests. */
import { afterAll, beforeAll } from "vitest";
import { LORA_TARGET_MODULES } from "../adapters/types.js";
import { createTrainCompute, type TrainCompute } from "./compute.js";
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

/** An onnxruntime training compute (2 threads) made in `beforeAll` and disposed in `afterAll`. */
export function useOnnxTrainCompute(): { readonly current: TrainCompute } {
  let compute: TrainCompute | undefined;
  beforeAll(async () => {
    compute = await createTrainCompute("onnxruntime", 2);
  });
  afterAll(async () => {
    await compute?.dispose();
  });
  return {
    get current() {
      if (compute === undefined) throw new Error("useOnnxTrainCompute: the compute exists only inside tests and hooks");
      return compute;
    },
  };
}

/** Largest absolute difference divided by the largest magnitude of the reference `b` (the difference itself when `b` is all zero). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    difference = Math.max(difference, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
  }
  return scale === 0 ? difference : difference / scale;
}
