import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedEngine } from "../src/engines/index.js";
import { startServer, type RunningServer } from "../src/server/index.js";
import { temporaryEmbeddedStore } from "../src/server/server.test-utils.js";
import { MedsimApiError, MedsimClient } from "../src/client/index.js";
import { publicCaseId } from "../src/domain/index.js";

/** A student names a case by its public id. */
const MALARIA = publicCaseId("malaria-vivax");

let server: RunningServer;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  server = await startServer({
    engine: new ScriptedEngine(),
    store: temporary.store,
    port: 0,
    keys: [{ key: "client-test-key", name: "student1", role: "student" }],
  });
});
afterAll(async () => {
  await server.close();
  await cleanup();
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
});
