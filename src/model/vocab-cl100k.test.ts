import { getEncoding } from "js-tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelTokenizer } from "../tokenizer/index.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { createModelFileFromShape } from "./create.js";
import { presetShape, type Architecture } from "./presets.js";
import { buildCl100kVocab, CL100K_MINIMUM_VOCAB } from "./vocab-cl100k.js";

// Reference: js-tiktoken's own cl100k_base encoder. llama.cpp tokenizes our GGUF; the ids must agree.
const reference = getEncoding("cl100k_base");
const TEXT =
  "Doctor: Namaste, what brings you in today? Patient: I've had this pet dard since yesterday, doctor... " +
  "it's worse when I cough!\n\nNo burning in urine.  Took Meftal-Spas twice. Ghabrahat? 😟 naïve café ÄÖÜ";

describe("cl100k vocabulary (real-shape presets)", () => {
  const directory = useTempDirectory();
  const tokenizers = new Map<Architecture, ModelTokenizer>();

  beforeAll(async () => {
    for (const arch of ["llama", "qwen2"] as const) {
      // A tiny network with the real vocabulary: only the tokenizer matters here.
      const { llama3RopeScaling: _, ...tiny } = presetShape("tiny", arch);
      const out = directory.file(`${arch}.gguf`);
      await createModelFileFromShape(
        { ...tiny, vocabSize: CL100K_MINIMUM_VOCAB + 5, tokenizer: "cl100k" },
        {
          preset: "tiny",
          out,
        },
      );
      tokenizers.set(arch, await ModelTokenizer.load(out));
    }
  }, 120_000);
  afterAll(async () => {
    for (const tokenizer of tokenizers.values()) await tokenizer.dispose();
  });

  it("llama.cpp with Llama 3's pre-tokenizer splits text exactly as cl100k_base does", () => {
    const tokenizer = tokenizers.get("llama")!;
    const text = `${TEXT} Pain 8/10 for 24 hours, BP 150/95.`;
    const ids = tokenizer.tokenize(text);
    expect(ids).toEqual(reference.encode(text));
    expect(tokenizer.detokenize(ids)).toBe(text);
  });

  it("with Qwen2's pre-tokenizer: the same tokens, except that digits are split one by one (as Qwen2.5 does)", () => {
    const tokenizer = tokenizers.get("qwen2")!;
    expect(tokenizer.tokenize(TEXT)).toEqual(reference.encode(TEXT));
    const digits = tokenizer.tokenize(" 2024");
    expect(digits.map((id) => tokenizer.detokenize([id]))).toEqual([" ", "2", "0", "2", "4"]);
  });

  it("ChatML special tokens follow the 100,256 BPE tokens and are single tokens in a formatted chat", () => {
    const tokenizer = tokenizers.get("qwen2")!;
    const chat = tokenizer.formatChat([
      { role: "system", content: "You are a patient." },
      { role: "user", content: "Hello" },
    ]);
    expect(chat.tokens).toContain(100_257); // <|im_start|>
    expect(chat.tokens).toContain(100_258); // <|im_end|>
    expect(tokenizer.detokenize([100_258], { special: true })).toBe("<|im_end|>");
  });

  it("the real presets of Qwen2.5 and Llama 3 use it; a vocabulary smaller than its tokens is refused", async () => {
    expect(presetShape("qwen2.5-0.5b", "qwen2").tokenizer).toBe("cl100k");
    expect(presetShape("llama-3.2-1b", "llama").tokenizer).toBe("cl100k");
    expect(presetShape("smollm2-135m", "llama").tokenizer).toBeUndefined();
    await expect(buildCl100kVocab(50_000)).rejects.toThrow(/expected an integer >= 100259, found 50000/);
    const vocab = await buildCl100kVocab(151_936);
    expect(vocab.tokens).toHaveLength(151_936);
    expect(vocab.merges).toHaveLength(100_256 - 256);
    expect(vocab.eosId).toBe(100_258);
  });
});
