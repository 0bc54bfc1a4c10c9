import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GgmlType, GgufError, GgufFile, gv, writeGguf, type GgufValue } from "../gguf/index.js";
import { createModelFile } from "./create.js";
import { readConfig, readModelWeights } from "./definition.js";
import { loadModelWeights } from "./forward.js";

let dir: string;
let source: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-def-"));
  source = join(dir, "tiny.gguf");
  await createModelFile({ arch: "llama", preset: "tiny", quant: "q8_0", out: source });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites the tiny model with changed metadata and tensors. */
async function variant(
  name: string,
  change: { metadata?: [string, GgufValue | undefined][]; drop?: string; reshape?: [string, number[]] },
): Promise<string> {
  const file = GgufFile.open(source);
  try {
    const metadata = new Map(file.metadata);
    for (const [key, value] of change.metadata ?? []) {
      if (value === undefined) metadata.delete(key);
      else metadata.set(key, value);
    }
    const out = join(dir, name);
    await writeGguf(out, {
      metadata,
      tensors: file.tensors
        .filter((t) => t.name !== change.drop)
        .map((t) => {
          const shape = change.reshape?.[0] === t.name ? change.reshape[1] : t.shape;
          return { name: t.name, shape, type: t.type, data: file.readTensorBytes(t.name) };
        }),
    });
    return out;
  } finally {
    file.close();
  }
}

describe("model definition", () => {
  it("reads llama hyper-parameters, rope factors and an untied head", () => {
    const weights = loadModelWeights(source);
    expect(weights.config).toMatchObject({
      arch: "llama",
      embeddingLength: 64,
      blockCount: 2,
      headCount: 4,
      headCountKv: 2,
      headDim: 16,
      ropeType: "norm",
      vocabSize: 512,
    });
    expect(weights.tiedEmbeddings).toBe(false);
    expect(weights.ropeFactors?.length).toBe(8);
    expect(weights.blocks[0]?.wq.activationRounding).toBe("q8_0");
    expect(weights.blocks[0]?.bq).toBeUndefined();
  });

  it("names the missing or misshapen tensor", async () => {
    const missing = await variant("missing.gguf", { drop: "blk.1.ffn_up.weight" });
    expect(() => loadModelWeights(missing)).toThrow(/tensor "blk.1.ffn_up.weight" is missing/);
    const misshapen = await variant("shape.gguf", { reshape: ["output_norm.weight", [32, 2]] });
    expect(() => loadModelWeights(misshapen)).toThrow(
      /tensor "output_norm.weight": expected shape \[64\], found \[32, 2\]/,
    );
  });

  it("rejects unsupported architectures and inconsistent heads", async () => {
    const falcon = await variant("falcon.gguf", { metadata: [["general.architecture", gv.str("falcon")]] });
    const file = GgufFile.open(falcon);
    try {
      expect(() => readConfig(file)).toThrow(GgufError);
      expect(() => readConfig(file)).toThrow(/expected one of llama, qwen2, gemma, found falcon/);
    } finally {
      file.close();
    }
    const heads = await variant("heads.gguf", { metadata: [["llama.attention.head_count_kv", gv.u32(3)]] });
    expect(() => loadModelWeights(heads)).toThrow(/inconsistent heads/);
    const noEps = await variant("eps.gguf", { metadata: [["llama.attention.layer_norm_rms_epsilon", undefined]] });
    expect(() => loadModelWeights(noEps)).toThrow(/layer_norm_rms_epsilon" is missing/);
  });

  it("maps weight types to llama.cpp's activation rounding", async () => {
    const f16 = join(dir, "f16.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "f16", out: f16 });
    const file = GgufFile.open(f16);
    try {
      const weights = readModelWeights(file);
      expect(weights.blocks[0]?.wk.activationRounding).toBe("f16");
      expect(weights.blocks[0]?.bk?.length).toBe(32);
      expect(weights.config.ropeType).toBe("neox");
      expect(weights.tiedEmbeddings).toBe(true);
      expect(file.tensor("blk.0.attn_norm.weight")?.type).toBe(GgmlType.F32);
    } finally {
      file.close();
    }
  });
});
