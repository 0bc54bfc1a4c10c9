import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Llama } from "node-llama-cpp";
import { loadLlamaCpp, randomAdapter } from "../adapters/adapters.test-utils.js";
import { applyAdapterToWeights, writeAdapterGguf } from "../adapters/index.js";
import { createReferenceBackend, rmsNorm, roundActivations } from "../backend/index.js";
import { createModelFile, forwardHidden, loadModelWeights, type ModelWeights } from "../model/index.js";
import type { ChatMessage } from "../domain/index.js";
import { ModelTokenizer } from "../tokenizer/index.js";
import { computePerplexity } from "./perplexity.js";

const CONVERSATIONS: { messages: ChatMessage[] }[] = [
  {
    messages: [
      { role: "system", content: "You are Mr Ali, 54, with chest pain." },
      { role: "user", content: "What brings you in today?" },
      { role: "assistant", content: "My chest hurts, doctor. It started this morning." },
      { role: "user", content: "Does it spread anywhere?" },
      { role: "assistant", content: "Yes, to my left arm." },
    ],
  },
  {
    messages: [
      { role: "user", content: "Any fever?" },
      { role: "assistant", content: "No fever, just a cough for two weeks." },
    ],
  },
];

let dir: string;
let base: string;
let adapterPath: string;
let weights: ModelWeights;
let merged: ModelWeights;
let llama: Llama;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-eval-"));
  base = join(dir, "base.gguf");
  await createModelFile({ arch: "qwen2", preset: "tiny", quant: "f32", seed: 13, out: base });
  const adapter = randomAdapter(base, { rank: 4, alpha: 8, seed: 17 });
  adapterPath = join(dir, "adapter.gguf");
  await writeAdapterGguf(adapter, adapterPath);
  weights = loadModelWeights(base);
  merged = applyAdapterToWeights(weights, adapter);
  llama = await loadLlamaCpp();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** exp(mean NLL) of the assistant tokens, by hand, from this project's own forward pass. */
async function perplexityByHand(model: ModelWeights): Promise<{ perplexity: number; tokens: number }> {
  const tokenizer = await ModelTokenizer.load(base, { llama });
  try {
    let nll = 0;
    let count = 0;
    const backend = createReferenceBackend();
    const c = model.config;
    for (const { messages } of CONVERSATIONS) {
      const { tokens, targetMask } = tokenizer.trainingExample(messages);
      // All positions' logits from one causal forward pass: row t predicts token t + 1.
      const hidden = await forwardHidden(model, tokens, backend);
      const normed = roundActivations(
        rmsNorm(hidden, tokens.length, c.embeddingLength, model.outputNorm, c.rmsEpsilon),
        c.embeddingLength,
        model.output.activationRounding,
      );
      const logits = await backend.matmul(normed, model.output.data, {
        m: tokens.length,
        k: c.embeddingLength,
        n: c.vocabSize,
        transB: true,
      });
      for (let t = 1; t < tokens.length; t++) {
        if (!targetMask[t]) continue;
        const row = logits.subarray((t - 1) * c.vocabSize, t * c.vocabSize);
        let max = -Infinity;
        for (const v of row) max = Math.max(max, v);
        let sum = 0;
        for (const v of row) sum += Math.exp(v - max);
        nll -= (row[tokens[t]!] ?? Number.NaN) - max - Math.log(sum);
        count++;
      }
    }
    return { perplexity: Math.exp(nll / count), tokens: count };
  } finally {
    await tokenizer.dispose();
  }
}

describe("perplexity by llama.cpp", () => {
  it("equals exp(mean NLL) computed by hand from the project's forward pass, without and with the adapter", async () => {
    const plain = await computePerplexity({ model: base, conversations: CONVERSATIONS, llama });
    const expectedPlain = await perplexityByHand(weights);
    expect(plain.tokens).toBe(expectedPlain.tokens);
    expect(plain.tokens).toBeGreaterThan(20);
    expect(Math.abs(plain.perplexity - expectedPlain.perplexity) / expectedPlain.perplexity).toBeLessThan(1e-3);

    const adapted = await computePerplexity({
      model: base,
      adapters: [adapterPath],
      conversations: CONVERSATIONS,
      llama,
    });
    const expectedAdapted = await perplexityByHand(merged);
    expect(Math.abs(adapted.perplexity - expectedAdapted.perplexity) / expectedAdapted.perplexity).toBeLessThan(1e-3);
    expect(Math.abs(adapted.perplexity - plain.perplexity) / plain.perplexity).toBeGreaterThan(0.05);
    expect(adapted.perConversation.map((c) => c.tokens)).toEqual(plain.perConversation.map((c) => c.tokens));
  });
});
