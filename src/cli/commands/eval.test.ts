import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLlamaCpp, randomAdapter } from "../../adapters/adapters.test-utils.js";
import { writeAdapterGguf } from "../../adapters/index.js";
import { computePerplexity } from "../../eval/index.js";
import { createModelFile } from "../../model/index.js";
import { runCliInProcess as run } from "../run-in-process.test-utils.js";

const CONVERSATIONS = [
  {
    messages: [
      { role: "user" as const, content: "Where is the pain?" },
      { role: "assistant" as const, content: "Right here, low on the right side." },
    ],
  },
  {
    messages: [
      { role: "system" as const, content: "You are a patient." },
      { role: "user" as const, content: "Any fever?" },
      { role: "assistant" as const, content: "A little, since last night." },
    ],
  },
];

let dir: string;
let base: string;
let adapterPath: string;
let dataPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-cli-eval-"));
  base = join(dir, "base.gguf");
  await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 2, out: base });
  adapterPath = join(dir, "adapter.gguf");
  await writeAdapterGguf(randomAdapter(base, { seed: 5 }), adapterPath);
  dataPath = join(dir, "data.jsonl");
  await writeFile(
    dataPath,
    CONVERSATIONS.map((c) => JSON.stringify({ ...c, meta: { split: "test" } })).join("\n") + "\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("medsim eval perplexity", () => {
  it("--json reports the library's figure for the JSONL file, with and without the adapter", async () => {
    const withAdapter = await run(
      "eval",
      "perplexity",
      "--model",
      base,
      "--adapter",
      adapterPath,
      "--data",
      dataPath,
      "--json",
    );
    expect(withAdapter.stderr).toBe("");
    expect(withAdapter.code).toBe(0);
    const report = JSON.parse(withAdapter.stdout);
    const expected = await computePerplexity({
      model: base,
      adapters: [adapterPath],
      conversations: CONVERSATIONS,
      llama: await loadLlamaCpp(),
    });
    expect(report).toMatchObject({
      model: base,
      adapter: adapterPath,
      data: dataPath,
      conversations: 2,
      tokens: expected.tokens,
      truncatedConversations: 0,
    });
    expect(report.perplexity).toBeCloseTo(expected.perplexity, 6);

    const plain = JSON.parse((await run("eval", "perplexity", "--model", base, "--data", dataPath, "--json")).stdout);
    expect(plain.adapter).toBeNull();
    expect(Math.abs(plain.perplexity - report.perplexity)).toBeGreaterThan(0.01 * plain.perplexity);
  });

  it("names the bad line of the data file in one line", async () => {
    const bad = join(dir, "bad.jsonl");
    await writeFile(
      bad,
      `${JSON.stringify(CONVERSATIONS[0])}\n${JSON.stringify({
        messages: [
          { role: "user", content: "hi" },
          { role: "user", content: "again" },
        ],
      })}\n`,
    );
    const result = await run("eval", "perplexity", "--model", base, "--data", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^medsim: .*bad\.jsonl: line 2: messages\[1\]\.role: expected "assistant"/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
