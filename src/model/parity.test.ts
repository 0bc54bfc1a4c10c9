import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOnnxBackend, createReferenceBackend, type Backend } from "../backend/index.js";
import { createModelFile, type CreateQuant } from "./create.js";
import { forwardLastLogits, loadModelWeights } from "./forward.js";
import { llamaCppLastLogits, loadLlamaCpp, relativeMaxDifference } from "./testing/llamacpp.js";

const PROMPTS = [
  "Hi",
  "Doctor: Where exactly is the pain?",
  // Long prompt (> 100 tokens): exercises rope at larger positions and long attention rows.
  "The patient is a 54 year old man who presents with chest pain that started two hours ago. He describes the pain as pressure " +
    "in the centre of his chest, radiating to the left arm and jaw. He feels short of breath and sweaty. He has a history of high " +
    "blood pressure and diabetes, and he smokes twenty cigarettes a day. His father had a heart attack at the age of sixty. " +
    "Zebra quixotic jumps: 12345 {}[] <tags> & ümlauts!",
];
/** Every weight format the factory writes. */
const QUANTS: readonly CreateQuant[] = ["f32", "f16", "q8_0", "q5_0", "q4_0", "q5_1", "q4_1"];

/**
 * 1e-3 relative max difference, except for the onnxruntime backend with 4/5-bit weights. llama.cpp
 * rounds activations to 8 bits before those products (emulated here, bit for bit); its integer dot
 * products are exact, while onnxruntime sums the dequantised weights in float32 in its own order,
 * so an activation can land one rounding step away from llama.cpp's, which moves tiny-model
 * logits by up to ~1e-2 (one such case: llama Q4_0 on "Hi"). The reference backend sums in
 * float64 and meets 1e-3 everywhere.
 */
function tolerance(backend: Backend, quant: CreateQuant): number {
  return backend.name === "onnxruntime" && /^q[45]_/.test(quant) ? 3e-2 : 1e-3;
}

let dir: string;
let llama: Llama;
const backends: Backend[] = [createReferenceBackend()];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-parity-"));
  llama = await loadLlamaCpp();
  backends.push(await createOnnxBackend());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  for (const backend of backends) await backend.dispose();
});

describe("last-position logits match llama.cpp", () => {
  for (const arch of ["llama", "qwen2", "gemma"] as const) {
    for (const quant of QUANTS) {
      it(`${arch} ${quant}`, async () => {
        const out = join(dir, `${arch}-${quant}.gguf`);
        await createModelFile({ arch, preset: "tiny", quant, seed: 11, out });
        const weights = loadModelWeights(out);
        const model = await llama.loadModel({ modelPath: out });
        try {
          for (const prompt of PROMPTS) {
            const tokens = model.tokenize(prompt, true);
            if (prompt.length > 300) expect(tokens.length).toBeGreaterThan(150);
            const expected = await llamaCppLastLogits(model, tokens, weights.config.vocabSize);
            for (const backend of backends) {
              const ours = await forwardLastLogits(weights, tokens, { backend });
              const difference = relativeMaxDifference(ours, expected);
              expect(difference, `${backend.name}, ${tokens.length} tokens`).toBeLessThan(tolerance(backend, quant));
            }
          }
        } finally {
          await model.dispose();
        }
      });
    }
  }
});

describe("qwen2 Q8_0 on onnxruntime matches llama.cpp like the reference backend", () => {
  // Five random tiny models and four prompts: before the gate/up products summed in float64 and
  // SwiGLU ran in float64, onnxruntime's float32 rounding put one activation of the down
  // projection across an 8-bit step in 2 of these 20 cases (9e-3 and 1.1e-2; the reference 1e-7).
  const prompts = [
    "Hi",
    "Doctor: Where exactly is the pain?",
    "The patient is a 54 year old man who presents with chest pain that started two hours ago and radiates.",
    "I have had a headache for three days and it gets worse in the morning, with nausea.",
  ];
  for (const seed of [1, 2, 3, 11, 42]) {
    it(`seed ${seed}`, async () => {
      const out = join(dir, `qwen2-q8_0-seed${seed}.gguf`);
      await createModelFile({ arch: "qwen2", preset: "tiny", quant: "q8_0", seed, out });
      const weights = loadModelWeights(out);
      const model = await llama.loadModel({ modelPath: out });
      try {
        for (const prompt of prompts) {
          const tokens = model.tokenize(prompt, true);
          const expected = await llamaCppLastLogits(model, tokens, weights.config.vocabSize);
          for (const backend of backends) {
            const difference = relativeMaxDifference(await forwardLastLogits(weights, tokens, { backend }), expected);
            expect(difference, `${backend.name}, "${prompt}"`).toBeLessThan(1e-3);
          }
        }
      } finally {
        await model.dispose();
      }
    });
  }
});
