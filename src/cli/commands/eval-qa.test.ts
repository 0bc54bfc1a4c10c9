import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { createModelFile } from "../../model/index.js";
import { generateQaPairs } from "../../synth/index.js";
import { randomAdapter } from "../../adapters/adapters.test-utils.js";
import { writeAdapterGguf } from "../../adapters/index.js";
import { runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-cli-eval-qa-");

describe("medsim eval qa", () => {
  it("answers with llama.cpp, base and adapter, and scores both in one table", { timeout: 300_000 }, async () => {
    const base = temp.file("base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 2, out: base });
    const adapter = temp.file("adapter.gguf");
    await writeAdapterGguf(randomAdapter(base, { seed: 5 }), adapter);
    const samples = await generateQaPairs(await loadKnowledgeBase(), { perDisease: 1, seed: 4 });
    const data = temp.file("qa-test.jsonl");
    await writeFile(
      data,
      samples.map((s) => JSON.stringify({ input_text: s.input_text, output_text: s.output_text })).join("\n") + "\n",
    );
    const result = await runCommand(
      "eval qa --limit 2 --max-tokens 12 --json",
      "--model",
      base,
      "--adapter",
      adapter,
      "--data",
      data,
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.models.map((m: { label: string }) => m.label)).toEqual(["fine-tuned", "base"]);
    for (const model of json.models) {
      expect(model.count).toBe(2);
      expect(model.rouge.rougeL.f1).toBeGreaterThanOrEqual(0);
      expect(model.rouge.rougeL.f1).toBeLessThan(0.5); // random weights do not write the answer
      expect(model.structure_compliance).toBe(0);
    }
    const bad = await runCommand("eval qa --model", base, "--data", temp.file("missing.jsonl"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/missing\.jsonl/);
  });
});
