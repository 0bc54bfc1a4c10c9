import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaChatSession, type Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GgufFile } from "../gguf/index.js";
import { createModelFile } from "./index.js";

let dir: string;
let llama: Llama;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-create-"));
  llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createModelFile", () => {
  for (const arch of ["qwen2", "llama", "gemma"] as const) {
    it(`writes a tiny ${arch} model that node-llama-cpp loads and chats with`, async () => {
      const out = join(dir, `tiny-${arch}.gguf`);
      const { path, parameterCount } = await createModelFile({ arch, preset: "tiny", out });
      expect(path).toBe(out);
      const file = GgufFile.open(out);
      try {
        expect(file.getString("general.architecture")).toBe(arch);
        const counted = file.tensors.reduce((sum, t) => sum + t.elementCount, 0);
        expect(parameterCount).toBe(counted);
        expect(file.getString("tokenizer.chat_template")).toContain("<|im_start|>");
        expect(file.tensor("output.weight") !== undefined).toBe(arch === "llama");
        expect(file.tensor("blk.0.attn_q.bias") !== undefined).toBe(arch === "qwen2");
      } finally {
        file.close();
      }
      const model = await llama.loadModel({ modelPath: out });
      try {
        const context = await model.createContext({ contextSize: 256, threads: availableParallelism() });
        const session = new LlamaChatSession({ contextSequence: context.getSequence() });
        expect(session.chatWrapper.wrapperName).toBe("ChatML");
        const tokens: number[] = [];
        const answer = await session.prompt("Where does it hurt?", { maxTokens: 6, onToken: (t) => tokens.push(...t) });
        expect(typeof answer).toBe("string");
        expect(tokens.length).toBeGreaterThan(0);
        // The tokenizer is a real BPE: a common word becomes fewer tokens than its bytes.
        expect(model.tokenize("the patient").length).toBeLessThan("the patient".length);
        expect(model.detokenize(model.tokenize("the patient"))).toBe("the patient");
        await context.dispose();
      } finally {
        await model.dispose();
      }
    });
  }

  it("is deterministic for a seed and different across seeds", async () => {
    const read = async (seed: number, name: string): Promise<Float32Array> => {
      const out = join(dir, name);
      await createModelFile({ arch: "qwen2", preset: "tiny", seed, out, quant: "f16" });
      const file = GgufFile.open(out);
      try {
        return file.readTensor("blk.1.ffn_up.weight");
      } finally {
        file.close();
      }
    };
    const a = await read(7, "a.gguf");
    const b = await read(7, "b.gguf");
    const c = await read(8, "c.gguf");
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("rejects an architecture a real preset does not have", async () => {
    await expect(createModelFile({ arch: "qwen2", preset: "smollm2-135m", out: join(dir, "x.gguf") })).rejects.toThrow(
      /llama model/,
    );
  });
});
