/**
 * End to end, small: a tiny random base model made by the model factory, persona dialogues from
 * the offline synthesiser, `trainFromConfig` for 300 steps, then perplexity on held-out
 * dialogues measured by llama.cpp (node-llama-cpp) loading the written `adapter.gguf`: clearly
 * lower with the adapter than without. Also checks the PEFT export was written.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChatRecord } from "../datasets/index.js";
import { computePerplexity } from "../eval/index.js";
import { loadKnowledgeBase } from "../knowledge/index.js";
import { personas } from "../library/index.js";
import { createModelFile } from "../model/index.js";
import { generateCaseSet, synthesizeDialogues } from "../synth/index.js";
import { resolveTrainConfig } from "./config.js";
import { trainFromConfig } from "./run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-train-e2e-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("train end to end", () => {
  it("an adapter trained on persona dialogues lowers llama.cpp's held-out perplexity", { timeout: 240_000 }, async () => {
    const base = join(dir, "base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 1, out: base });
    const kb = await loadKnowledgeBase();
    const persona = await personas.get("anxious");
    const cases = generateCaseSet(kb, [persona], { perDisease: 2, diseases: kb.diseases.slice(0, 8).map((d) => d.id) });
    const { dialogues } = await synthesizeDialogues({ cases, personas: [persona], count: 48, seed: 3, minTurns: 2, maxTurns: 2 });
    // The tiny model's byte-level vocabulary makes the long persona system prompt ~2000 tokens: train on the turns.
    const chats = dialogues.map((d) => ({ messages: toChatRecord(d).messages.filter((m) => m.role !== "system") }));
    const heldOut = chats.slice(0, 8);
    const trainPath = join(dir, "train.jsonl");
    await writeFile(trainPath, chats.slice(8).map((c) => JSON.stringify(c)).join("\n"));
    const out = join(dir, "run");
    const config = resolveTrainConfig({}, { base, data: trainPath, out, maxSteps: 300, learningRate: 3e-3, batchSize: 2, maxLength: 512, validationSplit: 0.1, evalSteps: 100, saveSteps: 100, warmupRatio: 0.05, lora: { r: 8, alpha: 16, dropout: 0 } });
    const summary = await trainFromConfig(config);
    expect(summary.steps).toBe(300);
    expect(summary.truncation.dropped).toBe(0);
    expect(summary.paths.adapter).toBeDefined();
    expect((await stat(join(out, "peft", "adapter_model.safetensors"))).size).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(out, "peft", "adapter_config.json"), "utf8"))).toMatchObject({ r: 8, lora_alpha: 16 });
    expect((await readFile(join(out, "metrics.jsonl"), "utf8")).trim().split("\n").length).toBeGreaterThan(2);

    const without = await computePerplexity({ model: base, conversations: heldOut });
    const withAdapter = await computePerplexity({ model: base, adapters: [summary.paths.adapter as string], conversations: heldOut });
    expect(withAdapter.tokens).toBe(without.tokens);
    // Random tiny base: perplexity near its vocabulary size (measured 943); with the adapter ~11.
    expect(withAdapter.perplexity).toBeLessThan(without.perplexity * 0.1);
  });
});
