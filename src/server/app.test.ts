import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerApp } from "./app.js";
import { publicCaseId } from "../domain/index.js";
import { temporaryEmbeddedStore, testApp } from "./server.test-utils.js";

/** Students name cases by their public ids. */
const DENGUE = publicCaseId("dengue-fever");

let app: ServerApp;
let cleanup: () => Promise<void>;
const KEYS = [
  { key: "alice-key-123", name: "alice", role: "student" as const },
  { key: "bobby-key-456", name: "bob", role: "student" as const },
];

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  app = (await testApp(temporary.store, { keys: KEYS, rateLimitPerMinute: 0 })).app;
});
afterAll(() => cleanup());

function call(method: string, path: string, options: { key?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.key !== undefined) headers.Authorization = `Bearer ${options.key}`;
  return app.request(path, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
}

async function newSession(key = "alice-key-123"): Promise<string> {
  const response = await call("POST", "/v1/sessions", { key, body: { case: DENGUE, persona: "calm" } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe("server routes (in-process)", () => {
  it("serves /health without a key and everything else only with one", async () => {
    expect((await call("GET", "/health")).status).toBe(200);
    const denied = await call("GET", "/v1/sessions");
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      error: expect.objectContaining({ code: "unauthorized", type: "authentication_error" }),
    });
    expect((await call("GET", "/v1/sessions", { key: "wrong-key-000" })).status).toBe(401);
    expect((await call("GET", "/openapi.json")).status).toBe(401);
    expect((await call("GET", "/ready", { key: "alice-key-123" })).status).toBe(200);
  });

  it("creates a session that hides the diagnosis and answers with newly disclosed facts", async () => {
    const response = await call("POST", "/v1/sessions", {
      key: "alice-key-123",
      body: { case: DENGUE, persona: "anxious" },
    });
    const session = (await response.json()) as Record<string, unknown>;
    expect(session.id).toMatch(/^ses_[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(session).toLowerCase()).not.toContain("dengue fever");
    expect(JSON.stringify(session)).not.toContain("diagnosis");
    const turn = await call("POST", `/v1/sessions/${session.id}/messages`, {
      key: "alice-key-123",
      body: { content: "Are you taking any medicines?" },
    });
    expect(turn.status).toBe(200);
    const body = (await turn.json()) as { reply: string; turn: number; newlyDisclosedFacts: { id: string }[] };
    expect(body.turn).toBe(1);
    expect(body.reply.length).toBeGreaterThan(0);
    expect(body.newlyDisclosedFacts.map((fact) => fact.id)).toContain("medications.0");
  });

  it("examines and orders tests, returning only what was asked for", async () => {
    const id = await newSession();
    const exam = (await (
      await call("POST", `/v1/sessions/${id}/examine`, { key: "alice-key-123", body: { system: "Abdomen" } })
    ).json()) as { result: string; newlyDisclosedFacts: { id: string }[] };
    expect(exam.result).toContain("right upper quadrant");
    expect(exam.newlyDisclosedFacts.map((fact) => fact.id)).toEqual(["exam.abdomen"]);
    const test = (await (
      await call("POST", `/v1/sessions/${id}/tests`, { key: "alice-key-123", body: { name: "CBC" } })
    ).json()) as { name: string; result: string };
    expect(test).toMatchObject({ name: "complete blood count" });
    expect(test.result).toContain("platelets");
    expect(test.result).not.toContain("NS1");
    const unknown = (await (
      await call("POST", `/v1/sessions/${id}/tests`, { key: "alice-key-123", body: { name: "MRI brain" } })
    ).json()) as { result: string | null };
    expect(unknown.result).toBeNull();
    const detail = (await (await call("GET", `/v1/sessions/${id}`, { key: "alice-key-123" })).json()) as {
      entries: { kind: string }[];
      disclosedFacts: { id: string }[];
    };
    expect(detail.entries.map((entry) => entry.kind)).toEqual(["examination", "test", "test"]);
    expect(detail.disclosedFacts.map((fact) => fact.id)).toEqual(["exam.abdomen", "tests.complete_blood_count"]);
  });

  it("keeps each key's sessions to itself", async () => {
    const id = await newSession("alice-key-123");
    const asBob = await call("GET", `/v1/sessions/${id}`, { key: "bobby-key-456" });
    expect(asBob.status).toBe(404);
    expect(
      (await call("POST", `/v1/sessions/${id}/messages`, { key: "bobby-key-456", body: { content: "Hi" } })).status,
    ).toBe(404);
    const bobList = (await (await call("GET", "/v1/sessions", { key: "bobby-key-456" })).json()) as {
      data: { id: string }[];
    };
    expect(bobList.data.map((session) => session.id)).not.toContain(id);
  });

  it("pages the session list", async () => {
    await newSession("bobby-key-456");
    await newSession("bobby-key-456");
    await newSession("bobby-key-456");
    const first = (await (await call("GET", "/v1/sessions?limit=2", { key: "bobby-key-456" })).json()) as {
      data: { id: string }[];
      nextCursor: string | null;
    };
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (
      await call("GET", `/v1/sessions?limit=2&cursor=${first.nextCursor}`, { key: "bobby-key-456" })
    ).json()) as { data: { id: string }[] };
    expect(second.data.length).toBeGreaterThanOrEqual(1);
    expect(second.data.map((session) => session.id)).not.toContain(first.data[0]!.id);
  });

  it("answers bad requests with the documented error and status", async () => {
    const key = "alice-key-123";
    const id = await newSession();
    const cases: [string, string, { body?: unknown; raw?: string }, number, string, string | null][] = [
      ["POST", "/v1/sessions", { raw: "{not json" }, 400, "invalid_input", null],
      ["POST", "/v1/sessions", { body: { case: 12, persona: "calm" } }, 400, "invalid_input", "case"],
      ["POST", "/v1/sessions", { body: { case: "no-such-case", persona: "calm" } }, 404, "not_found", null],
      ["POST", "/v1/sessions", { body: { case: "../../etc/passwd", persona: "calm" } }, 400, "invalid_input", "case"],
      ["POST", `/v1/sessions/${id}/messages`, { body: { content: "x".repeat(4001) } }, 400, "invalid_input", "content"],
      ["POST", `/v1/sessions/${id}/messages`, { body: { content: "   " } }, 400, "invalid_input", "content"],
      ["POST", `/v1/sessions/${id}/messages`, { body: { content: ["a"] } }, 400, "invalid_input", "content"],
      ["POST", "/v1/sessions/ses_unknown/messages", { body: { content: "Hello" } }, 404, "not_found", null],
      [
        "POST",
        `/v1/sessions/${id}/messages`,
        { raw: JSON.stringify({ content: "a".repeat(10 * 1024 * 1024) }) },
        413,
        "payload_too_large",
        null,
      ],
    ];
    for (const [method, path, options, status, code, param] of cases) {
      const response = await call(method, path, { key, ...options });
      const body = (await response.json()) as { error: { code: string; param: string | null; message: string } };
      expect({ path, status: response.status, code: body.error.code, param: body.error.param }).toEqual({
        path,
        status,
        code,
        param,
      });
      expect(body.error.message).not.toMatch(/\n\s+at /);
    }
    // The session is unaffected.
    const ok = await call("POST", `/v1/sessions/${id}/messages`, { key, body: { content: "Do you smoke?" } });
    expect(ok.status).toBe(200);
  });

  it("ends a session once; later turns are a conflict", async () => {
    const id = await newSession();
    expect((await call("POST", `/v1/sessions/${id}/end`, { key: "alice-key-123" })).status).toBe(200);
    const again = await call("POST", `/v1/sessions/${id}/end`, { key: "alice-key-123" });
    expect(again.status).toBe(409);
    const late = await call("POST", `/v1/sessions/${id}/messages`, {
      key: "alice-key-123",
      body: { content: "Hello?" },
    });
    expect(late.status).toBe(409);
  });

  it("streams a session reply as server-sent events", async () => {
    const id = await newSession();
    const response = await call("POST", `/v1/sessions/${id}/messages`, {
      key: "alice-key-123",
      body: { content: "Do you have any allergies?", stream: true },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((match) => [match[1], JSON.parse(match[2]!)]);
    expect(events.at(-1)?.[0]).toBe("reply");
    const sentences = events.filter(([name]) => name === "sentence").map(([, data]) => (data as { text: string }).text);
    expect(sentences.join(" ")).toBe((events.at(-1)![1] as { reply: string }).reply);
  });

  it("publishes an OpenAPI document generated from the request schemas", async () => {
    const document = (await (await call("GET", "/openapi.json", { key: "alice-key-123" })).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
      components: { schemas: Record<string, { properties?: Record<string, { maxLength?: number }> }> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/v1/chat/completions", "/v1/models", "/v1/sessions", "/v1/sessions/{id}/messages"]),
    );
    expect(document.components.schemas.Message?.properties?.content?.maxLength).toBe(4000);
  });
});

describe("personas and cases routes", () => {
  const userCase = async (id: string, overrides: Record<string, unknown> = {}) => {
    const { cases } = await import("../library/index.js");
    return { ...(await cases.get("dengue-fever")), id, ...overrides };
  };

  it("lists built-ins, refuses to change them, and stores validated user items", async () => {
    const list = (await (await call("GET", "/v1/personas", { key: "alice-key-123" })).json()) as {
      data: { item: { id: string }; source: string }[];
    };
    expect(list.data.find((entry) => entry.item.id === "anxious")?.source).toBe("built-in");
    const { personas } = await import("../library/index.js");
    const anxious = await personas.get("anxious");
    expect((await call("PUT", "/v1/personas/anxious", { key: "alice-key-123", body: anxious })).status).toBe(409);
    expect((await call("DELETE", "/v1/personas/anxious", { key: "alice-key-123" })).status).toBe(409);
    const invalid = await call("POST", "/v1/personas", {
      key: "alice-key-123",
      body: { ...anxious, id: "shy", sentenceLimit: 99 },
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { param: string } }).error.param).toBe("sentenceLimit");
    const created = await call("POST", "/v1/personas", { key: "alice-key-123", body: { ...anxious, id: "shy" } });
    expect(created.status).toBe(201);
    const session = await call("POST", "/v1/sessions", {
      key: "alice-key-123",
      body: { case: DENGUE, persona: "shy" },
    });
    expect(session.status).toBe(201);
    // Bob cannot see Alice's persona, nor use it.
    expect((await call("GET", "/v1/personas/shy", { key: "bobby-key-456" })).status).toBe(404);
    const bobSession = await call("POST", "/v1/sessions", {
      key: "bobby-key-456",
      body: { case: DENGUE, persona: "shy" },
    });
    expect(bobSession.status).toBe(404);
    expect((await call("DELETE", "/v1/personas/shy", { key: "bobby-key-456" })).status).toBe(404);
    expect((await call("DELETE", "/v1/personas/shy", { key: "alice-key-123" })).status).toBe(200);
  });

  it("refuses a user case that names its diagnosis where the patient speaks, naming the field", async () => {
    const leaky = await userCase("my-fever", {
      ideasConcernsExpectations: {
        ideas: { text: "I am sure this is dengue, like my cousin had", volunteer: false },
        concerns: "That I will need a drip",
        expectations: "Medicine",
      },
    });
    const response = await call("POST", "/v1/cases", { key: "alice-key-123", body: leaky });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe("ideasConcernsExpectations.ideas.text");
    expect(body.error.message).toContain("dengue");
    const fine = await call("POST", "/v1/cases", { key: "alice-key-123", body: await userCase("my-fever") });
    expect(fine.status).toBe(201);
    const session = await call("POST", "/v1/sessions", {
      key: "alice-key-123",
      body: { case: "my-fever", persona: "calm" },
    });
    expect(session.status).toBe(201);
  });

  it("generates the OpenAPI document with the catalog routes", async () => {
    const document = (await (await call("GET", "/openapi.json", { key: "alice-key-123" })).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/v1/cases", "/v1/personas/{id}"]));
  });
});
