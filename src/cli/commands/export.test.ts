import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { randomAdapter } from "../../adapters/adapters.test-utils.js";
import { readAdapterGguf, writeAdapterGguf, type LoraAdapter } from "../../adapters/index.js";
import { GgmlType, GgufFile } from "../../gguf/index.js";
import { cases, personas } from "../../library/index.js";
import { createModelFile } from "../../model/index.js";
import { buildSystemPrompt } from "../../simulator/index.js";
import { runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-cli-export-");
let base: string;
let adapterPath: string;
let adapter: LoraAdapter;
/** `medsim export` of the test's base model and adapter into `out`, with the flags in `line`. */
const exportAdapter = (line: string, out: string) =>
  runCommand(line, "--base", base, "--adapter", adapterPath, "--out", out);

beforeAll(async () => {
  base = temp.file("base.gguf");
  await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 4, out: base });
  adapter = randomAdapter(base, { rank: 4, alpha: 8, seed: 3 });
  adapterPath = temp.file("adapter.gguf");
  await writeAdapterGguf(adapter, adapterPath);
});

describe("medsim export", () => {
  it("writes the adapter and a Modelfile with the persona's system prompt", async () => {
    const out = temp.file("ollama-adapter");
    const result = await exportAdapter("export --persona anxious --case acute-appendicitis --json", out);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      merged: false,
      from: resolve(base),
      adapter: join(out, "adapter.gguf"),
      modelfile: join(out, "Modelfile"),
    });
    const text = await readFile(join(out, "Modelfile"), "utf8");
    const system = buildSystemPrompt(await cases.get("acute-appendicitis"), await personas.get("anxious"));
    expect(text.startsWith(`FROM ${resolve(base)}\nADAPTER ./adapter.gguf\nTEMPLATE """`)).toBe(true);
    expect(text).toContain(`SYSTEM """${system}"""\n`);
    expect(text).toContain('PARAMETER stop "<|im_end|>"\n');
    expect(text).toMatch(/PARAMETER num_ctx \d+\n/);
    expect(readAdapterGguf(join(out, "adapter.gguf")).tensors).toHaveLength(adapter.tensors.length);
  });

  it("--merge --quant q8_0 writes a merged Q8_0 model.gguf referenced by FROM", async () => {
    const out = temp.file("ollama-merged");
    const result = await exportAdapter("export --merge --quant q8_0 --temperature 0.5", out);
    expect(result.code).toBe(0);
    const text = await readFile(join(out, "Modelfile"), "utf8");
    expect(text).toMatch(/^FROM \.\/model\.gguf\n/);
    expect(text).not.toContain("ADAPTER");
    expect(text).not.toContain("SYSTEM");
    expect(text).toContain("PARAMETER temperature 0.5\n");
    const file = GgufFile.open(join(out, "model.gguf"));
    try {
      expect(file.tensor("blk.0.attn_q.weight")?.type).toBe(GgmlType.Q8_0);
    } finally {
      file.close();
    }
    expect((await stat(join(out, "model.gguf"))).size).toBeGreaterThan(0);
  });

  it("reports misuse in one line", async () => {
    const onlyPersona = await runCommand("export --base", base, "--out", temp.file("x"), "--persona", "anxious");
    expect(onlyPersona.code).toBe(2);
    expect(onlyPersona.stderr).toMatch(/--persona and --case/);
    const quantNoMerge = await exportAdapter("export --quant q8_0", temp.file("x"));
    expect(quantNoMerge.code).toBe(2);
    const other = temp.file("qwen.gguf");
    await createModelFile({ arch: "qwen2", preset: "tiny", quant: "f32", seed: 1, out: other });
    const mismatch = await runCommand("export --base", other, "--adapter", adapterPath, "--out", temp.file("x"));
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr.trim().split("\n")).toHaveLength(1);
    expect(mismatch.stderr).toMatch(/medsim: adapter architecture "llama" does not match/);
  });
});

describe("medsim adapter", () => {
  it("export-peft then import-peft gives back the adapter; info describes it", async () => {
    const peft = temp.file("peft");
    const exported = await runCommand(
      "adapter export-peft --base-model-name HuggingFaceTB/SmolLM2-135M --json",
      adapterPath,
      "--base",
      base,
      "--out",
      peft,
    );
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    const config = JSON.parse(await readFile(join(peft, "adapter_config.json"), "utf8"));
    expect(config).toMatchObject({ r: 4, lora_alpha: 8, base_model_name_or_path: "HuggingFaceTB/SmolLM2-135M" });

    const back = temp.file("back.gguf");
    const imported = await runCommand("adapter import-peft", peft, "--base", base, "--out", back, "--json");
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rank: 4, alpha: 8, tensors: adapter.tensors.length });
    const read = readAdapterGguf(back);
    for (const [i, pair] of adapter.tensors.entries()) {
      expect(read.tensors[i]?.target).toBe(pair.target);
      expect([...(read.tensors[i]?.b ?? [])]).toEqual([...pair.b]);
    }

    const info = await runCommand("adapter info", back, "--json");
    expect(JSON.parse(info.stdout)).toMatchObject({
      architecture: "llama",
      rank: 4,
      alpha: 8,
      scale: 2,
      modules: ["attn_k", "attn_output", "attn_q", "attn_v", "ffn_down", "ffn_gate", "ffn_up"],
    });

    const missing = await runCommand("adapter import-peft", temp.file("nope"), "--base", base, "--out", back);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/adapter_config\.json: file not found/);
  });
});
