/**
 * A training job from files on the onnxruntime compute: interrupted (as Ctrl-C does) and resumed,
 * it writes the same adapter.gguf bytes as an uninterrupted run.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelFile } from "../model/index.js";
import { resolveTrainConfig } from "./config.js";
import { trainFromConfig } from "./run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-train-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHAT = [
  "Where does it hurt?|In my chest, doctor.",
  "Since when?|Two days now.",
  "Any fever?|A little, at night.",
  "Do you smoke?|No, never.",
  "Any cough?|Yes, a dry one.",
].map((pair) => {
  const [q, a] = pair.split("|");
  return {
    messages: [
      { role: "user", content: q },
      { role: "assistant", content: a },
    ],
  };
});

describe("training job", () => {
  it("interrupted and resumed gives the same adapter bytes as an uninterrupted run", async () => {
    const base = join(dir, "tiny.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", out: base, seed: 4 });
    const data = join(dir, "d.jsonl");
    await writeFile(data, CHAT.map((c) => JSON.stringify(c)).join("\n"));
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

    const whole = await trainFromConfig(config(join(dir, "a")));
    const controller = new AbortController();
    const cut = await trainFromConfig(config(join(dir, "b")), {
      signal: controller.signal,
      onProgress: (p) => p.step === 3 && controller.abort(),
    });
    expect(cut.stopped).toBe("interrupted");
    expect(cut.steps).toBe(3);
    const resumed = await trainFromConfig(config(join(dir, "b")), { resume: true });
    expect(resumed.steps).toBe(6);
    expect(resumed.stopped).toBe("completed");
    expect(await readFile(join(dir, "b", "adapter.gguf"))).toEqual(await readFile(whole.paths.adapter as string));
    expect(resumed.eval_loss).toBe(whole.eval_loss);
  }, 300_000); // ~20 s alone, over a minute when the machine is shared
});
