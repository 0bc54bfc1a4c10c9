import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { createModelFile } from "../../model/index.js";
import { buildSystemPrompt, PatientSimulator } from "../../simulator/index.js";
import { EngineError } from "../../util/errors.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";
import { LlamaEngine } from "./llama-engine.js";

// A tiny random-weight model made by the project's own GGUF writer: no download. Its replies are
// gibberish, so these tests check the plumbing (loading, streaming, cache reuse), not the words.
const temp = useTempDirectory("medsim-llama-");
let modelPath: string;
let engine: LlamaEngine;

beforeAll(async () => {
  modelPath = (await createModelFile({ arch: "qwen2", preset: "tiny", out: temp.file("tiny.gguf"), seed: 3 })).path;
  engine = await LlamaEngine.load({ model: modelPath, contextSize: 4096 });
});

/** A conversation with the calm dengue patient, opened with the full system prompt. */
async function openCalmDengueConversation() {
  const patientCase = await cases.get("dengue-fever");
  const persona = await personas.get("calm");
  return engine.openConversation({ patientCase, persona, systemPrompt: buildSystemPrompt(patientCase, persona) });
}

afterAll(async () => {
  await engine?.dispose();
});

describe("llama engine (node-llama-cpp, tiny GGUF made by the tests)", () => {
  it("streams generated text and keeps the context between turns, so a turn evaluates only its new tokens", async () => {
    const conversation = await openCalmDengueConversation();
    const transcript: { role: "doctor" | "patient"; content: string }[] = [];
    const turn = async (question: string) => {
      transcript.push({ role: "doctor", content: question });
      const chunks: string[] = [];
      for await (const chunk of conversation.reply(transcript, { maxTokens: 6, seed: 1, temperature: 0 }))
        chunks.push(chunk);
      expect(chunks.join("").length).toBeGreaterThan(0);
      transcript.push({ role: "patient", content: chunks.join("") });
      return conversation.evaluatedInputTokens();
    };
    const afterFirst = await turn("What brings you in today?");
    const afterSecond = await turn("Do you smoke?");
    await conversation.dispose();
    // The system prompt alone is hundreds of tokens; the second turn adds only the new question
    // (and the chat template's few tokens around it), not the whole conversation again.
    expect(afterFirst).toBeGreaterThan(300);
    expect(afterSecond - afterFirst).toBeLessThan(60);
  });

  // The tiny random model never ends a sentence (it repeats one word), so the persona's sentence
  // limit cannot be exercised here; simulator.test.ts checks it with an engine that overruns it.
  it("plays a patient through the simulator", async () => {
    const simulator = await PatientSimulator.create({
      patientCase: await cases.get("typhoid-fever"),
      persona: await personas.get("rude"),
      engine,
      generation: { maxTokens: 24, seed: 7, temperature: 0.8 },
    });
    const reply = await simulator.respond("How long have you had the fever?");
    await simulator.dispose();
    expect(reply.text.trim().length).toBeGreaterThan(0);
    expect(simulator.transcript.map((turn) => turn.role)).toEqual(["doctor", "patient"]);
  });

  it("names the file when the model does not exist", async () => {
    await expect(LlamaEngine.load({ model: temp.file("missing.gguf") })).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof EngineError && /model file not found: .*missing\.gguf/.test((error as Error).message),
    );
  });
});

describe("llama engine warm-up and reused system-prompt state", () => {
  it("evaluates the system prompt when a session opens; later sessions keep or load that state", async () => {
    const labels: string[] = [];
    const warm = await LlamaEngine.load({ model: modelPath, contextSize: 4096 });
    const patientCase = await cases.get("acute-appendicitis");
    const persona = await personas.get("anxious");
    const setup = {
      patientCase,
      persona,
      systemPrompt: buildSystemPrompt(patientCase, persona),
      onProgress: (progress: { label: string; completed: number }) =>
        labels.push(`${progress.label} ${progress.completed}`),
    };
    const question = [{ role: "doctor" as const, content: "Where exactly is the pain?" }];
    const answer = async (conversation: Awaited<ReturnType<LlamaEngine["openConversation"]>>) => {
      let text = "";
      for await (const chunk of conversation.reply(question, { maxTokens: 8, temperature: 0 })) text += chunk;
      return text;
    };
    try {
      const first = await warm.openConversation(setup);
      // Evaluated at open, before any question: hundreds of tokens already in the cache.
      const atOpen = first.evaluatedInputTokens();
      expect(atOpen).toBeGreaterThan(300);
      const firstText = await answer(first);
      expect(first.evaluatedInputTokens() - atOpen).toBeLessThan(40);
      expect(labels).toEqual(["evaluating system prompt 0", "evaluating system prompt 1"]);

      // A session opened meanwhile gets a context of its own and loads the saved state into it:
      // its meter starts at zero, and its reply is the one the evaluated state gives.
      const concurrent = await warm.openConversation(setup);
      expect(concurrent.evaluatedInputTokens()).toBe(0);
      expect(await answer(concurrent)).toBe(firstText);
      expect(concurrent.evaluatedInputTokens()).toBeLessThan(40);
      await first.dispose();
      await concurrent.dispose();

      // A finished session's context is kept with only the system prompt left in it: the next
      // session with that prompt evaluates and loads nothing, and answers as the first did.
      const kept = await warm.openConversation(setup);
      expect(kept.evaluatedInputTokens()).toBe(0);
      expect(await answer(kept)).toBe(firstText);
      expect(kept.evaluatedInputTokens()).toBeLessThan(40);
      await kept.dispose();
      expect(labels).toHaveLength(2);
    } finally {
      await warm.dispose();
    }
  }, 180_000);

  it("prepares the next turn from the kept transcript, so a turn evaluates only its question", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("calm");
    const setup = { patientCase, persona, systemPrompt: buildSystemPrompt(patientCase, persona) };
    // The simulator keeps its own text (cut at the sentence limit, or the scripted fallback),
    // which is not what the model generated.
    const kept = "It began three days ago with a high fever and aching joints.";
    const next = "Have you vomited?";
    const twoTurns = async (prepare: boolean) => {
      const conversation = await engine.openConversation(setup);
      const transcript: { role: "doctor" | "patient"; content: string }[] = [
        { role: "doctor", content: "When did it start?" },
      ];
      for await (const chunk of conversation.reply(transcript, { maxTokens: 6, seed: 1, temperature: 0 })) void chunk;
      transcript.push({ role: "patient", content: kept });
      const beforePrepare = conversation.evaluatedInputTokens();
      if (prepare) await conversation.prepare(transcript);
      const prepared = conversation.evaluatedInputTokens() - beforePrepare;
      transcript.push({ role: "doctor", content: next });
      let text = "";
      for await (const chunk of conversation.reply(transcript, { maxTokens: 6, seed: 1, temperature: 0 }))
        text += chunk;
      const turn = conversation.evaluatedInputTokens() - beforePrepare - prepared;
      await conversation.dispose();
      expect(text.length).toBeGreaterThan(0);
      return { prepared, turn };
    };
    const ahead = await twoTurns(true);
    const baseline = await twoTurns(false);
    // Prepared: the kept reply was evaluated ahead; the turn itself is the question and the chat
    // template's few tokens around it.
    expect(ahead.prepared).toBeGreaterThanOrEqual(engine.tokenCount(kept));
    expect(ahead.turn).toBeLessThanOrEqual(engine.tokenCount(next) + 10);
    // Not prepared: the turn evaluates the kept reply as well.
    expect(baseline.turn).toBeGreaterThanOrEqual(engine.tokenCount(kept) + engine.tokenCount(next));
  });

  it("evaluates a draft of the next question ahead: the same reply, only the tail evaluated at submit", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("calm");
    const setup = { patientCase, persona, systemPrompt: buildSystemPrompt(patientCase, persona) };
    const next = "Since how many days have you had the fever?";
    const lastWord = " fever?";
    /** One turn after a kept reply; `drafts` are sent (unawaited, as keystrokes come) before it. */
    const turnAfter = async (drafts: string[]) => {
      const conversation = await engine.openConversation(setup);
      const transcript: { role: "doctor" | "patient"; content: string }[] = [
        { role: "doctor", content: "When did it start?" },
        { role: "patient", content: "It began with a high fever and aching joints." },
      ];
      await conversation.prepare(transcript);
      const before = conversation.evaluatedInputTokens();
      const preparing = drafts.map((draft) => conversation.prepare(transcript, { draft }));
      await Promise.all(preparing);
      const drafted = conversation.evaluatedInputTokens() - before;
      transcript.push({ role: "doctor", content: next });
      let text = "";
      for await (const chunk of conversation.reply(transcript, { maxTokens: 8, seed: 1, temperature: 0 }))
        text += chunk;
      const atSubmit = conversation.evaluatedInputTokens() - before - drafted;
      await conversation.dispose();
      return { text, drafted, atSubmit };
    };
    const plain = await turnAfter([]);
    expect(plain.text.length).toBeGreaterThan(0);
    // Typed all but the last word, which is still being typed (and so not evaluated).
    const typed = await turnAfter([next.slice(0, -3)]);
    expect(typed.text).toBe(plain.text);
    expect(typed.drafted).toBeGreaterThanOrEqual(engine.tokenCount(next.slice(0, -lastWord.length)));
    // At submit: the last word and the template's end of turn and reply header.
    expect(typed.atSubmit).toBeLessThanOrEqual(engine.tokenCount(lastWord) + 8);
    expect(typed.atSubmit).toBeLessThan(plain.atSubmit - engine.tokenCount(next) / 2);
    // An edited draft (backspace over "days", then retyped differently) loses its diverging tail.
    const edited = await turnAfter(["Since how many weeks have", "Since how many"]);
    expect(edited.text).toBe(plain.text);
    expect(edited.atSubmit).toBeLessThan(plain.atSubmit);
    // Drafts sent faster than they are evaluated: the first is evaluated at once, the queued
    // "months" draft is replaced by the newer one before it is evaluated.
    const keystrokes = ["Since how many weeks", "Since how many months", "Since how many days have you had the fev"];
    const fast = await turnAfter(keystrokes.map((draft) => `${draft} `));
    expect(fast.text).toBe(plain.text);
    const [weeks, months, days] = ["Since how many weeks", " months", " days have you had the"].map((text) =>
      engine.tokenCount(text),
    );
    expect(fast.drafted).toBeLessThan(weeks! + months! + days!);
    expect(fast.atSubmit).toBeLessThanOrEqual(engine.tokenCount(lastWord) + 8);
  });

  it("a session closed while it prepares frees its context for the next session", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("rude");
    const setup = { patientCase, persona, systemPrompt: buildSystemPrompt(patientCase, persona) };
    const first = await engine.openConversation(setup);
    const transcript = [
      { role: "doctor" as const, content: "Any rash?" },
      { role: "patient" as const, content: "No rash, doctor, only the fever and a headache behind my eyes." },
    ];
    const preparing = first.prepare(transcript);
    await first.dispose();
    await preparing;
    const second = await engine.openConversation(setup);
    // The kept context holds the system prompt only: nothing is evaluated at open.
    expect(second.evaluatedInputTokens()).toBe(0);
    let text = "";
    for await (const chunk of second.reply([transcript[0]!], { maxTokens: 4, temperature: 0 })) text += chunk;
    expect(text.length).toBeGreaterThan(0);
    expect(second.evaluatedInputTokens()).toBeLessThan(40);
    await second.dispose();
  });

  it("a compact system prompt is much shorter than the full one and keeps the case facts", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("overly_patient");
    const full = buildSystemPrompt(patientCase, persona);
    const compact = buildSystemPrompt(patientCase, persona, { style: "compact" });
    expect(engine.tokenCount(compact)).toBeLessThan(engine.tokenCount(full) * 0.75);
    expect(compact).toContain(patientCase.historyOfPresentIllness.onset.text);
    expect(compact).toContain(persona.id);
  });
});

describe("llama engine JSON output", () => {
  it("constrains the reply to the JSON Schema with a grammar", async () => {
    const conversation = await openCalmDengueConversation();
    // Bounded values: random weights would otherwise fill a free string up to maxTokens.
    const schema = {
      type: "object",
      properties: { answer: { enum: ["yes", "no", "not sure"] }, pain: { type: "boolean" } },
      required: ["answer", "pain"],
    };
    let text = "";
    // Random weights would never write JSON by chance: only the grammar makes this parse.
    for await (const chunk of conversation.reply([{ role: "doctor", content: "How bad is it?" }], {
      maxTokens: 60,
      seed: 2,
      jsonSchema: schema,
    }))
      text += chunk;
    await conversation.dispose();
    const parsed = JSON.parse(text) as { answer: unknown; pain: unknown };
    expect(["yes", "no", "not sure"]).toContain(parsed.answer);
    expect(typeof parsed.pain).toBe("boolean");
  });
});
