import type { Llama } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import { GgmlType, GgufFile } from "../gguf/index.js";
import { createModelFile, forwardLastLogits, loadModelWeights } from "../model/index.js";
import { llamaCppLogitsWithLora, loadLlamaCpp, randomAdapter, relativeMaxDifference } from "./adapters.test-utils.js";
import { writeAdapterGguf } from "./gguf.js";
import { mergeAdapter } from "./merge.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-merge-");
let llama: Llama;
beforeAll(async () => {
  llama = await loadLlamaCpp();
});

async function lastLogits(
  modelPath: string,
  text: string,
  vocab: number,
  adapters: readonly string[] = [],
): Promise<Float32Array> {
  const model = await llama.loadModel({ modelPath });
  try {
    return await llamaCppLogitsWithLora(model, model.tokenize(text, true), vocab, adapters);
  } finally {
    await model.dispose();
  }
}

const TEXT = "Doctor: Do you get short of breath when you climb stairs?";

describe("merged GGUF", () => {
  for (const arch of ["llama", "qwen2"] as const) {
    it(`${arch}: llama.cpp on the merged f32 file equals llama.cpp on base + adapter`, async () => {
      const base = temp.file(`${arch}-base.gguf`);
      await createModelFile({ arch, preset: "tiny", quant: "f32", seed: 6, out: base });
      const adapter = randomAdapter(base, { rank: 4, alpha: 8, seed: 12, modules: ["q", "k", "o", "gate", "down"] });
      const adapterPath = temp.file(`${arch}-adapter.gguf`);
      await writeAdapterGguf(adapter, adapterPath);
      const merged = temp.file(`${arch}-merged.gguf`);
      await mergeAdapter(base, adapter, merged);
      const vocab = loadModelWeights(base).config.vocabSize;

      const expected = await lastLogits(base, TEXT, vocab, [adapterPath]);
      const plain = await lastLogits(base, TEXT, vocab);
      const actual = await lastLogits(merged, TEXT, vocab);
      expect(relativeMaxDifference(actual, expected)).toBeLessThan(1e-3);
      expect(relativeMaxDifference(plain, expected)).toBeGreaterThan(0.05);

      const file = GgufFile.open(merged);
      try {
        expect(file.getString("tokenizer.chat_template")).toContain("<|im_start|>");
        expect(file.getString("general.name")).toMatch(/merged LoRA/);
        // Tensors the adapter does not touch are copied byte for byte.
        const source = GgufFile.open(base);
        try {
          expect(
            Buffer.from(file.readTensorBytes("blk.0.attn_v.weight")).equals(
              Buffer.from(source.readTensorBytes("blk.0.attn_v.weight")),
            ),
          ).toBe(true);
          expect(
            Buffer.from(file.readTensorBytes("blk.0.attn_q.weight")).equals(
              Buffer.from(source.readTensorBytes("blk.0.attn_q.weight")),
            ),
          ).toBe(false);
        } finally {
          source.close();
        }
      } finally {
        file.close();
      }
    });
  }

  it("q8_0: every matrix is Q8_0 and llama.cpp's logits match our forward pass on that file and stay near base + adapter", async () => {
    const base = temp.file("q8-base.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "f32", seed: 9, out: base });
    const adapter = randomAdapter(base, { rank: 8, alpha: 16, seed: 2 });
    const adapterPath = temp.file("q8-adapter.gguf");
    await writeAdapterGguf(adapter, adapterPath);
    const merged = temp.file("q8-merged.gguf");
    await mergeAdapter(base, adapter, merged, { quant: "q8_0" });
    const file = GgufFile.open(merged);
    try {
      for (const t of file.tensors) expect(t.type, t.name).toBe(t.shape.length > 1 ? GgmlType.Q8_0 : GgmlType.F32);
      expect(file.getNumber("general.file_type")).toBe(7);
    } finally {
      file.close();
    }
    const weights = loadModelWeights(merged);
    const vocab = weights.config.vocabSize;
    const model = await llama.loadModel({ modelPath: merged });
    try {
      const tokens = model.tokenize(TEXT, true);
      const actual = await llamaCppLogitsWithLora(model, tokens, vocab, []);
      expect(relativeMaxDifference(await forwardLastLogits(weights, tokens), actual)).toBeLessThan(1e-3);
      const expected = await lastLogits(base, TEXT, vocab, [adapterPath]);
      const plain = await lastLogits(base, TEXT, vocab);
      // 8-bit weights move the logits a little; the adapter moves them a lot.
      expect(relativeMaxDifference(actual, expected)).toBeLessThan(0.05);
      expect(relativeMaxDifference(plain, expected)).toBeGreaterThan(0.2);
    } finally {
      await model.dispose();
    }
  });

  it("refuses an adapter that does not fit the base", async () => {
    const base = temp.file("fit-base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 1, out: base });
    const adapter = randomAdapter(base, { modules: ["q"] });
    await expect(mergeAdapter(base, { ...adapter, architecture: "qwen2" }, temp.file("x.gguf"))).rejects.toThrow(
      /architecture "qwen2" does not match/,
    );
    const [first] = adapter.tensors;
    const wrong = { ...adapter, tensors: [{ ...first!, target: "blk.9.attn_q.weight" }] };
    await expect(mergeAdapter(base, wrong, temp.file("x.gguf"))).rejects.toThrow(
      /blk\.9\.attn_q\.weight" does not exist/,
    );
  });
});
