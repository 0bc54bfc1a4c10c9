import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedEngine } from "../src/engines/index.js";
import { startServer, type RunningServer } from "../src/server/index.js";
import { temporaryEmbeddedStore } from "../src/server/server.test-utils.js";
import { draftSpyEngine, waitFor } from "../src/server/draft-engine.test-utils.js";
import { MedsimApiError, MedsimClient } from "../src/client/index.js";
import { publicCaseId } from "../src/domain/index.js";

/** A student names a case by its public id. */
const MALARIA = publicCaseId("malaria-vivax");

let server: RunningServer;
/** A second server whose engine records the drafts handed to it (the scripted engine ignores them). */
let draftServer: RunningServer;
const spy = draftSpyEngine(20);
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const keys = [
    { key: "client-test-key", name: "student1", role: "student" as const },
    { key: "other-student-key", name: "student2", role: "student" as const },
  ];
  const temporary = await temporaryEmbeddedStore();
  cleanups.push(temporary.cleanup);
  server = await startServer({ engine: new ScriptedEngine(), store: temporary.store, port: 0, keys });
  cleanups.push(() => server.close());
  const drafting = await temporaryEmbeddedStore();
  cleanups.push(drafting.cleanup);
  draftServer = await startServer({ engine: spy.engine, store: drafting.store, port: 0, keys });
  cleanups.push(() => draftServer.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("medsim/client against a live server", () => {
  it("creates a session, sends, streams, examines, orders and ends", async () => {
    const client = new MedsimClient({ baseUrl: server.url, apiKey: "client-test-key" });
    const session = await client.createSession({ case: MALARIA, persona: "calm" });
    expect(session.case.patient.name.length).toBeGreaterThan(0);

    const turn = await client.send(session.id, "When did the fever start?");
    expect(turn.turn).toBe(1);
    expect(turn.newlyDisclosedFacts.length).toBeGreaterThan(0);

    const streaming = client.stream(session.id, "Do you drink alcohol?");
    const sentences: string[] = [];
    for await (const sentence of streaming.textStream) sentences.push(sentence);
    const streamed = await streaming.reply;
    expect(sentences.length).toBeGreaterThan(0);
    expect(sentences.join(" ")).toBe(streamed.reply);
    expect(streamed.turn).toBe(3);
    expect(streamed.newlyDisclosedFacts.map((fact) => fact.id)).toContain("social.alcohol");

    const vitals = await client.examine(session.id, "vitals");
    expect(vitals.result).toMatch(/temperature/);
    const test = await client.order(session.id, "peripheral smear");
    expect(test.name).toBe("peripheral blood smear");
    expect(test.result).toContain("vivax");

    const ended = await client.end(session.id);
    expect(ended.status).toBe("ended");
    expect(ended.transcript).toHaveLength(4);
    expect((await client.listSessions()).data.map((item) => item.id)).toContain(session.id);
  });

  it("throws MedsimApiError with the server's code and status", async () => {
    const client = new MedsimClient({ baseUrl: server.url, apiKey: "client-test-key" });
    const unknown = await client.send("ses_missing", "Hello").catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(MedsimApiError);
    expect(unknown).toMatchObject({ status: 404, code: "not_found" });
    const unauthorized = new MedsimClient({ baseUrl: server.url });
    await expect(unauthorized.createSession({ case: MALARIA, persona: "calm" })).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    const session = await client.createSession({ case: MALARIA, persona: "calm" });
    await expect(client.send(session.id, "")).rejects.toMatchObject({ status: 400, param: "content" });
  });

  it("rejects a streamed reply with the server's error for an unknown session", async () => {
    const client = new MedsimClient({ baseUrl: server.url, apiKey: "client-test-key" });
    const streaming = client.stream("ses_missing", "Hello?");
    // Reading the stream drives the request: the stream throws, and the reply rejects with it.
    const read = async () => {
      for await (const _sentence of streaming.textStream);
    };
    await expect(read()).rejects.toBeInstanceOf(MedsimApiError);
    await expect(streaming.reply).rejects.toMatchObject({ status: 404 });
  });

  it("hands drafts to the session's engine: 202 at once, never a reply nor a transcript entry", async () => {
    const client = new MedsimClient({ baseUrl: draftServer.url, apiKey: "client-test-key" });
    const session = await client.createSession({ case: MALARIA, persona: "calm" });
    const before = spy.drafts.length;
    const replies = spy.replies;
    expect(await client.draft(session.id, "When did the")).toEqual({ sessionId: session.id, accepted: true });
    await waitFor(() => spy.drafts.length > before, "the draft to reach the engine");
    expect(await client.draft(session.id, "When did the fever")).toEqual({ sessionId: session.id, accepted: true });
    await waitFor(() => spy.drafts.at(-1) === "When did the fever", "the second draft to reach the engine");
    expect(spy.drafts.slice(before)).toEqual(["When did the", "When did the fever"]);
    expect(spy.replies).toBe(replies);
    expect((await client.getSession(session.id)).transcript).toEqual([]);

    // The message that follows is answered as usual, as the first turn.
    const turn = await client.send(session.id, "When did the fever start?");
    expect(turn.turn).toBe(1);
    expect(turn.reply.length).toBeGreaterThan(0);
    expect(spy.replies).toBe(replies + 1);
  });

  it("throws MedsimApiError for a draft the server refuses, and honours an abort signal", async () => {
    const client = new MedsimClient({ baseUrl: draftServer.url, apiKey: "client-test-key" });
    const session = await client.createSession({ case: MALARIA, persona: "calm" });
    const before = spy.drafts.length;

    const unknown = await client.draft("ses_missing", "When").catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(MedsimApiError);
    expect(unknown).toMatchObject({ status: 404, code: "not_found" });
    // Another student's key cannot draft into this session.
    const other = new MedsimClient({ baseUrl: draftServer.url, apiKey: "other-student-key" });
    await expect(other.draft(session.id, "When")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(new MedsimClient({ baseUrl: draftServer.url }).draft(session.id, "When")).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    const long = await client.draft(session.id, "a".repeat(4001)).catch((error: unknown) => error);
    expect(long).toMatchObject({ status: 400, code: "invalid_input", param: "text" });
    expect((long as MedsimApiError).message).toContain("at most 4000 characters");

    const aborted = new AbortController();
    aborted.abort();
    await expect(client.draft(session.id, "When", { signal: aborted.signal })).rejects.toMatchObject({
      name: "AbortError",
    });

    await client.end(session.id);
    await expect(client.draft(session.id, "When")).rejects.toMatchObject({ status: 409, code: "conflict" });
    expect(spy.drafts.length).toBe(before);
  });
});
