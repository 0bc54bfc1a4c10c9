/**
 * Dequantisation checked against llama.cpp: a model whose token embedding is stored in each
 * format (random valid blocks) and whose other weights are F32. llama.cpp looks embeddings up
 * with an exact dequantisation (no activation rounding), so matching logits prove our block
 * decoding of that format, including the K-quants. A second set stores every matrix as a
 * K-quant, which also checks the Q8_K activation rounding llama.cpp applies before those products.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOnnxBackend, type Backend } from "../backend/index.js";
import { f32ToF16, GgmlType, ggmlTypeInfo, ggmlTypeName, quantize, writeGguf } from "../gguf/index.js";
import { modelMetadata } from "./create.js";
import { forwardLastLogits, loadModelWeights } from "./forward.js";
import type { ModelShape } from "./presets.js";
import { createRandom, fillNormal } from "../util/random.js";
import { llamaCppLastLogits, loadLlamaCpp, relativeMaxDifference } from "./testing/llamacpp.js";

const shape: ModelShape = {
  arch: "llama",
  vocabSize: 320,
  embeddingLength: 256,
  blockCount: 1,
  feedForwardLength: 256,
  headCount: 4,
  headCountKv: 2,
  contextLength: 512,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
  tiedEmbeddings: false,
};

/** Random bytes for `rows` rows of `type`, with every block's scales set to small sane halves. */
function randomBlocks(type: number, rows: number, width: number, random: () => number, magnitude = 1): Uint8Array {
  const info = ggmlTypeInfo(type);
  if (info === undefined) throw new Error("unknown type");
  if (type === GgmlType.BF16) {
    const values = fillNormal(new Float32Array(rows * width), random, 1);
    const words = new Uint32Array(values.buffer);
    const out = new Uint16Array(rows * width);
    for (let i = 0; i < out.length; i++) out[i] = (words[i] ?? 0) >>> 16;
    return new Uint8Array(out.buffer);
  }
  const blocks = (rows * width) / info.blockSize;
  const out = Uint8Array.from({ length: blocks * info.typeSize }, () => Math.floor(random() * 256));
  const view = new DataView(out.buffer);
  const half = (at: number, scale: number): void =>
    view.setUint16(at, f32ToF16((0.2 + random()) * scale * magnitude), true);
  for (let b = 0; b < blocks; b++) {
    const at = b * info.typeSize;
    if (type === GgmlType.Q6_K) half(at + 208, 0.002);
    else if (type === GgmlType.Q4_K || type === GgmlType.Q5_K) {
      half(at, 0.01);
      half(at + 2, 0.01);
    } else if (type === GgmlType.Q4_1 || type === GgmlType.Q5_1) {
      half(at, 0.1);
      view.setUint16(at + 2, f32ToF16(random() - 0.5), true);
    } else half(at, 0.1);
  }
  return out;
}

let dir: string;
let llama: Llama;
let onnx: Backend;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-dequant-"));
  llama = await loadLlamaCpp();
  onnx = await createOnnxBackend();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await onnx.dispose();
});

/** Writes a one-block model: embedding stored as `embeddingType`, matrices as `matrixType`. */
async function writeModel(out: string, embeddingType: number, matrixType: number, seed: number): Promise<void> {
  const random = createRandom(seed);
  const n = shape.embeddingLength;
  const kv = (n / shape.headCount) * shape.headCountKv;
  const vector = (name: string, length: number): { name: string; shape: number[]; type: number; data: Uint8Array } => ({
    name,
    shape: [length],
    type: GgmlType.F32,
    data: quantize(GgmlType.F32, fillNormal(new Float32Array(length), random, 0.1, 1)),
  });
  const matrix = (
    name: string,
    inputs: number,
    outputs: number,
  ): { name: string; shape: number[]; type: number; data: Uint8Array } =>
    matrixType === GgmlType.F32
      ? {
          name,
          shape: [inputs, outputs],
          type: GgmlType.F32,
          data: quantize(GgmlType.F32, fillNormal(new Float32Array(inputs * outputs), random, 1 / Math.sqrt(inputs))),
        }
      : // Scales shrunk so weights have a standard deviation near 1/sqrt(inputs), as in a real model.
        {
          name,
          shape: [inputs, outputs],
          type: matrixType,
          data: randomBlocks(matrixType, outputs, inputs, random, 0.03),
        };
  await writeGguf(out, {
    metadata: modelMetadata(shape, "dequant-test", 0),
    tensors: [
      {
        name: "token_embd.weight",
        shape: [n, shape.vocabSize],
        type: embeddingType,
        data: randomBlocks(embeddingType, shape.vocabSize, n, random),
      },
      vector("blk.0.attn_norm.weight", n),
      matrix("blk.0.attn_q.weight", n, n),
      matrix("blk.0.attn_k.weight", n, kv),
      matrix("blk.0.attn_v.weight", n, kv),
      matrix("blk.0.attn_output.weight", n, n),
      vector("blk.0.ffn_norm.weight", n),
      matrix("blk.0.ffn_gate.weight", n, 256),
      matrix("blk.0.ffn_up.weight", n, 256),
      matrix("blk.0.ffn_down.weight", 256, n),
      vector("output_norm.weight", n),
      matrix("output.weight", n, shape.vocabSize),
    ],
  });
}

async function compare(out: string, backend?: Backend): Promise<number> {
  const weights = loadModelWeights(out);
  const model = await llama.loadModel({ modelPath: out });
  try {
    const tokens = model.tokenize("The patient has a headache and a fever since Tuesday, and feels sick.");
    const expected = await llamaCppLastLogits(model, tokens, shape.vocabSize);
    return relativeMaxDifference(
      await forwardLastLogits(weights, tokens, backend === undefined ? {} : { backend }),
      expected,
    );
  } finally {
    await model.dispose();
  }
}

describe("dequantisation matches llama.cpp", () => {
  const types = [
    GgmlType.Q4_K,
    GgmlType.Q5_K,
    GgmlType.Q6_K,
    GgmlType.BF16,
    GgmlType.Q4_1,
    GgmlType.Q5_1,
    GgmlType.Q4_0,
    GgmlType.Q5_0,
    GgmlType.Q8_0,
  ];
  for (const type of types) {
    it(`token embedding in ${ggmlTypeName(type)}`, async () => {
      const out = join(dir, `emb-${ggmlTypeName(type)}.gguf`);
      await writeModel(out, type, GgmlType.F32, type + 100);
      expect(await compare(out)).toBeLessThan(1e-4);
    });
  }
});

describe("K-quant weights end to end (llama.cpp's Q8_K activation rounding reproduced)", () => {
  const cases: [number, number][] = [
    [GgmlType.Q4_K, 1e-3],
    [GgmlType.Q5_K, 1e-3],
    [GgmlType.Q6_K, 1e-3],
  ];
  for (const [type, tolerance] of cases) {
    it(`all matrices in ${ggmlTypeName(type)}`, async () => {
      const out = join(dir, `all-${ggmlTypeName(type)}.gguf`);
      await writeModel(out, type, type, type + 200);
      expect(await compare(out)).toBeLessThan(tolerance);
      expect(await compare(out, onnx)).toBeLessThan(tolerance);
    });
  }
});
