import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelFile, loadModelWeights } from "../../model/index.js";
import { runCliInProcess as run } from "../run-in-process.test-utils.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-cli-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHAT = [
  { messages: [{ role: "user", content: "Where does it hurt?" }, { role: "assistant", content: "In my chest, doctor." }] },
  { messages: [{ role: "user", content: "Since when?" }, { role: "assistant", content: "Two days now." }] },
  { messages: [{ role: "user", content: "Any fever?" }, { role: "assistant", content: "A little, at night." }] },
];

describe("medsim train", () => {
  it("trains from a config file with flags overriding it, then resumes to more steps", async () => {
    const base = join(dir, "tiny.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", out: base, seed: 2 });
    const data = join(dir, "d.jsonl");
    await writeFile(data, CHAT.map((c) => JSON.stringify(c)).join("\n"));
    const config = join(dir, "c.json");
    await writeFile(config, JSON.stringify({ base, data, maxSteps: 50, learningRate: 0.01, validationSplit: 0 }));
    const out = join(dir, "run");
    const first = await run("train", "--config", config, "--out", out, "--max-steps", "3", "--json");
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ steps: 3, total_steps: 3, stopped: "completed", paths: { adapter: join(out, "adapter.gguf"), peft: join(out, "peft") } });
    expect(summary.peak_rss_mb).toBeGreaterThan(0);
    expect((await readFile(join(out, "metrics.jsonl"), "utf8")).length).toBeGreaterThan(0);

    const changed = await run("train", "--config", config, "--out", out, "--max-steps", "3", "--lr", "0.5", "--resume", "--json");
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/^medsim: .*checkpoint\.bin: was written with different settings/);
  });

  it("full fine-tuning writes a model GGUF with changed weights", async () => {
    const base = join(dir, "tiny.gguf");
    const out = join(dir, "full");
    const r = await run("train", "--base", base, "--data", join(dir, "d.jsonl"), "--out", out, "--mode", "full", "--max-steps", "2", "--lr", "0.01", "--validation-split", "0", "--json");
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.paths.model).toBe(join(out, "model.gguf"));
    const before = loadModelWeights(base);
    const after = loadModelWeights(summary.paths.model);
    expect(after.config).toEqual(before.config);
    expect(after.blocks[0]?.wq.data).not.toEqual(before.blocks[0]?.wq.data);
    expect(after.outputNorm).not.toEqual(before.outputNorm);
  });

  it("reports bad input in one line", async () => {
    const missing = await run("train", "--base", join(dir, "none.gguf"), "--data", join(dir, "none.jsonl"), "--out", join(dir, "x"));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    const bad = await run("train", "--out", join(dir, "x"), "--lora-r", "0");
    expect(bad.code).toBe(2);
  });

  it("bench train prints throughput as JSON", async () => {
    const r = await run("bench", "train", "--preset", "tiny", "--batch", "1", "--seq", "16", "--steps", "1", "--lora-r", "2", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ preset: "tiny", batch: 1, seq: 16, steps: 1, lora_r: 2, backend: "onnxruntime" });
  });
});
