import { writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLlamaCpp, randomAdapter } from "../../adapters/adapters.test-utils.js";
import { writeAdapterGguf } from "../../adapters/index.js";
import { computePerplexity } from "../../eval/index.js";
import { createModelFile } from "../../model/index.js";
import { runCommand, runJson } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

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

const temp = useTempDirectory("medsim-cli-eval-");
let base: string;
let adapterPath: string;
let dataPath: string;
beforeAll(async () => {
  base = temp.file("base.gguf");
  await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 2, out: base });
  adapterPath = temp.file("adapter.gguf");
  await writeAdapterGguf(randomAdapter(base, { seed: 5 }), adapterPath);
  dataPath = temp.file("data.jsonl");
  await writeFile(
    dataPath,
    CONVERSATIONS.map((c) => JSON.stringify({ ...c, meta: { split: "test" } })).join("\n") + "\n",
  );
});

describe("medsim eval perplexity", () => {
  it("--json reports the library's figure for the JSONL file, with and without the adapter", async () => {
    const report = await runJson(
      "eval perplexity --json",
      "--model",
      base,
      "--adapter",
      adapterPath,
      "--data",
      dataPath,
    );
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

    const plain = JSON.parse((await runCommand("eval perplexity --model", base, "--data", dataPath, "--json")).stdout);
    expect(plain.adapter).toBeNull();
    expect(Math.abs(plain.perplexity - report.perplexity)).toBeGreaterThan(0.01 * plain.perplexity);
  });

  it("names the bad line of the data file in one line", async () => {
    const bad = temp.file("bad.jsonl");
    await writeFile(
      bad,
      `${JSON.stringify(CONVERSATIONS[0])}\n${JSON.stringify({
        messages: [
          { role: "user", content: "hi" },
          { role: "user", content: "again" },
        ],
      })}\n`,
    );
    const result = await runCommand("eval perplexity --model", base, "--data", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^medsim: .*bad\.jsonl: line 2: messages\[1\]\.role: expected "assistant"/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
