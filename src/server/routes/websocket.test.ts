import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { ScriptedEngine, type PatientEngine } from "../../engines/index.js";
import { startServer, type RunningServer } from "../server.js";
import { draftSpyEngine } from "../draft-engine.test-utils.js";
import { temporaryEmbeddedStore } from "../server.test-utils.js";

/**
 * The scripted engine, streaming a word every `delayMs` like a slow model, and stopping when its
 * signal aborts (as the real engines do): slow enough that a student can interrupt a reply.
 */
function slowEngine(engine: PatientEngine, delayMs: number): PatientEngine {
  return {
    name: engine.name,
    modelName: `${engine.modelName} (slowed)`,
    async openConversation(setup) {
      const conversation = await engine.openConversation(setup);
      return {
        async *reply(transcript, options) {
          const signal = options?.signal;
          for await (const piece of conversation.reply(transcript, options)) {
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                signal?.removeEventListener("abort", done);
                resolve();
              };
              const timer = setTimeout(done, delayMs);
              signal?.addEventListener("abort", done);
            });
            if (signal?.aborted) return;
            yield piece;
          }
        },
        dispose: () => conversation.dispose(),
      };
    },
    dispose: () => engine.dispose(),
  };
}

type ServerMessage = Record<string, unknown> & { type: string };

/** A socket on a session, with its messages in arrival order. */
async function openSocket(server: RunningServer, sessionId: string) {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/v1/sessions/${sessionId}/ws`);
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as ServerMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  /** Waits for the next message of `type` after index `from`; returns its index. */
  const next = async (type: string, from = 0): Promise<number> => {
    for (;;) {
      const index = messages.findIndex((message, at) => at >= from && message.type === type);
      if (index >= 0) return index;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${type}" message within 10 s`)), 10_000);
        waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  };
  await next("ready");
  return { socket, messages, next };
}

const QUESTION = "What brings you in today? Tell me everything about it.";

describe("WebSocket: the student interrupts", () => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const temporary = await temporaryEmbeddedStore();
    cleanup = temporary.cleanup;
    server = await startServer({ engine: slowEngine(new ScriptedEngine(), 40), store: temporary.store, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  const createSession = async () => {
    const response = await server.app.request("/v1/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ case: "dengue-fever", persona: "anxious" }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const getSession = async (id: string) =>
    (await (await server.app.request(`/v1/sessions/${id}`)).json()) as {
      transcript: { role: string; content: string }[];
      entries: { seq: number; kind: string }[];
      disclosedFacts: { id: string }[];
    };

  it("stops the reply at a cancel, stores what was said, and keeps the session usable", async () => {
    // The whole reply, uninterrupted, on a session of its own (the scripted engine is deterministic).
    const control = await openSocket(server, await createSession());
    control.socket.send(JSON.stringify({ type: "message", content: QUESTION }));
    const full = control.messages[await control.next("reply")]!;
    const fullSentences = control.messages.filter((message) => message.type === "sentence");
    control.socket.close();
    expect(fullSentences.length).toBeGreaterThanOrEqual(2);

    const id = await createSession();
    const { socket, messages, next } = await openSocket(server, id);
    socket.send(JSON.stringify({ type: "message", content: QUESTION }));
    const firstSentence = await next("sentence");
    socket.send(JSON.stringify({ type: "cancel" }));
    const cancelled = messages[await next("reply", firstSentence)]!;
    expect(cancelled.cancelled).toBe(true);
    // The reply stopped: fewer sentences than the whole reply, and what was sent is what is kept.
    const said = messages.filter((message) => message.type === "sentence").map((message) => String(message.text));
    expect(said.length).toBeGreaterThanOrEqual(1);
    expect(said.length).toBeLessThan(fullSentences.length);
    expect(cancelled.reply).toBe(said.join(" "));
    expect(String(full.reply).startsWith(String(cancelled.reply))).toBe(true);
    expect(String(cancelled.reply).length).toBeLessThan(String(full.reply).length);
    // Nothing more arrives for the cancelled reply.
    const countAfterCancel = messages.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages.length).toBe(countAfterCancel);

    // The same socket answers the next question in full.
    socket.send(JSON.stringify({ type: "message", content: "Are you taking any medicines?" }));
    const second = messages[await next("reply", countAfterCancel)]!;
    expect(second.cancelled).toBeUndefined();
    expect(second.turn).toBe(3);
    socket.close();

    // What is stored is what the student saw: both turns, the cut reply as it was cut.
    const stored = await getSession(id);
    expect(stored.transcript).toEqual([
      { role: "doctor", content: QUESTION },
      { role: "patient", content: cancelled.reply },
      { role: "doctor", content: "Are you taking any medicines?" },
      { role: "patient", content: second.reply },
    ]);
    expect(stored.entries.map((entry) => entry.seq)).toEqual([0, 1, 2, 3]);
    const announced = [
      ...(cancelled.newlyDisclosedFacts as { id: string }[]),
      ...(second.newlyDisclosedFacts as { id: string }[]),
    ].map((fact) => fact.id);
    expect(stored.disclosedFacts.map((fact) => fact.id).sort()).toEqual([...new Set(announced)].sort());
  });

  it("lets a new message interrupt the reply in progress and answers it in order", async () => {
    const id = await createSession();
    const { socket, messages, next } = await openSocket(server, id);
    socket.send(JSON.stringify({ type: "message", content: QUESTION }));
    await next("sentence");
    socket.send(JSON.stringify({ type: "message", content: "Sorry, do you have any allergies?" }));
    const firstReply = await next("reply");
    const secondReply = await next("reply", firstReply + 1);
    expect(messages[firstReply]).toMatchObject({ turn: 1, cancelled: true });
    expect(messages[secondReply]!.cancelled).toBeUndefined();
    expect(messages[secondReply]!.turn).toBe(3);
    socket.close();
    const stored = await getSession(id);
    expect(stored.transcript.map((turn) => turn.content)).toEqual([
      QUESTION,
      messages[firstReply]!.reply,
      "Sorry, do you have any allergies?",
      messages[secondReply]!.reply,
    ]);
  });
});

describe("WebSocket: drafts of the next message", () => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;
  // The scripted engine with a `prepare` that takes 100 ms, like a model evaluating a draft.
  const spy = draftSpyEngine(100);

  beforeAll(async () => {
    const temporary = await temporaryEmbeddedStore();
    cleanup = temporary.cleanup;
    server = await startServer({ engine: spy.engine, store: temporary.store, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  it("hands drafts to the engine one at a time, the newest replacing waiting ones, and never answers them", async () => {
    const response = await server.app.request("/v1/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ case: "dengue-fever", persona: "calm" }),
    });
    const id = ((await response.json()) as { id: string }).id;
    const { socket, messages, next } = await openSocket(server, id);
    const typed = ["Since", "Since how", "Since how many", "Since how many days", "Since how many days have you"];
    for (const text of typed) socket.send(JSON.stringify({ type: "draft", text }));
    socket.send(JSON.stringify({ type: "draft", text: 42 }));
    const error = messages[await next("error")]!;
    expect(JSON.stringify(error)).toContain("text");
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Keystrokes faster than the engine: the first and the last reach it, the others are replaced.
    expect(spy.drafts[0]).toBe("Since");
    expect(spy.drafts.at(-1)).toBe(typed.at(-1));
    expect(spy.drafts.length).toBeLessThan(typed.length);
    expect(spy.mostAtOnce).toBe(1);
    socket.send(JSON.stringify({ type: "message", content: "Since how many days have you had the fever?" }));
    const reply = messages[await next("reply")]!;
    expect(reply.turn).toBe(1);
    // Only the error and the reply's own messages came back: drafts are never answered.
    expect(messages.map((message) => message.type).filter((type) => type !== "sentence")).toEqual([
      "ready",
      "error",
      "reply",
    ]);
    socket.close();
  });
});
