/**
 * What a student sees never names a diagnosis: model ids, the picker's catalog, case summaries and
 * sessions use public case ids and titles, for all 27 built-in cases, each checked against its own
 * diagnosis, aliases and internal id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_CASE_ID_PATTERN, publicCaseId, type PatientCase } from "../domain/index.js";
import { cases } from "../library/index.js";
import type { ServerApp } from "./app.js";
import { diagnosisNamesIn } from "./diagnosis.test-utils.js";
import { temporaryEmbeddedStore, testApp } from "./server.test-utils.js";
import type { PatientEngine } from "../engines/index.js";

const STUDENT = { Authorization: "Bearer student-key-123", "Content-Type": "application/json" };
const ADMIN = { Authorization: "Bearer admin-key-1234", "Content-Type": "application/json" };

let app: ServerApp;
let cleanup: () => Promise<void>;
let builtIns: PatientCase[];
/** Built-in cases by public id. */
let byPublicId: Map<string, PatientCase>;

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  app = (
    await testApp(temporary.store, {
      keys: [
        { key: "student-key-123", name: "student", role: "student" },
        { key: "admin-key-1234", name: "teacher", role: "admin" },
      ],
      rateLimitPerMinute: 0,
    })
  ).app;
  builtIns = await cases.list();
  byPublicId = new Map(builtIns.map((item) => [publicCaseId(item.id), item]));
});
afterAll(() => cleanup());

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** Fails naming the terms when `text` names the case's diagnosis, an alias or its internal id. */
function expectNoDiagnosis(text: string, patientCase: PatientCase): void {
  expect(diagnosisNamesIn(text, patientCase), `${patientCase.id} in ${text.slice(0, 200)}`).toEqual([]);
}

/**
 * Fails when a list names any case's internal id. (One case may name another's diagnosis: the
 * chronic cough is seen at a "presumptive TB screening" clinic.)
 */
function expectNoInternalId(text: string): void {
  for (const item of builtIns) expect(text, item.id).not.toMatch(new RegExp(`(^|[^a-z0-9-])${item.id}($|[^a-z0-9-])`));
}

describe("public case ids", () => {
  it("has 27 built-in cases, each with its own public id", () => {
    expect(builtIns).toHaveLength(27);
    expect(byPublicId.size).toBe(27);
  });

  it("the detector finds a diagnosis and an internal id, but not 'age' for AGE", async () => {
    const gastro = await cases.get("acute-gastroenteritis");
    expect(diagnosisNamesIn(`{"age": 24, "title": "Loose motions"}`, gastro)).toEqual([]);
    expect(diagnosisNamesIn("Acute-Gastroenteritis seen", gastro)).toContain("acute gastroenteritis");
    expect(diagnosisNamesIn("patient/acute-gastroenteritis/calm", gastro)).toContain("acute-gastroenteritis");
    expect(diagnosisNamesIn("a case of AGE", gastro)).toContain("AGE");
  });

  it("/v1/models lists patients under public ids only", async () => {
    const { status, text } = await call("GET", "/v1/models", STUDENT);
    expect(status).toBe(200);
    const models = (JSON.parse(text) as { data: { id: string }[] }).data.map((model) => model.id);
    expect(models.length).toBeGreaterThanOrEqual(27);
    for (const id of models) expect(id).toMatch(/^patient\/case-[0-9a-f]{10}\/[a-z0-9_-]+$/);
    expect(new Set(models.map((id) => id.split("/")[1]))).toEqual(new Set(byPublicId.keys()));
    // Nothing but public ids and persona names: no case's diagnosis anywhere.
    for (const item of builtIns) expectNoDiagnosis(text, item);
  });

  it("the picker's catalog and a student's case list show public ids and titles only", async () => {
    for (const path of ["/v1/practice/catalog", "/v1/cases"]) {
      const { status, text } = await call("GET", path, STUDENT);
      expect(status).toBe(200);
      const parsed = JSON.parse(text) as { cases?: { id: string }[]; data?: { item: { id: string } }[] };
      const entries = parsed.cases ?? parsed.data!.map((entry) => entry.item);
      expect(entries).toHaveLength(27);
      for (const entry of entries) {
        const patientCase = byPublicId.get(entry.id);
        expect(patientCase, `${path}: ${entry.id} is a public id`).toBeDefined();
        expectNoDiagnosis(JSON.stringify(entry), patientCase!);
      }
      expectNoInternalId(text);
    }
  });

  it("a session of every built-in case, created, answered and read, never names its diagnosis", async () => {
    for (const patientCase of builtIns) {
      const publicId = publicCaseId(patientCase.id);
      const created = await call("POST", "/v1/sessions", STUDENT, { case: publicId, persona: "calm" });
      expect(created.status, created.text).toBe(201);
      const session = JSON.parse(created.text) as { id: string; case: { id: string; title: string } };
      expect(session.case.id).toBe(publicId);
      expect(session.case.title.length).toBeGreaterThan(0);
      const turn = await call("POST", `/v1/sessions/${session.id}/messages`, STUDENT, {
        content: "What brings you in today?",
      });
      expect(turn.status).toBe(200);
      const detail = await call("GET", `/v1/sessions/${session.id}`, STUDENT);
      for (const text of [created.text, turn.text, detail.text]) expectNoDiagnosis(text, patientCase);
    }
    const list = await call("GET", "/v1/sessions?limit=100", STUDENT);
    expect((JSON.parse(list.text) as { data: unknown[] }).data).toHaveLength(27);
    expectNoInternalId(list.text);
  });

  it("an ended session's feedback names its case by the public id", async () => {
    const publicId = publicCaseId("malaria-vivax");
    const created = JSON.parse((await call("POST", "/v1/sessions", STUDENT, { case: publicId, persona: "calm" })).text);
    const ended = await call("POST", `/v1/sessions/${created.id}/end`, STUDENT);
    expect(ended.status).toBe(200);
    expect((JSON.parse(ended.text) as { feedback: { caseId: string } }).feedback.caseId).toBe(publicId);
  });

  it("a student cannot use an internal id, and the error lists public ids only", async () => {
    const refused = await call("POST", "/v1/sessions", STUDENT, { case: "dengue-fever", persona: "calm" });
    expect(refused.status).toBe(404);
    expect(refused.text).toContain(publicCaseId("dengue-fever"));
    // Only the id the student sent comes back; the list of valid ids is public ids.
    const valid = (JSON.parse(refused.text) as { error: { message: string } }).error.message.split(
      "valid case ids:",
    )[1]!;
    for (const id of valid.split(",")) expect(id.trim()).toMatch(PUBLIC_CASE_ID_PATTERN);
    const unknown = await call("POST", "/v1/sessions", STUDENT, { case: "case-0000000000", persona: "calm" });
    expect(unknown.status).toBe(404);
    expectNoInternalId(unknown.text);
    const chat = await call("POST", "/v1/chat/completions", STUDENT, {
      model: "patient/dengue-fever/calm",
      messages: [{ role: "user", content: "What brings you in?" }],
    });
    expect(chat.status).toBe(404);
  });

  it("chat takes the public model id from anyone and the internal one from an admin key", async () => {
    const messages = [{ role: "user", content: "What brings you in?" }];
    const model = `patient/${publicCaseId("dengue-fever")}/calm`;
    const student = await call("POST", "/v1/chat/completions", STUDENT, { model, messages });
    expect(student.status, student.text).toBe(200);
    expect((JSON.parse(student.text) as { model: string }).model).toBe(model);
    const admin = await call("POST", "/v1/chat/completions", ADMIN, { model: "patient/dengue-fever/calm", messages });
    expect(admin.status, admin.text).toBe(200);
    const session = await call("POST", "/v1/sessions", ADMIN, { case: "dengue-fever", persona: "calm" });
    expect(session.status).toBe(201);
    expect((JSON.parse(session.text) as { case: { id: string } }).case.id).toBe(publicCaseId("dengue-fever"));
  });

  it("a user case gets a public id; its owner may also use its internal id; ids shaped like public ones are refused", async () => {
    const body = { ...(await cases.get("dengue-fever")), id: "ward-fever", title: "Fever on the ward" };
    expect((await call("POST", "/v1/cases", ADMIN, body)).status).toBe(201);
    const catalog = JSON.parse((await call("GET", "/v1/practice/catalog", STUDENT)).text) as {
      cases: { id: string; title: string }[];
    };
    expect(catalog.cases.find((item) => item.title === "Fever on the ward")?.id).toBe(publicCaseId("ward-fever"));
    const created = await call("POST", "/v1/sessions", STUDENT, { case: publicCaseId("ward-fever"), persona: "calm" });
    expect(created.status).toBe(201);
    expect((await call("POST", "/v1/sessions", STUDENT, { case: "ward-fever", persona: "calm" })).status).toBe(404);
    expect((await call("POST", "/v1/sessions", ADMIN, { case: "ward-fever", persona: "calm" })).status).toBe(201);
    const lookalike = await call("POST", "/v1/cases", ADMIN, { ...body, id: "case-0123456789" });
    expect(lookalike.status).toBe(400);
    expect(JSON.parse(lookalike.text).error.param).toBe("id");
  });

  it("a reply the guard cut says so without the term it cut", async () => {
    // An engine that names the diagnosis, as a small model might.
    const leaky: PatientEngine = {
      name: "openai",
      modelName: "leaky",
      openConversation: async () => ({
        async *reply() {
          yield "I am sure it is dengue fever. The fever started three days ago.";
        },
        dispose: async () => {},
      }),
      dispose: async () => {},
    };
    const temporary = await temporaryEmbeddedStore();
    try {
      const leakyApp = (
        await testApp(temporary.store, {
          engine: leaky,
          keys: [{ key: "student-key-123", name: "s", role: "student" }],
        })
      ).app;
      const created = await leakyApp.request("/v1/sessions", {
        method: "POST",
        headers: STUDENT,
        body: JSON.stringify({ case: publicCaseId("dengue-fever"), persona: "calm" }),
      });
      const { id } = (await created.json()) as { id: string };
      const turn = await leakyApp.request(`/v1/sessions/${id}/messages`, {
        method: "POST",
        headers: STUDENT,
        body: JSON.stringify({ content: "What is wrong, do you think?" }),
      });
      const text = await turn.text();
      expect(turn.status, text).toBe(200);
      expect((JSON.parse(text) as { guarded?: { kind: string } }).guarded).toEqual({ kind: "diagnosis_leak" });
      expectNoDiagnosis(text, byPublicId.get(publicCaseId("dengue-fever"))!);
    } finally {
      await temporary.cleanup();
    }
  });
});
