/** The onnxruntime attention kernels equal the plain loops (forward and backward) on packed sequences of unequal lengths. */
import { afterAll, describe, expect, it } from "vitest";
import { loraMode } from "./fixtures.test-utils.js";
import { createOnnxAttention } from "../backend/onnx-train.js";
import { createRandom } from "../util/random.js";
import { kernelAttention, loopAttention } from "./attention.js";

const random = createRandom(9);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => random() * 2 - 1);
const kernels = await createOnnxAttention({ threads: 1 });
afterAll(() => kernels.dispose());

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  a.forEach((x, i) => {
    diff = Math.max(diff, Math.abs(x - (b[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(x));
  });
  return diff / scale;
}

describe("attention runners", () => {
  for (const boundaries of [
    [0, 5, 12, 15],
    [0, 6, 12],
  ]) {
    it(`kernels equal loops for sequences at ${boundaries.join(",")}`, async () => {
      const spec = { headCount: 6, headCountKv: 2, headDim: 8, boundaries };
      const N = boundaries.at(-1) ?? 0;
      const q = randn(N * 48);
      const k = randn(N * 16);
      const v = randn(N * 16);
      const dOut = randn(N * 48);
      const a = await loopAttention.forward(q, k, v, spec);
      const b = await kernelAttention(kernels).forward(q, k, v, spec);
      expect(b.out.length).toBe(a.out.length);
      expect(maxRelDiff(a.out, b.out)).toBeLessThan(1e-5);
      const ga = await loopAttention.backward(dOut, q, k, v, a.saved, spec);
      const gb = await kernelAttention(kernels).backward(dOut, q, k, v, b.saved, spec);
      expect(maxRelDiff(ga.dq, gb.dq)).toBeLessThan(1e-5);
      expect(maxRelDiff(ga.dk, gb.dk)).toBeLessThan(1e-5);
      expect(maxRelDiff(ga.dv, gb.dv)).toBeLessThan(1e-5);
    });
  }
});

describe("small products", () => {
  it("smallMatmul equals the reference for every transposition", async () => {
    const { smallMatmul } = await import("./compute.js");
    const { matmulReference } = await import("../backend/index.js");
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const shape = { m: 5, k: 7, n: 3, transA, transB };
        const a = randn(35);
        const b = randn(21);
        expect(maxRelDiff(matmulReference(a, b, shape), smallMatmul(a, b, shape))).toBeLessThan(1e-6);
      }
    }
  });
});

describe("onnxruntime training compute", () => {
  for (const dropout of [0, 0.2]) {
    it(`gives the reference's loss and LoRA gradients (attention, SwiGLU, LoRA linears and loss head as graphs), dropout ${dropout}`, async () => {
      const { createTrainCompute } = await import("./compute.js");
      const { TrainableModel } = await import("./model.js");
      const { packBatch } = await import("./batch.js");
      const { randomModelWeights } = await import("../model/index.js");
      const weights = randomModelWeights(
        {
          arch: "qwen2",
          vocabSize: 300,
          embeddingLength: 32,
          blockCount: 2,
          feedForwardLength: 48,
          headCount: 4,
          headCountKv: 2,
          contextLength: 64,
          ropeFreqBase: 10000,
          rmsEpsilon: 1e-6,
          tiedEmbeddings: true,
        },
        5,
      );
      const mode = loraMode(dropout);
      const batch = packBatch([
        {
          tokens: Array.from({ length: 9 }, (_, i) => (i * 37) % 300),
          targetMask: Array.from({ length: 9 }, (_, i) => i > 2),
        },
        {
          tokens: Array.from({ length: 6 }, (_, i) => (i * 91 + 5) % 300),
          targetMask: Array.from({ length: 6 }, () => true),
        },
      ]);
      const results = [];
      // The same B values for both models (B = 0 would leave A's gradient zero).
      const bValues = Array.from({ length: 14 }, () => randn(48 * 4));
      for (const kind of ["reference", "onnxruntime"] as const) {
        const compute = await createTrainCompute(kind, 1);
        const model = TrainableModel.create(weights, {
          mode,
          backend: compute.backend,
          attention: compute.attention,
          ...(compute.kernels === undefined ? {} : { kernels: compute.kernels }),
          seed: 2,
        });
        model.params
          .filter((p) => p.name.endsWith("lora_b"))
          .forEach((p, i) => p.value.set((bValues[i] as Float32Array).subarray(0, p.value.length)));
        model.zeroGrad();
        const r = await model.run(batch, { backward: true, random: createRandom(11) });
        results.push({ loss: r.loss, grads: model.params.map((p) => Float32Array.from(p.grad)) });
        await compute.dispose();
      }
      const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
      expect(Math.abs(a.loss - b.loss) / a.loss).toBeLessThan(1e-5);
      a.grads.forEach((g, i) => expect(maxRelDiff(g, b.grads[i] as Float32Array)).toBeLessThan(1e-4));
    });
  }
});
