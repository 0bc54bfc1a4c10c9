import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forwardLastLogits, loadModelWeights } from "../../model/index.js";
import { runCliInProcess as run } from "../run-in-process.test-utils.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-cli-model-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("medsim model", () => {
  it("creates, describes and runs a tiny model", async () => {
    const file = join(dir, "tiny.gguf");
    const created = await run(
      "model",
      "create",
      "--arch",
      "qwen2",
      "--preset",
      "tiny",
      "--quant",
      "q8_0",
      "--seed",
      "3",
      "--out",
      file,
      "--json",
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ path: file, arch: "qwen2", quant: "q8_0", seed: 3 });

    const info = await run("model", "info", file, "--json");
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.stdout);
    expect(parsed).toMatchObject({
      architecture: "qwen2",
      quantization: "Q8_0",
      chatTemplate: true,
      tiedEmbeddings: true,
      vocabularySize: 512,
    });
    expect(parsed.config).toMatchObject({ embeddingLength: 64, blockCount: 2, headCount: 4, headCountKv: 2 });
    expect(parsed.parameterCount).toBe(JSON.parse(created.stdout).parameterCount);

    const logits = await run("model", "logits", "--model", file, "--text", "Where does it hurt?", "--json");
    expect(logits.code).toBe(0);
    const result = JSON.parse(logits.stdout) as { tokens: number[]; logits: number[] };
    expect(result.tokens.length).toBeGreaterThan(2);
    expect(result.logits).toHaveLength(512);
    const reference = await forwardLastLogits(loadModelWeights(file), result.tokens);
    const scale = Math.max(...reference.map(Math.abs));
    expect(Math.max(...result.logits.map((v, i) => Math.abs(v - (reference[i] ?? NaN)))) / scale).toBeLessThan(3e-2);
  });

  it("rejects bad input with one line and a non-zero exit", async () => {
    const corrupt = join(dir, "corrupt.gguf");
    await writeFile(corrupt, Buffer.from("GGUF\x03\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff", "latin1"));
    const bad = await run("model", "info", corrupt, "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      error: { code: "gguf_error", message: expect.stringMatching(/invalid tensor count at offset 8/) },
    });
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/invalid tensor count at offset 8/);

    const missing = await run("model", "logits", "--model", join(dir, "none.gguf"), "--text", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/file not found/);

    const preset = await run("model", "create", "--preset", "huge", "--out", join(dir, "x.gguf"));
    expect(preset.code).toBe(2);
    const arch = await run("model", "create", "--preset", "tiny", "--out", join(dir, "x.gguf"));
    expect(arch.code).toBe(2);
    expect(arch.stderr).toMatch(/--arch: required/);
    const mismatch = await run(
      "model",
      "create",
      "--preset",
      "qwen2.5-0.5b",
      "--arch",
      "llama",
      "--out",
      join(dir, "x.gguf"),
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/qwen2 model/);
  });
});
