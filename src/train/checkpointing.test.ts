/**
 * Activation checkpointing changes memory, not maths: with it, `run` keeps only each block's
 * input and recomputes the block in the backward pass, replaying the block's dropout masks, and
 * every gradient equals the one of the pass that keeps all activations (bit for bit on the
 * reference backend, to float tolerance on onnxruntime's fused blocks). The finite-difference
 * check with checkpointing is in `gradcheck.test.ts`, resuming with it in `trainer.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { createReferenceBackend } from "../backend/index.js";
import { createModelFile, loadModelWeights, randomModelWeights, type ModelShape } from "../model/index.js";
import { Rng } from "../util/random.js";
import { packBatch } from "./batch.js";
import { loraMode, relativeError, useOnnxTrainCompute } from "./fixtures.test-utils.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { TrainableModel, type TrainableModelOptions, type TrainMode } from "./model.js";

const dir = useTempDirectory("medsim-checkpointing-");
const onnx = useOnnxTrainCompute();

const SHAPE: ModelShape = {
  arch: "qwen2",
  vocabSize: 48,
  embeddingLength: 16,
  blockCount: 3,
  feedForwardLength: 24,
  headCount: 4,
  headCountKv: 2,
  contextLength: 64,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
  tiedEmbeddings: true,
};

const sequence = (seed: number, vocab: number) => {
  const tokens = Array.from({ length: 9 + seed * 5 }, (_, i) => (i * 31 + seed * 7) % vocab);
  return { tokens, targetMask: tokens.map((_, i) => i > 2) };
};

/** Loss and gradients of one backward pass (two sequences, dropout drawn from a seeded generator). */
async function gradients(
  create: () => TrainableModel,
  vocab: number,
  checkpointing: boolean,
): Promise<{ loss: number; grads: Float32Array[]; names: string[] }> {
  const model = create();
  // B = 0 at initialisation would hide the A gradients.
  const rng = new Rng(5);
  for (const p of model.params)
    if (p.name.endsWith("lora_b")) p.value.forEach((_, i) => (p.value[i] = (rng.next() - 0.5) * 0.2));
  model.zeroGrad();
  const batch = packBatch([sequence(1, vocab), sequence(2, vocab)]);
  const r = await model.run(batch, { backward: true, random: new Rng(77).fn, checkpointing });
  return {
    loss: r.loss,
    grads: model.params.map((p) => Float32Array.from(p.grad)),
    names: model.params.map((p) => p.name),
  };
}

describe("activation checkpointing", () => {
  const modes: [string, TrainMode][] = [
    ["LoRA, dropout 0.1", loraMode(0.1)],
    ["full fine-tuning", { kind: "full" }],
  ];
  for (const [label, mode] of modes) {
    it(`reference backend, ${label}: the same gradients bit for bit`, async () => {
      const weights = randomModelWeights(SHAPE, 4);
      const create = () => TrainableModel.create(weights, { mode, backend: createReferenceBackend(), seed: 2 });
      const kept = await gradients(create, SHAPE.vocabSize, false);
      const recomputed = await gradients(create, SHAPE.vocabSize, true);
      expect(recomputed.loss).toBe(kept.loss);
      expect(kept.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
      kept.grads.forEach((g, i) =>
        expect(Buffer.from(recomputed.grads[i]!.buffer).equals(Buffer.from(g.buffer)), kept.names[i]).toBe(true),
      );
    });
  }

  for (const fusedBlocks of [true, false]) {
    it(`onnxruntime ${fusedBlocks ? "fused blocks" : "per-layer kernels"}, Q8_0 qwen2, dropout 0.1: the same gradients`, async () => {
      const path = dir.file("qwen2-q8_0.gguf");
      await createModelFile({ arch: "qwen2", preset: "tiny", quant: "q8_0", out: path, seed: 9 });
      const weights = loadModelWeights(path);
      const kernels = onnx.current.kernels;
      if (kernels === undefined) throw new Error("onnxruntime compute without kernels");
      const options: TrainableModelOptions = {
        mode: loraMode(0.1),
        backend: onnx.current.backend,
        attention: onnx.current.attention,
        kernels,
        fusedBlocks,
        seed: 3,
      };
      const create = () => TrainableModel.create(weights, options);
      const vocab = weights.config.vocabSize;
      const kept = await gradients(create, vocab, false);
      const recomputed = await gradients(create, vocab, true);
      expect(Math.abs(recomputed.loss - kept.loss) / kept.loss).toBeLessThan(1e-6);
      kept.grads.forEach((g, i) => expect(relativeError(recomputed.grads[i]!, g), kept.names[i]).toBeLessThan(1e-5));
    });
  }

  it("dropout is on: another dropout stream changes the gradients (so the tests above compare masks)", async () => {
    const weights = randomModelWeights(SHAPE, 4);
    const model = TrainableModel.create(weights, { mode: loraMode(0.1), backend: createReferenceBackend(), seed: 2 });
    const batch = packBatch([sequence(1, SHAPE.vocabSize)]);
    const grads: Float32Array[] = [];
    for (const seed of [77, 78]) {
      model.zeroGrad();
      await model.run(batch, { backward: true, random: new Rng(seed).fn });
      grads.push(Float32Array.from(model.params.find((p) => p.name.endsWith("lora_b"))!.grad));
    }
    expect(relativeError(grads[0]!, grads[1]!)).toBeGreaterThan(1e-3);
  });
});
