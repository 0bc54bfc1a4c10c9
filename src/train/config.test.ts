/** Config file + flag merging, defaults, validation errors, and truncation accounting. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../util/errors.js";
import { fitToLength, packBatch } from "./batch.js";
import { readConfigFile, resolveTrainConfig } from "./config.js";
import { learningRate } from "./optimizer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-train-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("training config", () => {
  it("has the original generator's defaults", () => {
    const c = resolveTrainConfig({}, { base: "b.gguf", data: "d.jsonl", out: "o" });
    expect(c).toMatchObject({ learningRate: 1e-4, batchSize: 2, epochs: 3, maxLength: "auto", lora: { r: 4 } });
  });

  it("flags override the YAML file, the lora section merges key by key", async () => {
    const path = join(dir, "c.yaml");
    await writeFile(
      path,
      "base: b.gguf\ndata: d.jsonl\nout: o\nlearningRate: 0.001\nepochs: 5\nlora:\n  r: 16\n  alpha: 32\n",
    );
    const c = resolveTrainConfig(await readConfigFile(path), { epochs: 2, lora: { alpha: 8, r: undefined } });
    expect(c.learningRate).toBe(0.001);
    expect(c.epochs).toBe(2);
    expect(c.lora.r).toBe(16);
    expect(c.lora.alpha).toBe(8);
  });

  it("rejects unknown keys and bad values with the field named", () => {
    expect(() => resolveTrainConfig({ base: "b", data: "d", out: "o", lerningRate: 1 }, {})).toThrow(ValidationError);
    expect(() => resolveTrainConfig({ base: "b", data: "d", out: "o" }, { lora: { targetModules: ["qq"] } })).toThrow(
      /lora\.targetModules/,
    );
  });
});

describe("max length", () => {
  it("cuts long examples, counts lost answer tokens, drops those with no answer left", () => {
    const { examples, report } = fitToLength(
      [
        { tokens: [1, 2, 3], targetMask: [false, true, true] },
        { tokens: [1, 2, 3, 4, 5], targetMask: [false, true, false, true, true] },
        { tokens: [1, 2, 3, 4, 5], targetMask: [false, false, false, true, true] },
      ],
      3,
    );
    expect(examples.map((e) => e.tokens.length)).toEqual([3, 3]);
    expect(report).toEqual({ truncated: 2, targetTokensCut: 4, dropped: 1 });
  });

  it("packs without padding and predicts only masked next tokens within a sequence", () => {
    const b = packBatch([
      { tokens: [5, 6, 7], targetMask: [false, true, true] },
      { tokens: [8, 9], targetMask: [false, true] },
    ]);
    expect([...b.positions]).toEqual([0, 1, 2, 0, 1]);
    expect([...b.targets]).toEqual([6, 7, -1, 9, -1]);
    expect(b.boundaries).toEqual([0, 3, 5]);
  });
});

describe("learning-rate schedule", () => {
  it("warms up linearly then decays to zero", () => {
    expect(learningRate(0, 100, 1, 10, "cosine")).toBeCloseTo(0.1);
    expect(learningRate(9, 100, 1, 10, "cosine")).toBeCloseTo(1);
    expect(learningRate(55, 100, 1, 10, "cosine")).toBeCloseTo(0.5);
    expect(learningRate(100, 100, 1, 10, "linear")).toBeCloseTo(0);
    expect(learningRate(50, 100, 1, 0, "constant")).toBe(1);
  });
});

describe("max length auto", () => {
  const config = {
    blockCount: 2,
    embeddingLength: 8,
    feedForwardLength: 16,
    headCount: 2,
    headCountKv: 1,
    headDim: 4,
  };
  const example = (length: number) => ({ tokens: new Array<number>(length).fill(1), targetMask: [] });
  const cost = { config, batchSize: 2, dropout: false, contextLength: 100 };

  it("counts activations by hand: 4·blocks·(tokens·(4n + 2q + 2kv + 4ff) + batch·heads·T²)", async () => {
    const { activationBytes } = await import("./length.js");
    // T = 10: tokens 20 · (32 + 16 + 8 + 64) = 2400; attention 2·2·100 = 400; ·4·2 = 22400.
    expect(activationBytes(cost, 10)).toBe(22400);
    // Checkpointing: the block inputs 2·20·8 = 320 plus 8 times one block's 2800, ·4 = 90880.
    expect(activationBytes({ ...cost, checkpointing: true }, 10)).toBe(90880);
  });

  it("takes the longest example, capped by the context length and the memory budget", async () => {
    const { activationBytes, chooseMaxLength } = await import("./length.js");
    expect(chooseMaxLength("auto", [example(30), example(45)], cost, 1e12)).toMatchObject({
      value: 45,
      source: "auto",
      longest: 45,
      contextCap: 100,
      memoryCap: 100,
    });
    expect(chooseMaxLength("auto", [example(300)], cost, 1e12).value).toBe(100);
    const budget = activationBytes(cost, 20);
    const tight = chooseMaxLength("auto", [example(45)], { ...cost, checkpointing: false }, budget);
    expect(tight).toMatchObject({ value: 20, memoryCap: 20, checkpointing: false });
    expect(chooseMaxLength(128, [example(45)], cost, budget)).toMatchObject({ value: 128, source: "config" });
  });

  it("turns activation checkpointing on (auto) only when the length does not fit without it", async () => {
    const { activationBytes, chooseMaxLength } = await import("./length.js");
    // 32 blocks: the held inputs are small beside 32 blocks' activations.
    const deep = { ...cost, config: { ...config, blockCount: 32 } };
    const budget = activationBytes(deep, 30);
    expect(chooseMaxLength("auto", [example(15)], deep, budget)).toMatchObject({ value: 15, checkpointing: false });
    // T = 45: 4·32·(90·120 + 2·2·45²) = 2,419,200 bytes without, 4·(32·90·8 + 8·18,900) = 696,960 with.
    expect(activationBytes({ ...deep, checkpointing: true }, 45)).toBe(696960);
    const checkpointed = chooseMaxLength("auto", [example(45)], deep, budget);
    expect(checkpointed).toMatchObject({ value: 45, checkpointing: true });
    expect(activationBytes({ ...deep, checkpointing: true }, checkpointed.memoryCap)).toBeLessThanOrEqual(budget);
    expect(activationBytes({ ...deep, checkpointing: true }, checkpointed.memoryCap + 1)).toBeGreaterThan(budget);
    // Two blocks: checkpointing would hold less, so auto leaves it off and caps the length.
    expect(chooseMaxLength("auto", [example(45)], cost, activationBytes(cost, 30))).toMatchObject({
      value: 30,
      checkpointing: false,
    });
    // A given length: checkpointing when it needs it; forced on or off when asked.
    expect(chooseMaxLength(40, [example(45)], deep, budget).checkpointing).toBe(true);
    expect(chooseMaxLength(10, [example(45)], deep, budget).checkpointing).toBe(false);
    expect(chooseMaxLength(10, [example(45)], { ...deep, checkpointing: true }, budget).checkpointing).toBe(true);
  });
});
