import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createModelFile, loadModelWeights } from "../../model/index.js";
import { runCliInProcess as run, runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-cli-train-");

const CHAT = [
  {
    messages: [
      { role: "user", content: "Where does it hurt?" },
      { role: "assistant", content: "In my chest, doctor." },
    ],
  },
  {
    messages: [
      { role: "user", content: "Since when?" },
      { role: "assistant", content: "Two days now." },
    ],
  },
  {
    messages: [
      { role: "user", content: "Any fever?" },
      { role: "assistant", content: "A little, at night." },
    ],
  },
];

describe("medsim train", () => {
  it("synth dialogues then train work with no other flag: the max length follows the data", async () => {
    const base = temp.file("tiny-defaults.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 5 });
    const data = temp.file("dialogues.jsonl");
    const synth = await runCommand("synth dialogues --out", data, "--count", "50");
    expect(synth.code, synth.stderr).toBe(0);
    const out = temp.file("run-defaults");
    const trained = await runCommand("train --base", base, "--data", data, "--out", out);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/^completed: \d+\/\d+ steps, max length \d+ \(\d+ examples cut\)/);
    const chosen = /max length (\d+) \(auto: longest example (\d+) tokens, model context (\d+), memory cap (\d+)/.exec(
      trained.stderr,
    );
    expect(chosen, trained.stderr).not.toBeNull();
    const [value, longest, context, memory] = (chosen ?? []).slice(1).map(Number) as [number, number, number, number];
    expect(value).toBe(Math.min(longest, context, memory));
    // The persona system prompt alone is hundreds of tokens: far beyond the old default of 128.
    expect(value).toBeGreaterThan(300);
    expect(trained.stdout).toContain(`max length ${value} (`);
  }, 1_800_000); // 50 dialogues, 3 epochs at ~2000 tokens: ~1.5 min of CPU, 6-10 min on the shared machine

  it("records labelled test are left out of training and validation, and the summary says how many", async () => {
    const base = temp.file("tiny-split.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 6 });
    const data = temp.file("labelled.jsonl");
    // Train and test labels, no validation records: the random validation share comes from the 4 train records.
    const labels = ["train", "test", "train", "train", "test", "train"];
    await writeFile(
      data,
      labels.map((split, i) => JSON.stringify({ ...CHAT[i % CHAT.length], meta: { split } })).join("\n"),
    );
    const args = ["train", "--base", base, "--data", data, "--max-steps", "1", "--validation-split", "0.25"];
    const json = await run(...args, "--out", temp.file("split-json"), "--json");
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      train_examples: 3,
      validation_examples: 1,
      test_examples_left_out: 2,
    });
    const plain = await run(...args, "--out", temp.file("split-plain"));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/^3 training and 1 validation examples \(2 test records left out\); \d+ trainable/m);
  }, 600_000);

  it("with --validation-data, records of --data marked split=validation are left out of training and reported", async () => {
    const base = temp.file("tiny-validation-file.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 7 });
    const data = temp.file("three-way.jsonl");
    const labels = ["train", "validation", "train", "test", "validation", "train"];
    await writeFile(
      data,
      labels.map((split, i) => JSON.stringify({ ...CHAT[i % CHAT.length], meta: { split } })).join("\n"),
    );
    const validation = temp.file("own-validation.jsonl");
    await writeFile(validation, [CHAT[0], CHAT[1 % CHAT.length]].map((c) => JSON.stringify(c)).join("\n"));
    const args = ["train", "--base", base, "--data", data, "--validation-data", validation, "--max-steps", "1"];
    const json = await run(...args, "--out", temp.file("validation-file-json"), "--json");
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      train_examples: 3,
      validation_examples: 2,
      test_examples_left_out: 1,
      validation_examples_left_out: 2,
    });
    const plain = await run(...args, "--out", temp.file("validation-file-plain"));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(
      /^3 training and 2 validation examples \(1 test records left out; 2 records of --data marked split=validation left out: --validation-data is the validation set\); \d+ trainable/m,
    );
    // Only validation records beside the file: nothing left to train on, and the error says why.
    const onlyValidation = temp.file("only-validation.jsonl");
    await writeFile(onlyValidation, JSON.stringify({ ...CHAT[0], meta: { split: "validation" } }));
    const empty = await run(
      "train",
      "--base",
      base,
      "--data",
      onlyValidation,
      "--validation-data",
      validation,
      "--out",
      temp.file("validation-file-empty"),
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no training example left .*1 records marked split=validation left out/);
  }, 600_000);

  it("trains from a config file with flags overriding it, then resumes to more steps", async () => {
    const base = temp.file("tiny.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", out: base, seed: 2 });
    const data = temp.file("d.jsonl");
    await writeFile(data, CHAT.map((c) => JSON.stringify(c)).join("\n"));
    const config = temp.file("c.json");
    await writeFile(config, JSON.stringify({ base, data, maxSteps: 50, learningRate: 0.01, validationSplit: 0 }));
    const out = temp.file("run");
    const first = await runCommand("train --config", config, "--out", out, "--max-steps", "3", "--json");
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      steps: 3,
      total_steps: 3,
      stopped: "completed",
      paths: { adapter: join(out, "adapter.gguf"), peft: join(out, "peft") },
    });
    expect(summary.peak_rss_mb).toBeGreaterThan(0);
    expect((await readFile(join(out, "metrics.jsonl"), "utf8")).length).toBeGreaterThan(0);

    const changed = await runCommand("train --max-steps 3 --lr 0.5 --resume --json", "--config", config, "--out", out);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/^medsim: .*checkpoint\.bin: was written with different settings/);
  }, 600_000);

  it("full fine-tuning writes a model GGUF with changed weights", async () => {
    const base = temp.file("tiny.gguf");
    const out = temp.file("full");
    const r = await runCommand(
      "train --mode full --max-steps 2 --lr 0.01 --validation-split 0 --json",
      "--base",
      base,
      "--data",
      temp.file("d.jsonl"),
      "--out",
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.paths.model).toBe(join(out, "model.gguf"));
    const before = loadModelWeights(base);
    const after = loadModelWeights(summary.paths.model);
    expect(after.config).toEqual(before.config);
    expect(after.blocks[0]?.wq.data).not.toEqual(before.blocks[0]?.wq.data);
    expect(after.outputNorm).not.toEqual(before.outputNorm);
  }, 600_000);

  it("reports bad input in one line", async () => {
    const missing = await runCommand(
      "train",
      "--base",
      temp.file("none.gguf"),
      "--data",
      temp.file("none.jsonl"),
      "--out",
      temp.file("x"),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    const bad = await runCommand("train --out", temp.file("x"), "--lora-r", "0");
    expect(bad.code).toBe(2);
  });

  it("bench train prints throughput as JSON", async () => {
    const r = await runCommand("bench train --preset tiny --batch-size 1 --seq 16 --steps 1 --lora-r 2 --json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      preset: "tiny",
      batch: 1,
      seq: 16,
      steps: 1,
      lora_r: 2,
      backend: "onnxruntime",
    });
  }, 600_000);

  it("bench train --quant q8_0 holds 34/128 of the F32 projection bytes", async () => {
    const args = [
      "bench",
      "train",
      "--preset",
      "tiny",
      "--batch",
      "1",
      "--seq",
      "16",
      "--steps",
      "1",
      "--lora-r",
      "2",
      "--json",
    ];
    const f32 = await run(...args);
    const q8 = await run(...args, "--quant", "q8_0");
    expect(q8.code, q8.stderr).toBe(0);
    const a = JSON.parse(f32.stdout);
    const b = JSON.parse(q8.stdout);
    expect(a.quant).toBe("f32");
    expect(b.quant).toBe("q8_0");
    expect(b.projection_mb).toBeCloseTo((a.projection_mb * 34) / 128, 1);
    const upfront = JSON.parse((await run(...args, "--quant", "q8_0", "--dequantize-upfront")).stdout);
    expect(upfront).toMatchObject({
      quant: "q8_0",
      keep_quantized: false,
      projection_mb: a.projection_mb,
      loss: b.loss,
    });
    expect((await run(...args, "--quant", "q3")).code).toBe(2);
  }, 600_000);

  it("--keep-quantised trains to the same adapter bytes", async () => {
    const base = temp.file("kq.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "q8_0", out: base, seed: 3 });
    const data = temp.file("kq.jsonl");
    await writeFile(data, CHAT.map((c) => JSON.stringify(c)).join("\n"));
    const args = ["train", "--base", base, "--data", data, "--max-steps", "2", "--validation-split", "0", "--json"];
    const plain = await run(...args, "--out", temp.file("kq-a"));
    const kept = await run(...args, "--out", temp.file("kq-b"), "--keep-quantised");
    expect(kept.code, kept.stderr).toBe(0);
    expect(await readFile(temp.file("kq-b", "adapter.gguf"))).toEqual(
      await readFile(temp.file("kq-a", "adapter.gguf")),
    );
    expect(JSON.parse(kept.stdout).train_loss).toBe(JSON.parse(plain.stdout).train_loss);
  }, 600_000);

  it("--gradient-checkpointing on trains to the same adapter bytes as off (dropout masks replayed)", async () => {
    const base = temp.file("gc.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "q8_0", out: base, seed: 4 });
    const data = temp.file("gc.jsonl");
    await writeFile(data, CHAT.map((c) => JSON.stringify(c)).join("\n"));
    const args = ["train", "--base", base, "--data", data, "--max-steps", "2", "--validation-split", "0", "--json"];
    const off = await run(...args, "--out", temp.file("gc-off"), "--gradient-checkpointing", "off");
    const on = await run(...args, "--out", temp.file("gc-on"), "--gradient-checkpointing", "on");
    expect(on.code, on.stderr).toBe(0);
    expect(JSON.parse(off.stdout).gradient_checkpointing).toBe(false);
    expect(JSON.parse(on.stdout).gradient_checkpointing).toBe(true);
    expect(await readFile(temp.file("gc-on", "adapter.gguf"))).toEqual(
      await readFile(temp.file("gc-off", "adapter.gguf")),
    );
    // auto on a tiny model and short data: no checkpointing needed.
    const auto = await run(...args, "--out", temp.file("gc-auto"));
    expect(JSON.parse(auto.stdout).gradient_checkpointing).toBe(false);
  }, 600_000);
});
