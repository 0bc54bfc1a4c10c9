import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { forwardLastLogits, loadModelWeights } from "../../model/index.js";
import { runCommand, runJson } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-cli-model-");

describe("medsim model", () => {
  it("creates, describes and runs a tiny model", async () => {
    const file = temp.file("tiny.gguf");
    const created = await runCommand(
      "model create --arch qwen2 --preset tiny --quant q8_0 --seed 3 --json",
      "--out",
      file,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ path: file, arch: "qwen2", quant: "q8_0", seed: 3 });

    const parsed = await runJson("model info", file, "--json");
    expect(parsed).toMatchObject({
      architecture: "qwen2",
      quantization: "Q8_0",
      chatTemplate: true,
      tiedEmbeddings: true,
      vocabularySize: 512,
    });
    expect(parsed.config).toMatchObject({ embeddingLength: 64, blockCount: 2, headCount: 4, headCountKv: 2 });
    expect(parsed.parameterCount).toBe(JSON.parse(created.stdout).parameterCount);

    const logits = await runCommand("model logits --model", file, "--text", "Where does it hurt?", "--json");
    expect(logits.code).toBe(0);
    const result = JSON.parse(logits.stdout) as { tokens: number[]; logits: number[] };
    expect(result.tokens.length).toBeGreaterThan(2);
    expect(result.logits).toHaveLength(512);
    const reference = await forwardLastLogits(loadModelWeights(file), result.tokens);
    const scale = Math.max(...reference.map(Math.abs));
    expect(Math.max(...result.logits.map((v, i) => Math.abs(v - (reference[i] ?? NaN)))) / scale).toBeLessThan(3e-2);
  });

  it("rejects bad input with one line and a non-zero exit", async () => {
    const corrupt = temp.file("corrupt.gguf");
    await writeFile(corrupt, Buffer.from("GGUF\x03\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff", "latin1"));
    const bad = await runCommand("model info", corrupt, "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      error: { code: "gguf_error", message: expect.stringMatching(/invalid tensor count at offset 8/) },
    });
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/invalid tensor count at offset 8/);

    const missing = await runCommand("model logits --model", temp.file("none.gguf"), "--text", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/file not found/);

    const preset = await runCommand("model create --preset huge --out", temp.file("x.gguf"));
    expect(preset.code).toBe(2);
    const arch = await runCommand("model create --preset tiny --out", temp.file("x.gguf"));
    expect(arch.code).toBe(2);
    expect(arch.stderr).toMatch(/--arch: required/);
    const mismatch = await runCommand("model create --preset qwen2.5-0.5b --arch llama --out", temp.file("x.gguf"));
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/qwen2 model/);
  });
});
