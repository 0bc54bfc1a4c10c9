/**
 * The fused LoRA block graphs compute what the per-layer path computes: the same loss and the
 * same LoRA gradients (which `gradcheck.test.ts` checks against finite differences), with and
 * without dropout (the same masks: both draw them with `dropoutBits` in the same order), for
 * llama and qwen2 (biases, tied head), F32 and Q8_0 bases, on packed sequences of unequal length.
 */
import { describe, expect, it } from "vitest";
import { loraMode, relativeError, useOnnxTrainCompute } from "./fixtures.test-utils.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { createModelFile, loadModelWeights } from "../model/index.js";
import { packBatch } from "./batch.js";
import { TrainableModel } from "./model.js";
import { Rng } from "../util/random.js";

const dir = useTempDirectory("medsim-fused-");
const onnx = useOnnxTrainCompute();

describe("fused LoRA blocks equal the per-layer path", () => {
  for (const [arch, quant, dropout] of [
    ["llama", "f32", 0],
    ["qwen2", "f32", 0.1],
    ["qwen2", "q8_0", 0],
    ["llama", "q8_0", 0.1],
  ] as const) {
    it(`${arch} ${quant}, dropout ${dropout}: loss and every LoRA gradient`, async () => {
      const path = dir.file(`${arch}-${quant}.gguf`);
      await createModelFile({ arch, preset: "tiny", quant, out: path, seed: 9 });
      const weights = loadModelWeights(path);
      let graphCalls = 0;
      const kernels = onnx.current.kernels;
      if (kernels === undefined) throw new Error("onnxruntime compute without kernels");
      const counting = {
        ...kernels,
        runGraph: (...args: Parameters<typeof kernels.runGraph>) => {
          graphCalls++;
          return kernels.runGraph(...args);
        },
      };
      const make = (fusedBlocks: boolean) => {
        const model = TrainableModel.create(weights, {
          mode: loraMode(dropout),
          backend: onnx.current.backend,
          attention: onnx.current.attention,
          kernels: counting,
          fusedBlocks,
          seed: 3,
        });
        // B = 0 at initialisation would hide errors in the A gradient: give B values.
        const rng = new Rng(5);
        for (const p of model.params)
          if (p.name.endsWith("lora_b")) p.value.forEach((_, i) => (p.value[i] = (rng.next() - 0.5) * 0.2));
        return model;
      };
      const random = (seed: number) => {
        const t = Array.from({ length: 20 + seed * 7 }, (_, i) => (i * 37 + seed * 11) % weights.config.vocabSize);
        return { tokens: t, targetMask: t.map((_, i) => i > 3) };
      };
      const batch = packBatch([random(1), random(2), random(0)]);
      const results = [];
      for (const fused of [false, true]) {
        const model = make(fused);
        model.zeroGrad();
        const r = await model.run(batch, { backward: true, random: new Rng(77).fn });
        results.push({
          loss: r.loss,
          grads: model.params.map((p) => ({ name: p.name, grad: Float32Array.from(p.grad) })),
        });
      }
      // Two blocks, one call each way.
      expect(graphCalls).toBe(4);
      const [layers, fused] = results as [(typeof results)[0], (typeof results)[0]];
      expect(Math.abs(fused.loss - layers.loss) / layers.loss).toBeLessThan(1e-5);
      for (const [i, p] of layers.grads.entries()) {
        const q = fused.grads[i] as (typeof fused.grads)[0];
        expect(q.name).toBe(p.name);
        expect(relativeError(q.grad, p.grad), p.name).toBeLessThan(1e-3);
      }
    });
  }
});
