import { availableParallelism } from "node:os";
import { getLlama, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelFile } from "../model/index.js";
import { ModelTokenizer } from "./index.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-tok-");
let path: string;
let tokenizer: ModelTokenizer;
beforeAll(async () => {
  path = temp.file("tiny.gguf");
  await createModelFile({ arch: "qwen2", preset: "tiny", out: path });
  tokenizer = await ModelTokenizer.load(path);
});
afterAll(async () => {
  await tokenizer.dispose();
});

describe("ModelTokenizer", () => {
  it("tokenizes and detokenizes like the full model", async () => {
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const full = await llama.loadModel({ modelPath: path });
    try {
      for (const text of ["Where does it hurt?", "  ümlaut 123 <|im_end|>\n"]) {
        expect(tokenizer.tokenize(text)).toEqual(full.tokenize(text));
        expect(tokenizer.tokenize(text, { special: true })).toEqual(full.tokenize(text, true));
        expect(tokenizer.detokenize(tokenizer.tokenize(text))).toBe(text);
      }
      expect(tokenizer.tokenize("<|im_end|>", { special: true })).toEqual([2]);
    } finally {
      await full.dispose();
    }
  });

  it("formats chats with the model's ChatML template, as a chat session does", async () => {
    expect(tokenizer.chatWrapperName).toBe("ChatML");
    const { text, tokens } = tokenizer.formatChat([
      { role: "system", content: "You are a patient." },
      { role: "user", content: "Hello" },
    ]);
    expect(text).toContain(
      "<|im_start|>system\nYou are a patient.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(tokenizer.detokenize(tokens, { special: true })).toContain("<|im_start|>assistant\n");
    // A LlamaChatSession over the same file resolves the same wrapper.
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path });
    const context = await model.createContext({ contextSize: 256, threads: availableParallelism() });
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    expect(session.chatWrapper.wrapperName).toBe(tokenizer.chatWrapperName);
    await context.dispose();
    await model.dispose();
  });

  it("masks exactly the assistant replies and their end-of-turn tokens in training examples", () => {
    const example = tokenizer.trainingExample([
      { role: "system", content: "You are a patient." },
      { role: "user", content: "Where does it hurt?" },
      { role: "assistant", content: "In my chest." },
      { role: "user", content: "Since when?" },
      { role: "assistant", content: "Two hours." },
    ]);
    expect(example.tokens.length).toBe(example.targetMask.length);
    const spans: string[] = [];
    let current: number[] = [];
    example.tokens.forEach((token, i) => {
      if (example.targetMask[i]) current.push(token);
      else if (current.length > 0) {
        spans.push(tokenizer.detokenize(current, { special: true }));
        current = [];
      }
    });
    if (current.length > 0) spans.push(tokenizer.detokenize(current, { special: true }));
    expect(spans).toEqual(["In my chest.<|im_end|>", "Two hours.<|im_end|>"]);
    expect(() => tokenizer.trainingExample([{ role: "user", content: "x" }])).toThrow(/last message/);
  });
});
