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
/**
 * Weight formats under test, with the longest prompt each is held to. With 8-bit activation
 * rounding (Q8_0, Q4_x, Q5_x weights) one activation that lands on the other side of a rounding
 * step because of a last-bit float32 difference moves tiny-model logits by ~1e-3 to 1e-2; such
 * flips are rare on these tiny shapes and the prompts are fixed, but qwen2 and gemma Q4_0 meet
 * one past ~165 tokens (1.7e-3 to 1e-2), hence their cap. Q4_1/Q5_1 (Q8_1 activations whose block sums llama.cpp rounds to
 * F16, not emulated) are left out.
 */
const QUANTS: readonly { quant: CreateQuant; maxTokens: (arch: string) => number }[] = [
  { quant: "f32", maxTokens: () => Infinity },
  { quant: "f16", maxTokens: () => Infinity },
  { quant: "q8_0", maxTokens: () => Infinity },
  { quant: "q5_0", maxTokens: () => Infinity },
  { quant: "q4_0", maxTokens: (arch) => (arch === "llama" ? Infinity : 160) },
];

/**
 * 1e-3 relative max difference, except for the onnxruntime backend with 4/5-bit weights.
 * llama.cpp rounds activations to 8 bits before those products (emulated here); a float32
 * summation order that differs from llama.cpp's in the 7th digit then flips an occasional
 * rounding, which moves tiny-model logits by up to ~1e-2. The reference backend sums in float64
 * and stays within 1e-3; Q8_0 weights on onnxruntime stay within 1e-3 too.
 */
function tolerance(backend: Backend, quant: CreateQuant): number {
  return backend.name === "onnxruntime" && (quant === "q4_0" || quant === "q5_0") ? 3e-2 : 1e-3;
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
    for (const { quant, maxTokens } of QUANTS) {
      it(`${arch} ${quant}`, async () => {
        const out = join(dir, `${arch}-${quant}.gguf`);
        await createModelFile({ arch, preset: "tiny", quant, seed: 11, out });
        const weights = loadModelWeights(out);
        const model = await llama.loadModel({ modelPath: out });
        try {
          for (const prompt of PROMPTS) {
            const tokens = model.tokenize(prompt, true).slice(0, maxTokens(arch));
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
