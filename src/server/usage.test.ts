import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaChatSession } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaEngine } from "../engines/index.js";
import { cases, personas } from "../library/index.js";
import { createModelFile } from "../model/index.js";
import { buildSystemPrompt } from "../simulator/index.js";
import type { ServerApp } from "./app.js";
import { temporaryEmbeddedStore, testApp } from "./server.test-utils.js";

// A tiny random-weight GGUF made by the project (no download): its words are gibberish, but its
// tokenizer is a real one, which is all these counts need.
let directory: string;
let modelPath: string;
let app: ServerApp;
let cleanup: () => Promise<void>;
let engine: LlamaEngine;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "medsim-usage-"));
  modelPath = (await createModelFile({ arch: "qwen2", preset: "tiny", out: join(directory, "tiny.gguf"), seed: 3 }))
    .path;
  engine = await LlamaEngine.load({ model: modelPath, contextSize: 4096 });
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  app = (await testApp(temporary.store, { engine })).app;
});

afterAll(async () => {
  await engine?.dispose();
  await cleanup?.();
  await rm(directory, { recursive: true, force: true });
});

/**
 * The reference: node-llama-cpp itself, on a fresh context of its own, answers the question with
 * one token. Its context then holds exactly the prompt it evaluated (system prompt, chat template,
 * question, up to where the reply starts): the one sampled token is not evaluated yet.
 */
async function referencePromptTokens(systemPrompt: string, question: string): Promise<number> {
  const llama = await getLlama();
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 4096, threads: availableParallelism() });
  try {
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt });
    await session.prompt(question, { maxTokens: 1 });
    return sequence.contextTokens.length;
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

describe("chat completion usage with the llama engine", () => {
  it("counts the prompt and the reply with the model's tokenizer, streamed or not", async () => {
    const question = "What brings you in today?";
    const expectedPrompt = await referencePromptTokens(
      buildSystemPrompt(await cases.get("dengue-fever"), await personas.get("calm"), { style: "full" }),
      question,
    );
    const request = (body: Record<string, unknown>) =>
      app.request("/v1/chat/completions", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          model: "patient/dengue-fever/calm",
          messages: [{ role: "user", content: question }],
          max_tokens: 8,
          seed: 1,
          temperature: 0,
          ...body,
        }),
      });

    const response = await request({});
    expect(response.status).toBe(200);
    const completion = (await response.json()) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(completion.usage.prompt_tokens).toBe(expectedPrompt);
    // Not the 4-characters-a-token estimate the scripted engine reports.
    expect(completion.usage.prompt_tokens).not.toBe(Math.ceil(question.length / 4));
    const reply = completion.choices[0]!.message.content;
    const model = await (await getLlama()).loadModel({ modelPath });
    try {
      expect(completion.usage.completion_tokens).toBe(model.tokenize(reply).length);
    } finally {
      await model.dispose();
    }
    expect(completion.usage.total_tokens).toBe(completion.usage.prompt_tokens + completion.usage.completion_tokens);

    const streamed = await request({ stream: true, stream_options: { include_usage: true } });
    const events = (await streamed.text())
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)) as { usage?: { prompt_tokens: number } | null });
    const usageChunk = events.find((event) => event.usage);
    expect(usageChunk?.usage?.prompt_tokens).toBe(expectedPrompt);
  });
});
