/**
 * Frozen projections kept encoded (`keepQuantized`): the same training numbers, bit for bit, as
 * projections dequantised up front, with a quarter (Q8_0: 34/128) of the bytes held.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { CHAT_JSONL } from "./fixtures.test-utils.js";
import { createModelFile, loadModelWeights } from "../model/index.js";
import { createReferenceBackend } from "../backend/index.js";
import { resolveTrainConfig } from "./config.js";
import { DequantScratch, loadQuantizedTrainWeights, matrixValues, projectionBytes, QuantizedMatrix } from "./frozen.js";
import { TrainableModel } from "./model.js";
import { trainFromConfig } from "./run.js";

const temp = useTempDirectory("medsim-train-frozen-");

describe("keepQuantized", () => {
  it("holds Q8_0 projections encoded (34 bytes per 32 values) that dequantise to the F32 loader's values", async () => {
    const base = temp.file("bytes.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "q8_0", out: base, seed: 6 });
    const f32 = loadModelWeights(base);
    const kept = loadQuantizedTrainWeights(base);
    expect(
      kept.blocks.every((b) =>
        [b.wq, b.wk, b.wv, b.wo, b.wGate, b.wUp, b.wDown].every((m) => m instanceof QuantizedMatrix),
      ),
    ).toBe(true);
    expect(projectionBytes(kept) * 128).toBe(projectionBytes(f32) * 34);
    kept.blocks.forEach((b, i) => {
      const ref = f32.blocks[i];
      expect(matrixValues(b.wDown)).toEqual(ref?.wDown.data);
      expect(b.wq.activationRounding).toBe(ref?.wq.activationRounding);
      expect(b.bq).toEqual(ref?.bq);
    });
    expect(kept.tokenEmbedding).toEqual(f32.tokenEmbedding);
  });

  it("dequantises into one reused buffer per matrix size", async () => {
    const base = temp.file("scratch.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "q8_0", out: base, seed: 7 });
    const f32 = loadModelWeights(base);
    const [b0, b1] = loadQuantizedTrainWeights(base).blocks;
    if (b0 === undefined || b1 === undefined) throw new Error("tiny has two blocks");
    const scratch = new DequantScratch();
    const first = matrixValues(b0.wGate, scratch);
    expect(first).toEqual(f32.blocks[0]?.wGate.data);
    const second = matrixValues(b1.wGate, scratch);
    expect(second).toBe(first);
    expect(second).toEqual(f32.blocks[1]?.wGate.data);
    for (const m of [b0.wq, b0.wk, b0.wv, b0.wo, b0.wUp, b0.wDown]) matrixValues(m, scratch);
    const sizes = new Set(
      [b0.wq, b0.wk, b0.wv, b0.wo, b0.wGate, b0.wUp, b0.wDown].map((m) => (m as QuantizedMatrix).elementCount),
    );
    expect(scratch.bytes).toBe([...sizes].reduce((a, n) => a + 4 * n, 0));
  });

  for (const [arch, quant, backend] of [
    ["llama", "q8_0", "onnxruntime"],
    ["qwen2", "q8_0", "reference"],
    ["llama", "q4_0", "onnxruntime"],
  ] as const) {
    it(`trains ${arch} ${quant} (${backend}) to the same adapter bytes and losses as F32 weights`, async () => {
      const base = temp.file(`${arch}-${quant}.gguf`);
      await createModelFile({ arch, preset: "tiny", quant, out: base, seed: 4 });
      const data = temp.file(`${arch}-${quant}.jsonl`);
      await writeFile(data, CHAT_JSONL);
      const run = (keepQuantized: boolean) =>
        trainFromConfig(
          resolveTrainConfig(
            {},
            {
              base,
              data,
              out: temp.file(`${arch}-${quant}-${backend}-${keepQuantized}`),
              maxSteps: 4,
              learningRate: 0.01,
              batchSize: 2,
              validationSplit: 0.2,
              evalSteps: 2,
              saveSteps: 0,
              backend,
              keepQuantized,
              lora: { r: 4, dropout: 0.1 },
            },
          ),
        );
      const plain = await run(false);
      const kept = await run(true);
      expect(kept.steps).toBe(4);
      expect(kept.train_loss).toBe(plain.train_loss);
      expect(kept.eval_loss).toBe(plain.eval_loss);
      expect(await readFile(kept.paths.adapter as string)).toEqual(await readFile(plain.paths.adapter as string));
    });
  }

  it("full mode dequantises encoded projections so they can be trained", async () => {
    const base = temp.file("full.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "q8_0", out: base, seed: 8 });
    const backend = createReferenceBackend();
    const full = TrainableModel.create(loadQuantizedTrainWeights(base), { mode: { kind: "full" }, backend });
    const ref = TrainableModel.create(loadModelWeights(base), { mode: { kind: "full" }, backend });
    expect(full.trainableCount).toBe(ref.trainableCount);
    expect(full.params.map((p) => p.name)).toEqual(ref.params.map((p) => p.name));
    expect(await full.logits([1, 2, 3])).toEqual(await ref.logits([1, 2, 3]));
  });
});
