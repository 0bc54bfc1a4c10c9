/**
 * A training job from files on the onnxruntime compute: interrupted (as Ctrl-C does) and resumed,
 * it writes the same adapter.gguf bytes as an uninterrupted run.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { CHAT_JSONL } from "./fixtures.test-utils.js";
import { createModelFile, loadModelWeights } from "../model/index.js";
import { resolveTrainConfig } from "./config.js";
import { chooseLanes, trainFromConfig } from "./run.js";
import { TrainError } from "../util/errors.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

const temp = useTempDirectory("medsim-train-run-");

describe("training job", () => {
  it("a base of an architecture the trainer does not implement (gemma) is refused before training, naming the file", async () => {
    const base = temp.file("gemma.gguf");
    await createModelFile({ arch: "gemma", preset: "tiny", out: base, seed: 1 });
    const data = temp.file("g.jsonl");
    await writeFile(data, CHAT_JSONL);
    const out = temp.file("gemma-run");
    const training = trainFromConfig(resolveTrainConfig({}, { base, data, out, maxSteps: 1, validationSplit: 0 }));
    await expect(training).rejects.toThrow(TrainError);
    await expect(training).rejects.toThrow(
      `${base}: architecture "gemma" cannot be trained: expected one of llama, qwen2`,
    );
    // Nothing trained: no metrics, no checkpoint, no adapter.
    for (const file of ["metrics.jsonl", "checkpoint.bin", "adapter.gguf"])
      expect(existsSync(join(out, file))).toBe(false);
  }, 300_000);

  it("interrupted and resumed gives the same adapter bytes as an uninterrupted run", async () => {
    const base = temp.file("tiny.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 4 });
    const data = temp.file("d.jsonl");
    await writeFile(data, CHAT_JSONL);
    const config = (out: string) =>
      resolveTrainConfig(
        {},
        {
          base,
          data,
          out,
          maxSteps: 6,
          learningRate: 0.01,
          batchSize: 2,
          validationSplit: 0.2,
          evalSteps: 2,
          saveSteps: 0,
          lora: { r: 4, dropout: 0.1 },
        },
      );

    const whole = await trainFromConfig(config(temp.file("a")));
    const controller = new AbortController();
    const cut = await trainFromConfig(config(temp.file("b")), {
      signal: controller.signal,
      onProgress: (p) => p.step === 3 && controller.abort(),
    });
    expect(cut.stopped).toBe("interrupted");
    expect(cut.steps).toBe(3);
    const resumed = await trainFromConfig(config(temp.file("b")), { resume: true });
    expect(resumed.steps).toBe(6);
    expect(resumed.stopped).toBe("completed");
    expect(await readFile(temp.file("b", "adapter.gguf"))).toEqual(await readFile(whole.paths.adapter as string));
    expect(resumed.eval_loss).toBe(whole.eval_loss);
  }, 300_000); // ~20 s alone, over a minute when the machine is shared
});

describe("chooseLanes", () => {
  it("one lane per thread while their weight copies fit a quarter of memory, else one; an explicit number wins", async () => {
    const base = temp.file("lanes.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 1 });
    const weights = loadModelWeights(base);
    const config = resolveTrainConfig({}, { base, data: "d.jsonl", out: "o", threads: 2 });
    // The tiny model's copies: a few MB a lane.
    expect(chooseLanes(weights, config, 16 * 2 ** 30)).toBe(2);
    expect(chooseLanes(weights, config, 1 * 2 ** 20)).toBe(1);
    expect(chooseLanes(weights, { ...config, lanes: 3 }, 1 * 2 ** 20)).toBe(3);
    expect(chooseLanes(weights, { ...config, threads: 1 }, 16 * 2 ** 30)).toBe(1);
    expect(chooseLanes(weights, { ...config, mode: "full" }, 16 * 2 ** 30)).toBe(1);
    expect(chooseLanes(weights, { ...config, backend: "reference" }, 16 * 2 ** 30)).toBe(1);
  });
});
