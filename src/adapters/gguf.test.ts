import type { Llama } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import { GgmlType, GgufError, GgufFile, gv, writeGguf } from "../gguf/index.js";
import { createModelFile, forwardLastLogits, loadModelWeights } from "../model/index.js";
import { AdapterError } from "./errors.js";
import { readAdapterGguf, writeAdapterGguf } from "./gguf.js";
import { applyAdapterToWeights } from "./merge.js";
import { llamaCppLogitsWithLora, loadLlamaCpp, randomAdapter, relativeMaxDifference } from "./adapters.test-utils.js";
import type { LoraAdapter } from "./types.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-adapter-gguf-");
let llama: Llama;
beforeAll(async () => {
  llama = await loadLlamaCpp();
});

const PROMPT = "Doctor: Where exactly is the pain, and when did it start?";

describe("adapter GGUF in llama.cpp", () => {
  for (const arch of ["llama", "qwen2"] as const) {
    it(`${arch}: llama.cpp with the adapter equals our forward pass on merged weights`, async () => {
      const base = temp.file(`${arch}-base.gguf`);
      await createModelFile({ arch, preset: "tiny", quant: "f32", seed: 3, out: base });
      const adapter = randomAdapter(base, { rank: 4, alpha: 8, seed: 21 });
      const adapterPath = temp.file(`${arch}-adapter.gguf`);
      await writeAdapterGguf(adapter, adapterPath);

      const weights = loadModelWeights(base);
      const model = await llama.loadModel({ modelPath: base });
      try {
        const tokens = model.tokenize(PROMPT, true);
        const vocab = weights.config.vocabSize;
        const withAdapter = await llamaCppLogitsWithLora(model, tokens, vocab, [adapterPath]);
        const without = await llamaCppLogitsWithLora(model, tokens, vocab, []);
        const merged = await forwardLastLogits(applyAdapterToWeights(weights, adapter), tokens);
        const plain = await forwardLastLogits(weights, tokens);
        expect(relativeMaxDifference(merged, withAdapter)).toBeLessThan(1e-3);
        expect(relativeMaxDifference(plain, without)).toBeLessThan(1e-3);
        // The adapter must matter, or the comparison above proves nothing.
        expect(relativeMaxDifference(withAdapter, without)).toBeGreaterThan(0.05);
      } finally {
        await model.dispose();
      }
    });
  }

  it("an F16 adapter is loaded by llama.cpp and stays close to the F32 one", async () => {
    const base = temp.file("f16-base.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "f32", seed: 5, out: base });
    const adapter = randomAdapter(base, { rank: 8, alpha: 16, modules: ["q", "v", "down"], seed: 4 });
    const f16 = temp.file("f16-adapter.gguf");
    await writeAdapterGguf(adapter, f16, { type: "f16" });
    const weights = loadModelWeights(base);
    const model = await llama.loadModel({ modelPath: base });
    try {
      const tokens = model.tokenize(PROMPT, true);
      const logits = await llamaCppLogitsWithLora(model, tokens, weights.config.vocabSize, [f16]);
      const merged = await forwardLastLogits(applyAdapterToWeights(weights, adapter), tokens);
      expect(relativeMaxDifference(merged, logits)).toBeLessThan(1e-2);
    } finally {
      await model.dispose();
    }
  });
});

describe("adapter GGUF layout", () => {
  it("writes llama.cpp's metadata and GGML shapes, and reads back the same adapter", async () => {
    const adapter: LoraAdapter = {
      architecture: "llama",
      rank: 2,
      alpha: 3,
      baseModelName: "tiny",
      tensors: [
        {
          target: "blk.0.attn_q.weight",
          inFeatures: 3,
          outFeatures: 4,
          a: Float32Array.from([1, 2, 3, 4, 5, 6]),
          b: Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]),
        },
      ],
    };
    const path = temp.file("layout.gguf");
    await writeAdapterGguf(adapter, path);
    const file = GgufFile.open(path);
    try {
      expect(file.getString("general.type")).toBe("adapter");
      expect(file.getString("adapter.type")).toBe("lora");
      expect(file.get("adapter.lora.alpha")).toEqual({ type: "float32", value: 3 });
      expect(file.getString("general.architecture")).toBe("llama");
      expect(file.tensor("blk.0.attn_q.weight.lora_a")?.shape).toEqual([3, 2]);
      expect(file.tensor("blk.0.attn_q.weight.lora_b")?.shape).toEqual([2, 4]);
      // Row-major [rank, in]: GGML row 1 (second rank row) is 4, 5, 6.
      expect([...file.readTensor("blk.0.attn_q.weight.lora_a").subarray(3)]).toEqual([4, 5, 6]);
    } finally {
      file.close();
    }
    const back = readAdapterGguf(path);
    expect(back).toMatchObject({ architecture: "llama", rank: 2, alpha: 3, baseModelName: "tiny" });
    expect(back.tensors[0]).toMatchObject({ target: "blk.0.attn_q.weight", inFeatures: 3, outFeatures: 4 });
    expect([...(back.tensors[0]?.a ?? [])]).toEqual([...adapter.tensors[0]!.a]);
    expect([...(back.tensors[0]?.b ?? [])]).toEqual([...adapter.tensors[0]!.b]);
  });

  it("refuses inconsistent adapters and files that are not LoRA adapters, naming the culprit", async () => {
    const bad: LoraAdapter = {
      architecture: "llama",
      rank: 2,
      alpha: 2,
      tensors: [
        {
          target: "blk.0.attn_q.weight",
          inFeatures: 3,
          outFeatures: 4,
          a: new Float32Array(6),
          b: new Float32Array(7),
        },
      ],
    };
    await expect(writeAdapterGguf(bad, temp.file("bad.gguf"))).rejects.toThrow(
      /blk\.0\.attn_q\.weight.*B has 7 values/,
    );
    await expect(writeAdapterGguf({ ...bad, alpha: 0 }, temp.file("bad.gguf"))).rejects.toThrow(AdapterError);

    const notAdapter = temp.file("model-type.gguf");
    await writeGguf(notAdapter, {
      metadata: new Map([
        ["general.architecture", gv.str("llama")],
        ["general.type", gv.str("model")],
      ]),
      tensors: [],
    });
    expect(() => readAdapterGguf(notAdapter)).toThrow(/general\.type.*expected "adapter", found "model"/);

    const unpaired = temp.file("unpaired.gguf");
    await writeGguf(unpaired, {
      metadata: new Map([
        ["general.architecture", gv.str("llama")],
        ["general.type", gv.str("adapter")],
        ["adapter.type", gv.str("lora")],
        ["adapter.lora.alpha", gv.f32(4)],
      ]),
      tensors: [{ name: "blk.0.attn_v.weight.lora_a", shape: [4, 2], type: GgmlType.F32, data: new Uint8Array(32) }],
    });
    expect(() => readAdapterGguf(unpaired)).toThrow(/blk\.0\.attn_v\.weight.*missing its \.lora_b/);
    // GgufFile's own error, naming the file: no re-wrapping into an AdapterError.
    expect(() => readAdapterGguf(temp.file("absent.gguf"))).toThrow(GgufError);
    expect(() => readAdapterGguf(temp.file("absent.gguf"))).toThrow(/absent\.gguf: cannot open \(file not found\)/);
  });
});
