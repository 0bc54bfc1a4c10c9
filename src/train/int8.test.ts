/**
 * int8 products through the frozen base (`frozenCompute: "int8"`): the packed weights decode to
 * the originals within half a step, and a training step's loss and LoRA gradients stay close to
 * the fp32 step's (which `gradcheck.test.ts` checks against finite differences), bit-for-bit
 * repeatable (so a resumed run continues exactly).
 */
import { describe, expect, it } from "vitest";
import { packBackward, packForward } from "../backend/onnx-int8.js";
import { createModelFile, loadModelWeights } from "../model/index.js";
import { Rng } from "../util/random.js";
import { packBatch } from "./batch.js";
import { loraMode, useOnnxTrainCompute } from "./fixtures.test-utils.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { TrainableModel } from "./model.js";

const dir = useTempDirectory("medsim-int8-");
const onnx = useOnnxTrainCompute();

describe("int8 packing", () => {
  const rng = new Rng(1);
  const matrix = (out: number, inputs: number) => ({
    values: Float32Array.from({ length: out * inputs }, () => (rng.next() - 0.5) * (1 + 5 * rng.next())),
    outFeatures: out,
    inFeatures: inputs,
  });
  const parts = [matrix(6, 10), matrix(3, 10)];

  it("forward: B = [W₁ᵀ W₂ᵀ], one scale per output, codes within ±63", () => {
    const packed = packForward(parts);
    expect([packed.rows, packed.columns]).toEqual([10, 9]);
    let column = 0;
    for (const p of parts)
      for (let o = 0; o < p.outFeatures; o++, column++)
        for (let i = 0; i < 10; i++) {
          const code = packed.codes[i * 9 + column] as number;
          const scale = packed.scales[column] as number;
          expect(Math.abs(code)).toBeLessThanOrEqual(63);
          expect(Math.abs(code * scale - (p.values[o * 10 + i] as number))).toBeLessThanOrEqual(scale / 2 + 1e-7);
        }
  });

  it("backward: B = [W₁; W₂], one scale per input", () => {
    const packed = packBackward(parts);
    expect([packed.rows, packed.columns]).toEqual([9, 10]);
    const stacked = [...parts[0]!.values, ...parts[1]!.values];
    stacked.forEach((value, j) => {
      const scale = packed.scales[j % 10] as number;
      expect(Math.abs(packed.codes[j] as number)).toBeLessThanOrEqual(63);
      expect(Math.abs((packed.codes[j] as number) * scale - value)).toBeLessThanOrEqual(scale / 2 + 1e-7);
    });
  });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe("an int8 training step is close to the fp32 one", () => {
  for (const [arch, quant, dropout] of [
    ["llama", "f32", 0],
    ["qwen2", "q8_0", 0.1],
  ] as const) {
    it(`${arch} ${quant}, dropout ${dropout}: loss within 1%, LoRA gradients' cosine > 0.99`, async () => {
      const path = dir.file(`${arch}-${quant}.gguf`);
      await createModelFile({ arch, preset: "tiny", quant, out: path, seed: 4 });
      const weights = loadModelWeights(path);
      const sequence = (seed: number) => {
        const t = Array.from({ length: 24 + seed * 9 }, (_, i) => (i * 53 + seed * 17) % weights.config.vocabSize);
        return { tokens: t, targetMask: t.map((_, i) => i > 2) };
      };
      const batch = packBatch([sequence(1), sequence(2), sequence(0)]);
      const step = async (frozenCompute: "int8" | "fp32") => {
        const model = TrainableModel.create(weights, {
          mode: loraMode(dropout),
          backend: onnx.current.backend,
          attention: onnx.current.attention,
          ...(onnx.current.kernels === undefined ? {} : { kernels: onnx.current.kernels }),
          frozenCompute,
          seed: 3,
        });
        // B = 0 at initialisation would leave the A gradients zero: give B values.
        const rng = new Rng(5);
        for (const p of model.params)
          if (p.name.endsWith("lora_b")) p.value.forEach((_, i) => (p.value[i] = (rng.next() - 0.5) * 0.2));
        model.zeroGrad();
        const r = await model.run(batch, { backward: true, random: new Rng(77).fn });
        return { loss: r.loss / r.count, grads: model.params.map((p) => Float32Array.from(p.grad)) };
      };
      const fp32 = await step("fp32");
      const int8 = await step("int8");
      const again = await step("int8");
      expect(Math.abs(int8.loss - fp32.loss) / fp32.loss).toBeLessThan(0.01);
      expect(int8.loss).not.toBe(fp32.loss);
      let worst = 1;
      fp32.grads.forEach((g, i) => (worst = Math.min(worst, cosine(int8.grads[i] as Float32Array, g))));
      expect(worst).toBeGreaterThan(0.99);
      // Deterministic: the same step again gives the same bits.
      expect(again.loss).toBe(int8.loss);
      again.grads.forEach((g, i) => expect(g).toEqual(int8.grads[i]));
    });
  }
});
