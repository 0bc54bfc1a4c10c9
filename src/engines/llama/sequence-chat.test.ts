import { availableParallelism } from "node:os";
import {
  getLlama,
  LlamaChatSession,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaContext,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { createModelFile } from "../../model/index.js";
import { buildSystemPrompt } from "../../simulator/index.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";
import { SequenceChat, type SequenceReplyOptions } from "./sequence-chat.js";

// A tiny random-weight model made by the project's own GGUF writer (ChatML template, a real
// byte-level tokenizer): its words are gibberish, so these tests compare tokens and texts with
// what node-llama-cpp's own LlamaChatSession makes of the same history.
const temp = useTempDirectory("medsim-sequence-chat-");
let model: LlamaModel;
let chatWrapper: ChatWrapper;
const contexts: LlamaContext[] = [];
let systemPrompt: string;

beforeAll(async () => {
  const path = (await createModelFile({ arch: "qwen2", preset: "tiny", out: temp.file("tiny.gguf"), seed: 3 })).path;
  model = await (await getLlama({ gpu: false, build: "never" })).loadModel({ modelPath: path });
  chatWrapper = resolveChatWrapper(model);
  systemPrompt = buildSystemPrompt(await cases.get("dengue-fever"), await personas.get("calm"));
});

afterAll(async () => {
  for (const context of contexts) await context.dispose();
  await model?.dispose();
});

async function newSequence(contextSize = 4096) {
  const context = await model.createContext({ contextSize, threads: availableParallelism() });
  contexts.push(context);
  return context.getSequence();
}

/** The reference: node-llama-cpp renders the whole history and tokenizes it from scratch. */
function fullRender(history: readonly ChatHistoryItem[]): Token[] {
  return chatWrapper
    .generateContextState({ chatHistory: [...history, { type: "model", response: [] }] })
    .contextText.tokenize(model.tokenizer);
}

const questions = [
  "When did the fever start?",
  "Any rash or bleeding from the gums?",
  "Do you take any medicines? 🙂 Café crème?",
  "Has anyone at home been ill?",
];

async function generate(
  chat: SequenceChat,
  history: readonly ChatHistoryItem[],
  options: Partial<SequenceReplyOptions>,
) {
  let text = "";
  const tokens = await chat.reply(chat.renderReply(history, 16), {
    maxTokens: 8,
    temperature: 0,
    ...options,
    onText: (chunk) => (text += chunk),
  });
  return { text, tokens };
}

describe("SequenceChat: incremental turns on a context sequence", () => {
  it("renders each turn as the full render does, tokenizing only the new messages, and keeps the sequence equal to it", async () => {
    const sequence = await newSequence();
    // Counts what reaches the model's tokenizer: the system prompt once, then only new texts.
    const tokenized: string[] = [];
    const tokenizer = model.tokenizer;
    const counting = new Proxy(model, {
      get: (target, property) =>
        property === "tokenizer"
          ? Object.assign((text: string, ...rest: unknown[]) => {
              tokenized.push(text);
              return (tokenizer as (...args: unknown[]) => Token[])(text, ...rest);
            }, tokenizer)
          : (Reflect.get(target, property) as unknown),
    });
    const chat = new SequenceChat(sequence, counting, chatWrapper);
    const history: ChatHistoryItem[] = [{ type: "system", text: systemPrompt }];
    await chat.evaluate(chat.renderUpToNextUserText(history));
    const prefix = [...sequence.contextTokens];
    expect(prefix).toEqual(fullRender([...history, { type: "user", text: "Hello" }]).slice(0, prefix.length));

    for (const [turn, question] of questions.entries()) {
      history.push({ type: "user", text: question });
      tokenized.length = 0;
      const rendered = chat.renderReply(history, 16);
      // Only the question and short template texts reach the tokenizer, never the system prompt again.
      expect(tokenized.join("").length).toBeLessThan(question.length + 100);
      expect(rendered.tokens).toEqual(fullRender(history));
      const inputBefore = sequence.tokenMeter.usedInputTokens;
      let text = "";
      await chat.reply(rendered, { maxTokens: 6, temperature: 0, onText: (chunk) => (text += chunk) });
      expect(text.length).toBeGreaterThan(0);
      // The sequence holds the full render: its old tokens kept, the new ones evaluated once.
      expect(sequence.contextTokens.slice(0, rendered.tokens.length)).toEqual(rendered.tokens);
      expect(sequence.tokenMeter.usedInputTokens - inputBefore).toBeLessThan(60);
      // The simulator keeps its own text (a cut or replaced reply), and on the third turn an
      // earlier reply is edited: the sequence re-evaluates from the first changed token.
      history.push({ type: "model", response: [turn % 2 === 0 ? text : "It began three days ago, doctor."] });
      if (turn === 2) history[2] = { type: "model", response: ["No, doctor, not that I know of."] };
      const ahead = chat.renderUpToNextUserText(history);
      await chat.evaluate(ahead);
      expect([...sequence.contextTokens]).toEqual(ahead);
      expect(ahead).toEqual(fullRender([...history, { type: "user", text: "Hello" }]).slice(0, ahead.length));
      expect(ahead.slice(0, prefix.length)).toEqual(prefix);
    }
  }, 180_000);

  it("replies as LlamaChatSession does for the same history, greedy or seeded, with or without a grammar", async () => {
    const history: ChatHistoryItem[] = [
      { type: "system", text: "You are Ravi, 34, with a fever for three days. Answer the doctor briefly." },
      { type: "user", text: "What brings you in today?" },
      { type: "model", response: ["I have had a high fever for three days."] },
      { type: "user", text: "Any pain behind the eyes?" },
    ];
    const grammar = await model.llama.createGrammarForJsonSchema({
      type: "object",
      properties: { answer: { enum: ["yes", "no"] } },
      required: ["answer"],
    });
    const settings = [
      { temperature: 0, maxTokens: 12 },
      { temperature: 0.8, seed: 7, maxTokens: 12 },
      { temperature: 0.7, seed: 2, maxTokens: 40, grammar },
    ];
    for (const setting of settings) {
      const sequence = await newSequence(1024);
      const chat = new SequenceChat(sequence, model, chatWrapper);
      const ours = await generate(chat, history, setting);

      const session = new LlamaChatSession({
        contextSequence: await newSequence(1024),
        chatWrapper,
        autoDisposeSequence: false,
      });
      session.setChatHistory(history.slice(0, -1));
      const theirs = await session.prompt((history.at(-1) as { text: string }).text, setting);
      session.dispose();
      for (const context of contexts.splice(0)) await context.dispose();
      expect(ours.text).toBe(theirs);
      expect(ours.text.length).toBeGreaterThan(0);
      if (setting.grammar) expect(["yes", "no"]).toContain((JSON.parse(ours.text) as { answer: string }).answer);
    }
  }, 180_000);

  it("leaves out the oldest turns when the context is full, keeping the system prompt", async () => {
    const sequence = await newSequence(256);
    const chat = new SequenceChat(sequence, model, chatWrapper);
    const history: ChatHistoryItem[] = [{ type: "system", text: "You are a patient with a fever." }];
    const prefix = chat.renderUpToNextUserText(history);
    await chat.evaluate(prefix);
    let dropped = 0;
    for (let turn = 0; turn < 8; turn++) {
      history.push({ type: "user", text: `${questions[turn % questions.length]} (question ${turn + 1})` });
      const rendered = chat.renderReply(history, 8);
      expect(rendered.tokens.length + 8).toBeLessThan(256);
      dropped = rendered.droppedItems;
      const generated = await chat.reply(rendered, { maxTokens: 8, temperature: 0, onText: () => undefined });
      expect(generated.length).toBeGreaterThan(0);
      expect(sequence.contextTokens.slice(0, prefix.length)).toEqual(prefix);
      history.push({
        type: "model",
        response: ["It began three days ago with a high fever, body ache and pain behind my eyes, doctor."],
      });
    }
    expect(dropped).toBeGreaterThan(0);
    expect(() => chat.renderReply([history[0]!, { type: "user", text: "why? ".repeat(400) }], 16)).toThrow(
      /do not fit the context of 256 tokens/,
    );
  }, 180_000);

  it("stops at the abort signal, keeping what was generated", async () => {
    const chat = new SequenceChat(await newSequence(1024), model, chatWrapper);
    // A grammar makes the gibberish model write plain ASCII, so text arrives from the first tokens.
    const grammar = await model.llama.createGrammarForJsonSchema({
      type: "array",
      items: { enum: ["yes", "no"] },
      minItems: 30,
    });
    const history: ChatHistoryItem[] = [
      { type: "system", text: "You are a patient." },
      { type: "user", text: "Tell me everything." },
    ];
    const run = async (abortAtFirstText: boolean) => {
      const abort = new AbortController();
      let text = "";
      const tokens = await chat.reply(chat.renderReply(history, 64), {
        maxTokens: 64,
        temperature: 0,
        grammar,
        signal: abort.signal,
        onText: (chunk) => {
          text += chunk;
          if (abortAtFirstText) abort.abort();
        },
      });
      return { tokens, text };
    };
    const whole = await run(false);
    const stopped = await run(true);
    expect(whole.tokens.length).toBe(64);
    expect(stopped.tokens.length).toBeGreaterThan(0);
    expect(stopped.tokens.length).toBeLessThan(8);
    expect(whole.text.startsWith(stopped.text)).toBe(true);
    expect(stopped.text.length).toBeGreaterThan(0);
  }, 180_000);
});
