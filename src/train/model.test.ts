/**
 * The training forward pass computes what inference computes: its last-position logits equal
 * the model core's `forwardLastLogits` (which matches llama.cpp) on tiny GGUF models, and a LoRA
 * adapter with B = 0 changes nothing.
 */
import { describe, expect, it } from "vitest";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { createReferenceBackend } from "../backend/index.js";
import { createModelFile, forwardLastLogits, loadModelWeights } from "../model/index.js";
import { createTrainCompute } from "./compute.js";
import { TrainableModel } from "./model.js";
import { loraMode } from "./fixtures.test-utils.js";

const temp = useTempDirectory("medsim-train-model-");

const TOKENS = [1, 17, 300, 42, 7, 99, 256, 3, 500, 12, 64, 128];

/** LoRA on every projection, B = 0: the adapter changes nothing. */
const LORA_ALL = loraMode();

/** Largest difference of the last position's logits from `expected`, relative to its largest value. */
function lastLogitsError(all: Float32Array, expected: Float32Array, vocab: number): number {
  const last = all.subarray((TOKENS.length - 1) * vocab);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < vocab; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((last[i] ?? 0) - (expected[i] ?? 0)));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i] ?? 0));
  }
  return maxDiff / maxAbs;
}

describe("training forward pass", () => {
  for (const quant of ["f16", "q8_0"] as const) {
    it(`qwen2 ${quant} on the onnxruntime compute (rounding inside the LoRA graphs): last logits equal forwardLastLogits`, async () => {
      const path = temp.file(`qwen2-${quant}-onnx.gguf`);
      await createModelFile({ arch: "qwen2", preset: "tiny", quant, out: path, seed: 5 });
      const weights = loadModelWeights(path);
      const expected = await forwardLastLogits(weights, TOKENS, { backend: createReferenceBackend() });
      const compute = await createTrainCompute("onnxruntime", 1);
      try {
        const model = TrainableModel.create(weights, {
          mode: LORA_ALL,
          backend: compute.backend,
          attention: compute.attention,
          ...(compute.kernels === undefined ? {} : { kernels: compute.kernels }),
        });
        const relative = lastLogitsError(await model.logits(TOKENS), expected, weights.config.vocabSize);
        expect(relative).toBeLessThan(1e-3);
      } finally {
        await compute.dispose();
      }
    });
  }

  for (const arch of ["llama", "qwen2"] as const) {
    for (const quant of ["f32", "q8_0"] as const) {
      it(`${arch} ${quant}: last logits equal forwardLastLogits`, async () => {
        const path = temp.file(`${arch}-${quant}.gguf`);
        await createModelFile({ arch, preset: "tiny", quant, out: path, seed: 3 });
        const weights = loadModelWeights(path);
        const backend = createReferenceBackend();
        const expected = await forwardLastLogits(weights, TOKENS, { backend });
        const model = TrainableModel.create(weights, {
          mode: LORA_ALL,
          backend,
        });
        const relative = lastLogitsError(await model.logits(TOKENS), expected, weights.config.vocabSize);
        expect(relative).toBeLessThan(1e-5);
      });
    }
  }
});
