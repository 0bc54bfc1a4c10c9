/** The onnxruntime attention kernels equal the plain loops (forward and backward) on packed sequences of unequal lengths. */
import { afterAll, describe, expect, it } from "vitest";
import { createOnnxAttention } from "../backend/onnx-train.js";
import { createRandom } from "../model/random.js";
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
  for (const boundaries of [[0, 5, 12, 15], [0, 6, 12]]) {
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
