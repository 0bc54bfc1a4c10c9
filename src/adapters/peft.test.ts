import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createModelFile, forwardLastLogits, loadModelWeights, readConfig } from "../model/index.js";
import { GgufFile } from "../gguf/index.js";
import { readAdapterGguf, writeAdapterGguf } from "./gguf.js";
import { applyAdapterToWeights } from "./merge.js";
import { readPeftAdapter, writePeftAdapter } from "./peft.js";
import { ggufToHfRows, hfToGgufRows } from "./permute.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";
import { llamaCppLogitsWithLora, loadLlamaCpp, randomAdapter, relativeMaxDifference } from "./adapters.test-utils.js";
import type { LoraAdapter } from "./types.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-peft-");

function baseConfig(path: string): ReturnType<typeof readConfig> {
  const file = GgufFile.open(path);
  try {
    return readConfig(file);
  } finally {
    file.close();
  }
}

/** A safetensors parser written independently of the module under test. */
function parseSafetensors(bytes: Buffer): {
  header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & {
    __metadata__?: Record<string, string>;
  };
  headerText: string;
  data: Buffer;
} {
  const length = Number(bytes.readBigUInt64LE(0));
  const headerText = bytes.subarray(8, 8 + length).toString("utf8");
  return { header: JSON.parse(headerText), headerText, data: bytes.subarray(8 + length) };
}

function tensorValues(parsed: ReturnType<typeof parseSafetensors>, name: string): number[] {
  const entry = parsed.header[name];
  if (entry === undefined) throw new Error(`missing ${name}`);
  const [begin, end] = entry.data_offsets;
  const out: number[] = [];
  for (let at = begin; at < end; at += 4) out.push(parsed.data.readFloatLE(at));
  return out;
}

describe("llama q/k row permutation", () => {
  it("matches llama.cpp's permute(weights, n_head) on hand-checked matrices", () => {
    // reshape(2 heads, 2, 2).swapaxes(1, 2): each head [a0 a1 | b0 b1] becomes [a0 b0 a1 b1].
    const hf = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...hfToGgufRows(hf, 8, 2)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    // One head of 6 rows, 2 columns: rows [0..5] -> [0, 3, 1, 4, 2, 5].
    const wide = Float32Array.from([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5]);
    expect([...hfToGgufRows(wide, 6, 1)]).toEqual([0, 0.5, 3, 3.5, 1, 1.5, 4, 4.5, 2, 2.5, 5, 5.5]);
    expect([...ggufToHfRows(hfToGgufRows(wide, 6, 1), 6, 1)]).toEqual([...wide]);
    expect(() => hfToGgufRows(new Float32Array(6), 6, 2)).toThrow(/heads of even size/);
  });
});

describe("PEFT adapter files", () => {
  it("writes HF names, shapes, sorted safetensors and adapter_config.json; B of q/k un-permuted for llama", async () => {
    const base = temp.file("llama-base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 2, out: base });
    const config = baseConfig(base);
    const adapter = randomAdapter(base, { rank: 4, alpha: 8, seed: 3 });
    const out = temp.file("peft-llama");
    await writePeftAdapter(adapter, out, {
      baseModelNameOrPath: "HuggingFaceTB/SmolLM2-135M",
      heads: config,
      loraDropout: 0.05,
    });

    const parsed = parseSafetensors(await readFile(join(out, "adapter_model.safetensors")));
    expect(parsed.headerText.length % 8).toBe(0);
    expect(parsed.header.__metadata__).toEqual({ format: "pt" });
    const names = Object.keys(parsed.header).filter((k) => k !== "__metadata__");
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(2 * 7 * config.blockCount);
    expect(names).toContain("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight");
    expect(names).toContain("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight");
    let expectedOffset = 0;
    for (const name of names) {
      const entry = parsed.header[name]!;
      expect(entry.dtype).toBe("F32");
      expect(entry.data_offsets[0]).toBe(expectedOffset);
      expectedOffset = entry.data_offsets[1];
    }
    expect(expectedOffset).toBe(parsed.data.length);
    const n = config.embeddingLength;
    expect(parsed.header["base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight"]?.shape).toEqual([4, n]);
    expect(parsed.header["base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight"]?.shape).toEqual([
      config.headCountKv * config.headDim,
      4,
    ]);
    expect(parsed.header["base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"]?.shape).toEqual([
      4,
      config.feedForwardLength,
    ]);

    // q's B in the file is in HF order: permuting it as llama.cpp's converter does gives the GGUF-order B.
    const q = adapter.tensors.find((t) => t.target === "blk.0.attn_q.weight")!;
    const hfB = tensorValues(parsed, "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight");
    expect(hfB).not.toEqual([...q.b]);
    expect([...hfToGgufRows(Float32Array.from(hfB), q.outFeatures, config.headCount)]).toEqual([...q.b]);
    // v is not permuted.
    const v = adapter.tensors.find((t) => t.target === "blk.0.attn_v.weight")!;
    expect(tensorValues(parsed, "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight")).toEqual([...v.b]);

    const json = JSON.parse(await readFile(join(out, "adapter_config.json"), "utf8"));
    expect(json).toMatchObject({
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      bias: "none",
      fan_in_fan_out: false,
      inference_mode: true,
      use_rslora: false,
      base_model_name_or_path: "HuggingFaceTB/SmolLM2-135M",
    });
    expect(json.target_modules).toEqual(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"]);
  });

  const python = spawnSync("python3", ["--version"]).status === 0;
  it.skipIf(!python)(
    "Python's json and struct read the safetensors file and see llama.cpp's permutation undone",
    async () => {
      const base = temp.file("llama-py.gguf");
      await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 8, out: base });
      const config = baseConfig(base);
      const adapter = randomAdapter(base, { rank: 2, alpha: 4, modules: ["q", "k"], seed: 9 });
      const out = temp.file("peft-py");
      await writePeftAdapter(adapter, out, { heads: config });
      const k = adapter.tensors.find((t) => t.target === "blk.1.attn_k.weight")!;
      await writeFile(temp.file("gguf-k-b.json"), JSON.stringify([...k.b]));
      // Python mirrors numpy's reshape(n_head, 2, rows // n_head // 2, cols).swapaxes(1, 2) with index arithmetic.
      const script = `
import json, struct, sys
path, expected_path, n_head = sys.argv[1], sys.argv[2], int(sys.argv[3])
raw = open(path, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
assert header["__metadata__"] == {"format": "pt"}, header["__metadata__"]
e = header["base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"]
rows, cols = e["shape"]
begin, end = e["data_offsets"]
vals = struct.unpack("<%df" % (rows * cols), data[begin:end])
half = rows // n_head // 2
out = []
for h in range(n_head):
    for j in range(half):
        for s in range(2):
            r = h * 2 * half + s * half + j
            out.extend(vals[r * cols:(r + 1) * cols])
expected = json.load(open(expected_path))
assert len(out) == len(expected)
assert max(abs(a - b) for a, b in zip(out, expected)) == 0.0
print("ok", rows, cols)
`;
      const stdout = execFileSync(
        "python3",
        ["-c", script, join(out, "adapter_model.safetensors"), temp.file("gguf-k-b.json"), String(config.headCountKv)],
        { encoding: "utf8" },
      );
      expect(stdout.trim()).toBe(`ok ${config.headCountKv * config.headDim} 2`);
    },
  );

  it("refuses llama q/k without head counts, and targets PEFT cannot name", async () => {
    const adapter: LoraAdapter = {
      architecture: "llama",
      rank: 1,
      alpha: 1,
      tensors: [
        {
          target: "blk.0.attn_q.weight",
          inFeatures: 2,
          outFeatures: 4,
          a: new Float32Array(2),
          b: new Float32Array(4),
        },
      ],
    };
    await expect(writePeftAdapter(adapter, temp.file("x"))).rejects.toThrow(/blk\.0\.attn_q\.weight.*head counts/);
    const output = { ...adapter, tensors: [{ ...adapter.tensors[0]!, target: "output.weight" }] };
    await expect(writePeftAdapter(output, temp.file("x"))).rejects.toThrow(/output\.weight.*block projections/);
    await expect(
      writePeftAdapter({ ...adapter, architecture: "qwen2" }, temp.file("x"), { targetModules: ["v"] }),
    ).rejects.toThrow(/q_proj tensors but targetModules is \[v_proj\]/);
  });

  it("reads adapters written elsewhere: F16, adapter-named keys, rsLoRA; refuses DoRA", async () => {
    const peft = temp.file("foreign");
    const a = Float32Array.from([0.5, -1, 2, 0.25]);
    const b = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const tensors = new Map([
      [
        "base_model.model.model.layers.3.mlp.up_proj.lora_A.default.weight",
        { dtype: "F16" as const, shape: [2, 2], data: a },
      ],
      [
        "base_model.model.model.layers.3.mlp.up_proj.lora_B.default.weight",
        { dtype: "F16" as const, shape: [4, 2], data: b },
      ],
    ]);
    await mkdir(peft, { recursive: true });
    await writeFile(join(peft, "adapter_model.safetensors"), encodeSafetensors(tensors));
    const config = {
      peft_type: "LORA",
      r: 2,
      lora_alpha: 4,
      use_rslora: true,
      target_modules: ["up_proj"],
      base_model_name_or_path: "Qwen/Qwen2.5-0.5B",
      task_type: "CAUSAL_LM",
    };
    await writeFile(join(peft, "adapter_config.json"), JSON.stringify(config));
    const read = await readPeftAdapter(peft, { architecture: "qwen2", headCount: 2, headCountKv: 1 });
    expect(read).toMatchObject({ architecture: "qwen2", rank: 2, baseModelName: "Qwen/Qwen2.5-0.5B" });
    expect(read.alpha).toBeCloseTo(4 * Math.SQRT2, 6);
    expect(read.tensors[0]).toMatchObject({ target: "blk.3.ffn_up.weight", inFeatures: 2, outFeatures: 4 });
    expect([...read.tensors[0]!.a]).toEqual([...a]);
    expect([...read.tensors[0]!.b]).toEqual([...b]);

    await writeFile(join(peft, "adapter_config.json"), JSON.stringify({ ...config, use_dora: true }));
    await expect(readPeftAdapter(peft, { architecture: "qwen2", headCount: 2, headCountKv: 1 })).rejects.toThrow(
      /adapter_config\.json: use_dora/,
    );
    await writeFile(join(peft, "adapter_config.json"), JSON.stringify({ ...config, r: "two" }));
    await expect(readPeftAdapter(peft, { architecture: "qwen2", headCount: 2, headCountKv: 1 })).rejects.toThrow(
      /adapter_config\.json: r:/,
    );
  });
  it("useRslora writes alpha/sqrt(r) with use_rslora, and reading it back gives the same scale", async () => {
    const adapter: LoraAdapter = {
      architecture: "qwen2",
      rank: 4,
      alpha: 16,
      tensors: [
        {
          target: "blk.0.ffn_up.weight",
          inFeatures: 2,
          outFeatures: 3,
          a: new Float32Array(8).fill(0.5),
          b: new Float32Array(12).fill(-1),
        },
      ],
    };
    const out = temp.file("rslora");
    await writePeftAdapter(adapter, out, { useRslora: true });
    const json = JSON.parse(await readFile(join(out, "adapter_config.json"), "utf8"));
    expect(json).toMatchObject({ use_rslora: true, lora_alpha: 8, r: 4, target_modules: ["up_proj"] });
    const back = await readPeftAdapter(out, { architecture: "qwen2", headCount: 1, headCountKv: 1 });
    expect(back.alpha).toBeCloseTo(16, 10);
  });

  it("safetensors decoding names what is wrong with a damaged file", () => {
    const good = encodeSafetensors(
      new Map([["t", { dtype: "F32" as const, shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }]]),
    );
    expect([...(decodeSafetensors(good, "ok").tensors.get("t")?.data ?? [])]).toEqual([1, 2, 3, 4]);
    expect(() => decodeSafetensors(good.subarray(0, 5), "short")).toThrow(/short: not a safetensors file/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), "cut")).toThrow(
      /cut: tensor "t": data_offsets \[0, 16\]/,
    );
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge, "huge")).toThrow(/huge: header length .* past the end/);
    const garbled = good.slice();
    garbled[9] = 0x7b;
    expect(() => decodeSafetensors(garbled, "garbled")).toThrow(/garbled: header is not valid JSON/);
    for (let cut = 0; cut < good.length; cut++) {
      try {
        decodeSafetensors(good.subarray(0, cut), "fuzz");
      } catch (error) {
        expect((error as Error).constructor.name).toBe("AdapterError");
      }
    }
  });
});

describe("PEFT import into llama.cpp", () => {
  for (const arch of ["llama", "qwen2"] as const) {
    it(`${arch}: PEFT -> LoraAdapter -> adapter.gguf gives llama.cpp logits equal to the merged-weights forward`, async () => {
      const base = temp.file(`${arch}-roundtrip.gguf`);
      await createModelFile({ arch, preset: "tiny", quant: "f32", seed: 4, out: base });
      const config = baseConfig(base);
      const original = randomAdapter(base, { rank: 4, alpha: 8, seed: 5 });
      const peft = temp.file(`${arch}-peft`);
      await writePeftAdapter(original, peft, { heads: config });
      const imported = await readPeftAdapter(peft, {
        architecture: arch,
        headCount: config.headCount,
        headCountKv: config.headCountKv,
      });
      const adapterPath = temp.file(`${arch}-imported.gguf`);
      await writeAdapterGguf(imported, adapterPath);
      expect(readAdapterGguf(adapterPath).tensors).toHaveLength(original.tensors.length);

      const weights = loadModelWeights(base);
      const llama = await loadLlamaCpp();
      const model = await llama.loadModel({ modelPath: base });
      try {
        const tokens = model.tokenize("Patient: it hurts when I breathe in.", true);
        const logits = await llamaCppLogitsWithLora(model, tokens, config.vocabSize, [adapterPath]);
        const expected = await forwardLastLogits(applyAdapterToWeights(weights, original), tokens);
        const plain = await forwardLastLogits(weights, tokens);
        expect(relativeMaxDifference(expected, logits)).toBeLessThan(1e-3);
        expect(relativeMaxDifference(plain, logits)).toBeGreaterThan(0.05);
      } finally {
        await model.dispose();
      }
    });
  }
});
