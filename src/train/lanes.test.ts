/**
 * Data-parallel lanes compute what one thread computes: the same loss and LoRA gradients (fp32
 * products: to float rounding; int8: within the per-part activation scales), with dropout, with
 * activation checkpointing (bit for bit against the lanes without it), and deterministically.
 * Batches split into whole sequences of about equal size; lane failures are clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loraMode, relativeError, useOnnxTrainCompute } from "./fixtures.test-utils.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { createModelFile, loadModelWeights, type ModelWeights } from "../model/index.js";
import { packBatch, type PackedBatch } from "./batch.js";
import { TrainableModel } from "./model.js";
import { Rng } from "../util/random.js";
import { GraphLanes } from "../backend/onnx-lanes.js";
import { splitBatch } from "./lanes.js";
import type { FrozenCompute } from "./fused-block.js";
import { TrainError } from "../util/errors.js";

const dir = useTempDirectory("medsim-lanes-");
const onnx = useOnnxTrainCompute();
let lanes: GraphLanes | undefined;
beforeAll(() => {
  lanes = GraphLanes.create({ count: 2 });
});
afterAll(async () => {
  await lanes?.dispose();
});

function sequences(lengths: readonly number[], vocab: number): PackedBatch {
  return packBatch(
    lengths.map((length, s) => {
      const tokens = Array.from({ length }, (_, i) => (i * 37 + s * 11 + 5) % vocab);
      return { tokens, targetMask: tokens.map((_, i) => i > 2) };
    }),
  );
}

describe("splitBatch", () => {
  it("cuts at the sequence boundary nearest an equal share, keeping whole sequences", () => {
    const batch = sequences([10, 30, 20], 100);
    const parts = splitBatch(batch, 2);
    expect(parts.map((p) => [p.start, p.end])).toEqual([
      [0, 40],
      [40, 60],
    ]);
    expect(parts[1]?.batch.boundaries).toEqual([0, 20]);
    expect(Array.from(parts[1]?.batch.positions.slice(0, 3) ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(parts[1]?.batch.tokens ?? [])).toEqual(Array.from(batch.tokens.subarray(40, 60)));
    expect(Array.from(parts[0]?.batch.targets ?? [])).toEqual(Array.from(batch.targets.subarray(0, 40)));
  });

  it("never makes more parts than sequences, nor an empty part", () => {
    expect(splitBatch(sequences([50], 100), 2)).toHaveLength(1);
    const parts = splitBatch(sequences([100, 1, 1, 1], 100), 3);
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p.end).toBeGreaterThan(p.start);
    expect(parts.at(-1)?.end).toBe(103);
    expect(splitBatch(sequences([5, 5, 5, 5], 100), 2).map((p) => p.end - p.start)).toEqual([10, 10]);
  });
});

describe("training on lanes equals one thread", () => {
  const weightsFor = async (arch: "llama" | "qwen2", quant: "f32" | "q8_0"): Promise<ModelWeights> => {
    const path = dir.file(`${arch}-${quant}.gguf`);
    await createModelFile({ arch, preset: "tiny", quant, out: path, seed: 4 });
    return loadModelWeights(path);
  };
  const step = async (
    weights: ModelWeights,
    options: { lanes: boolean; compute: FrozenCompute; dropout: number; checkpointing?: boolean },
  ) => {
    const kernels = onnx.current.kernels;
    if (kernels === undefined || lanes === undefined) throw new Error("no onnxruntime kernels");
    const model = TrainableModel.create(weights, {
      mode: loraMode(options.dropout),
      backend: onnx.current.backend,
      attention: onnx.current.attention,
      kernels,
      frozenCompute: options.compute,
      seed: 3,
      ...(options.lanes ? { lanes } : {}),
    });
    // B = 0 at initialisation would hide errors in the A gradient: give B values.
    const rng = new Rng(5);
    for (const p of model.params)
      if (p.name.endsWith("lora_b")) p.value.forEach((_, i) => (p.value[i] = (rng.next() - 0.5) * 0.2));
    model.zeroGrad();
    const batch = sequences([23, 41, 17, 30], weights.config.vocabSize);
    const r = await model.run(batch, {
      backward: true,
      random: new Rng(77).fn,
      checkpointing: options.checkpointing ?? false,
    });
    return { loss: r.loss, count: r.count, grads: model.params.map((p) => Float32Array.from(p.grad)) };
  };

  for (const [arch, quant, dropout] of [
    ["llama", "f32", 0.1],
    ["qwen2", "q8_0", 0],
  ] as const) {
    it(`${arch} ${quant}, dropout ${dropout}, fp32 products: loss and every LoRA gradient`, async () => {
      const weights = await weightsFor(arch, quant);
      const one = await step(weights, { lanes: false, compute: "fp32", dropout });
      const two = await step(weights, { lanes: true, compute: "fp32", dropout });
      expect(two.count).toBe(one.count);
      expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(1e-5);
      for (const [i, g] of one.grads.entries())
        expect(relativeError(two.grads[i] as Float32Array, g)).toBeLessThan(1e-4);
      expect(one.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
    });
  }

  it("int8 products: the same loss and gradients within the 8-bit error, and the same every run", async () => {
    const weights = await weightsFor("llama", "f32");
    const one = await step(weights, { lanes: false, compute: "int8", dropout: 0.1 });
    const two = await step(weights, { lanes: true, compute: "int8", dropout: 0.1 });
    const again = await step(weights, { lanes: true, compute: "int8", dropout: 0.1 });
    expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(2e-3);
    let dot = 0;
    let a = 0;
    let b = 0;
    for (const [i, g] of one.grads.entries())
      (two.grads[i] as Float32Array).forEach((v, j) => {
        const w = g[j] as number;
        dot += v * w;
        a += v * v;
        b += w * w;
      });
    expect(dot / Math.sqrt(a * b)).toBeGreaterThan(0.995);
    expect(again.loss).toBe(two.loss);
    expect(again.grads).toEqual(two.grads);
  });

  it("activation checkpointing on lanes gives the gradients of the pass without it, bit for bit", async () => {
    const weights = await weightsFor("qwen2", "f32");
    const plain = await step(weights, { lanes: true, compute: "int8", dropout: 0.1 });
    const checkpointed = await step(weights, { lanes: true, compute: "int8", dropout: 0.1, checkpointing: true });
    expect(checkpointed.loss).toBe(plain.loss);
    expect(checkpointed.grads).toEqual(plain.grads);
  });
});

describe("lane errors", () => {
  it("names a constant group that was never sent, and a stopped lane", async () => {
    const extra = GraphLanes.create({ count: 2 });
    const lane = extra.lane(0);
    await expect(lane.runGraph("k", () => new Uint8Array(), {}, { constants: ["nowhere"] })).rejects.toThrow(
      /training lane: .*nowhere/,
    );
    await extra.dispose();
    await expect(lane.runGraph("k", () => new Uint8Array(), {})).rejects.toBeInstanceOf(TrainError);
    expect(() => GraphLanes.create({ count: 1 })).toThrow(/at least 2, found 1/);
  });

  it("closes cleanly while a lane is still loading onnxruntime (terminating it then aborted the process)", async () => {
    const fresh = GraphLanes.create({ count: 2 });
    // Caught at once: the lane answers while dispose is awaited.
    const pending = fresh
      .lane(1)
      .runGraph("k", () => new Uint8Array(), {}, { constants: ["nowhere"] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await fresh.dispose();
    expect(await pending).toBeInstanceOf(TrainError);
    // A set whose lanes never started has no thread to stop.
    await GraphLanes.create({ count: 2 }).dispose();
  });
});
