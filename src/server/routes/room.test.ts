import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWav } from "../../speech/index.js";
import type { ServerApp } from "../app.js";
import { publicCaseId } from "../../domain/index.js";
import { temporaryEmbeddedStore, testApp } from "../server.test-utils.js";

/** Students name cases by their public ids. */
const DENGUE = publicCaseId("dengue-fever");

const STUDENT = { Authorization: "Bearer student-key-123", "Content-Type": "application/json" };
const ADMIN = { Authorization: "Bearer admin-key-1234", "Content-Type": "application/json" };

let app: ServerApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  app = (
    await testApp(temporary.store, {
      keys: [
        { key: "student-key-123", name: "student", role: "student" },
        { key: "admin-key-1234", name: "teacher", role: "admin" },
      ],
    })
  ).app;
});
afterAll(() => cleanup());

async function session(): Promise<string> {
  const created = await app.request("/v1/sessions", {
    method: "POST",
    headers: STUDENT,
    body: JSON.stringify({ case: DENGUE, persona: "anxious" }),
  });
  const { id } = (await created.json()) as { id: string };
  await app.request(`/v1/sessions/${id}/messages`, {
    method: "POST",
    headers: STUDENT,
    body: JSON.stringify({ content: "Hello, I'm Sam, a medical student. What brings you in today?" }),
  });
  return id;
}

describe("practice room routes", () => {
  it("serves the page without a key, and the API only with one", async () => {
    const page = await app.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    expect((await app.request("/app.js")).status).toBe(200);
    expect((await app.request("/v1/practice/catalog")).status).toBe(401);
  });

  it("lists cases for the picker without their diagnoses", async () => {
    const response = await app.request("/v1/practice/catalog", { headers: STUDENT });
    const catalog = (await response.json()) as { cases: { id: string }[]; languages: string[] };
    expect(catalog.cases.length).toBeGreaterThanOrEqual(27);
    expect(JSON.stringify(catalog)).not.toMatch(/diagnosis|Dengue fever|haddi tod/);
    expect(catalog.languages).toEqual(["en", "hi", "hi-Latn"]);
  });

  it("records the language asked for and says the scripted engine answers in English", async () => {
    const created = await app.request("/v1/sessions", {
      method: "POST",
      headers: STUDENT,
      body: JSON.stringify({ case: DENGUE, persona: "calm", language: "hi" }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { language: unknown }).language).toEqual({
      requested: "hi",
      answered: "en",
      note: "the scripted engine answers in English",
    });
    const wrong = await app.request("/v1/sessions", {
      method: "POST",
      headers: STUDENT,
      body: JSON.stringify({ case: DENGUE, persona: "calm", language: "fr" }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { param: string } }).error.param).toBe("language");
  });

  it("speaks a reply as WAV and as a viseme timeline covering it", async () => {
    const id = await session();
    const wav = await app.request(`/v1/sessions/${id}/turns/1/speech`, { headers: STUDENT });
    expect(wav.headers.get("content-type")).toBe("audio/wav");
    const audio = decodeWav(new Uint8Array(await wav.arrayBuffer()));
    const duration = audio.samples.length / audio.sampleRate;
    expect(duration).toBeGreaterThan(0.5);

    const timeline = (await (
      await app.request(`/v1/sessions/${id}/turns/1/speech?format=visemes`, { headers: STUDENT })
    ).json()) as { durationSeconds: number; visemes: { start: number; end: number }[] };
    expect(timeline.durationSeconds).toBeCloseTo(duration, 5);
    expect(timeline.visemes[0]!.start).toBe(0);
    expect(timeline.visemes.at(-1)!.end).toBeCloseTo(duration, 5);
    timeline.visemes.forEach((cue, index) => {
      expect(cue.end).toBeGreaterThan(cue.start);
      if (index > 0) expect(cue.start).toBeCloseTo(timeline.visemes[index - 1]!.end, 6);
    });

    const student = await app.request(`/v1/sessions/${id}/turns/0/speech`, { headers: STUDENT });
    expect(student.status).toBe(400);
    expect(((await student.json()) as { error: { message: string } }).error.message).toMatch(/the student's/);
    expect((await app.request(`/v1/sessions/${id}/turns/99/speech`, { headers: STUDENT })).status).toBe(404);
  });

  it("ends a session with feedback, stored with it", async () => {
    const id = await session();
    const ended = (await (
      await app.request(`/v1/sessions/${id}/end`, { method: "POST", headers: STUDENT })
    ).json()) as {
      feedback: { mode: string; items: { id: string; status: string; evidence: { turn: number }[] }[] };
    };
    expect(ended.feedback.mode).toBe("deterministic");
    const introduction = ended.feedback.items.find((item) => item.id === "introduction")!;
    expect(introduction).toMatchObject({ status: "met", evidence: [{ turn: 0 }] });
    const stored = (await (await app.request(`/v1/sessions/${id}`, { headers: STUDENT })).json()) as {
      feedback: unknown;
    };
    expect(stored.feedback).toEqual(ended.feedback);
  });

  it("keeps the educator's API to admin keys, and validates authored YAML with lines", async () => {
    expect((await app.request("/v1/educator/class", { headers: STUDENT })).status).toBe(403);
    const invalid = (await (
      await app.request("/v1/educator/validate", {
        method: "POST",
        headers: ADMIN,
        body: JSON.stringify({ kind: "persona", yaml: "id: shy\nname: Shy\ndescription: quiet\nsentenceLimit: 40\n" }),
      })
    ).json()) as { valid: boolean; issues: { field: string; line?: number }[] };
    expect(invalid.valid).toBe(false);
    expect(invalid.issues.find((issue) => issue.field === "sentenceLimit")!.line).toBe(4);

    const csv = await app.request("/v1/educator/class.csv", { headers: ADMIN });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\r\n")[0]).toMatch(/^session_id,student,case_id/);
  });
});
