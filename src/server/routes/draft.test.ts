import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicCaseId } from "../../domain/index.js";
import { MAX_DOCTOR_TEXT_LENGTH } from "../../simulator/index.js";
import type { ServerApp } from "../app.js";
import { draftSpyEngine, waitFor, type DraftSpy } from "../draft-engine.test-utils.js";
import { temporaryEmbeddedStore, testApp } from "../server.test-utils.js";

const DENGUE = publicCaseId("dengue-fever");
const ALICE = "alice-key-123";
const BOB = "bobby-key-456";
const KEYS = [
  { key: ALICE, name: "alice", role: "student" as const },
  { key: BOB, name: "bob", role: "student" as const },
];

let app: ServerApp;
let spy: DraftSpy;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanups.push(temporary.cleanup);
  // A draft takes the engine 150 ms, so drafts sent faster than that queue up.
  spy = draftSpyEngine(150);
  app = (await testApp(temporary.store, { engine: spy.engine, keys: KEYS, rateLimitPerMinute: 0 })).app;
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function call(target: ServerApp, method: string, path: string, key: string | undefined, body?: unknown) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  return target.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function newSession(target = app, key = ALICE): Promise<string> {
  const response = await call(target, "POST", "/v1/sessions", key, { case: DENGUE, persona: "calm" });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** `key` "" sends none. */
const draft = (id: string, text: unknown, key = ALICE, target = app) =>
  call(target, "POST", `/v1/sessions/${id}/draft`, key, { text });

async function transcript(id: string) {
  const response = await call(app, "GET", `/v1/sessions/${id}`, ALICE);
  return ((await response.json()) as { transcript: { role: string; content: string }[] }).transcript;
}

describe("POST /v1/sessions/{id}/draft", () => {
  it("needs the session's own key: 401 without one, 404 for another key's session", async () => {
    const id = await newSession();
    expect((await draft(id, "Since how many", "")).status).toBe(401);
    const foreign = await draft(id, "Since how many", BOB);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: expect.objectContaining({ code: "not_found" }) });
    expect((await draft("ses_doesnotexist", "Since", ALICE)).status).toBe(404);
    expect(spy.drafts).toEqual([]);
  });

  it("refuses an over-long or missing text with a 400 naming the field", async () => {
    const id = await newSession();
    const long = await draft(id, "a".repeat(MAX_DOCTOR_TEXT_LENGTH + 1));
    expect(long.status).toBe(400);
    const body = (await long.json()) as { error: { code: string; param: string; message: string } };
    expect(body.error.param).toBe("text");
    expect(body.error.message).toContain(`at most ${MAX_DOCTOR_TEXT_LENGTH} characters`);
    const wrongType = (await (await draft(id, 42)).json()) as { error: { param: string } };
    expect(wrongType.error.param).toBe("text");
    const missing = await call(app, "POST", `/v1/sessions/${id}/draft`, ALICE, {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe("text");
  });

  it("answers 202 before the draft is evaluated, hands it to the engine and leaves the transcript alone", async () => {
    const id = await newSession();
    const before = spy.drafts.length;
    const replies = spy.replies;
    // The engine does not finish the draft until released: the answer does not wait for it.
    const release = spy.hold();
    const response = await draft(id, "Since how many days have you");
    expect(response.status).toBe(202);
    release();
    expect(await response.json()).toEqual({ sessionId: id, accepted: true });
    await waitFor(() => spy.drafts.length > before, "the draft to reach the engine");
    expect(spy.drafts.at(-1)).toBe("Since how many days have you");
    expect(await transcript(id)).toEqual([]);
    expect(spy.replies).toBe(replies);
  });

  it("hands one draft at a time, the newest replacing waiting ones", async () => {
    const id = await newSession();
    await waitFor(() => spy.running === 0, "earlier drafts to finish");
    spy.mostAtOnce = 0;
    const before = spy.drafts.length;
    const typed = ["Any", "Any pain", "Any pain in", "Any pain in your", "Any pain in your joints"];
    for (const text of typed) expect((await draft(id, text)).status).toBe(202);
    await waitFor(() => spy.drafts.at(-1) === typed.at(-1), "the newest draft to reach the engine");
    const handed = spy.drafts.slice(before);
    expect(handed[0]).toBe("Any");
    expect(handed.length).toBeLessThan(typed.length);
    expect(spy.mostAtOnce).toBe(1);
  });

  it("drops a draft that waited when the message is sent, and the reply is the one without drafts", async () => {
    const plain = await newSession();
    const question = "Since how many days have you had the fever?";
    const expected = await call(app, "POST", `/v1/sessions/${plain}/messages`, ALICE, { content: question });
    const expectedReply = ((await expected.json()) as { reply: string }).reply;

    const id = await newSession();
    const before = spy.drafts.length;
    await draft(id, "Since how many");
    await waitFor(() => spy.drafts.length > before, "the first draft to reach the engine");
    // This one waits behind the first; the message overtakes it.
    await draft(id, "Since how many days have you had");
    const answered = await call(app, "POST", `/v1/sessions/${id}/messages`, ALICE, { content: question });
    expect(((await answered.json()) as { reply: string }).reply).toBe(expectedReply);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(spy.drafts.slice(before)).toEqual(["Since how many"]);
    expect(await transcript(id)).toEqual([
      { role: "doctor", content: question },
      { role: "patient", content: expectedReply },
    ]);
  });

  it("refuses a draft for an ended session with a 409", async () => {
    const id = await newSession();
    expect((await call(app, "POST", `/v1/sessions/${id}/end`, ALICE)).status).toBe(200);
    const response = await draft(id, "One more");
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: expect.objectContaining({ code: "conflict" }) });
  });

  it("is in the OpenAPI document with its schema", async () => {
    const document = (await (await call(app, "GET", "/openapi.json", ALICE)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties?: Record<string, { maxLength?: number }> }> };
    };
    expect(Object.keys(document.paths["/v1/sessions/{id}/draft"]!.post!.responses)).toContain("202");
    expect(document.components.schemas.Draft!.properties!.text!.maxLength).toBe(MAX_DOCTOR_TEXT_LENGTH);
  });

  it("counts against the rate limit and the body-size limit like every route", async () => {
    const temporary = await temporaryEmbeddedStore();
    cleanups.push(temporary.cleanup);
    // 12 a minute: a burst of 2 requests.
    const limited = (
      await testApp(temporary.store, { engine: spy.engine, keys: KEYS, rateLimitPerMinute: 12, maxBodyBytes: 1024 })
    ).app;
    const id = await newSession(limited);
    const large = await draft(id, "a".repeat(2000), ALICE, limited);
    expect(large.status).toBe(413);
    expect((await draft(id, "Any", ALICE, limited)).status).toBe(202);
    const refused = await draft(id, "Any pain", ALICE, limited);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
