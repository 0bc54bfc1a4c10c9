import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerApp } from "./app.js";
import { temporaryEmbeddedStore, testApp } from "./server.test-utils.js";
import { MedsimApiError, MedsimClient } from "../client/index.js";

// The client against the real server app, in process: its fetch is the app's request handler.
let app: ServerApp;
let cleanup: () => Promise<void>;
let client: MedsimClient;

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  app = (await testApp(temporary.store, { keys: [{ key: "alice-key-123", name: "alice", role: "student" }] })).app;
  client = new MedsimClient({
    baseUrl: "http://127.0.0.1",
    apiKey: "alice-key-123",
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(input instanceof Request ? input : String(input), init)) as typeof fetch,
  });
});
afterAll(() => cleanup());

describe("MedsimClient", () => {
  it("opens a session, sends a question and streams the next reply sentence by sentence", async () => {
    const session = await client.createSession({ case: "dengue-fever", persona: "calm" });
    expect(session.case.chiefComplaint.length).toBeGreaterThan(0);
    const turn = await client.send(session.id, "Are you taking any medicines?");
    expect(turn.reply.length).toBeGreaterThan(0);
    const streaming = client.stream(session.id, "When did it start?");
    const sentences: string[] = [];
    for await (const sentence of streaming.textStream) sentences.push(sentence);
    const reply = await streaming.reply;
    expect(sentences.length).toBeGreaterThan(0);
    expect(reply.reply.replace(/\s+/g, " ").trim()).toBe(sentences.join(" ").replace(/\s+/g, " ").trim());
    expect(reply.newlyDisclosedFacts.map((fact) => fact.id)).toContain("hpi.onset");
  });

  it("rejects the streamed reply with the server's error for an unknown session", async () => {
    const streaming = client.stream("ses_missing", "Hello?");
    // Reading the stream drives the request: the stream throws, and the reply rejects with it.
    const read = async () => {
      for await (const _sentence of streaming.textStream);
    };
    await expect(read()).rejects.toBeInstanceOf(MedsimApiError);
    await expect(streaming.reply).rejects.toMatchObject({ status: 404 });
  });
});
