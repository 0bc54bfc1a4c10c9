import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { publicCaseId } from "../src/domain/index.js";
import { PG_SKIP_REASON, PG_URL, temporaryPostgresDatabase } from "../src/server/server.test-utils.js";
import { startServe, type ServeProcess } from "./serve-process.test-utils.js";

const KEY = "k";

async function api(server: ServeProcess, method: string, path: string, body?: unknown, key = KEY) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("medsim serve (a real process) with the official openai client", () => {
  let server: ServeProcess;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "medsim-serve-"));
    server = await startServe(["--engine", "scripted", "--api-key", KEY, "--db", directory]);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    await rm(directory, { recursive: true, force: true });
  });

  it("says at start that it listens on loopback and needs a key", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stderr()).toContain("every route but /health needs one");
  });

  it("answers chat.completions.create as the patient, without and with streaming", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY });
    const models = await client.models.list();
    // Model ids name cases by public id; the internal one (`pulmonary-tuberculosis`) names the diagnosis.
    const model = `patient/${publicCaseId("pulmonary-tuberculosis")}/anxious`;
    expect(models.data.map((entry) => entry.id)).toContain(model);
    expect(JSON.stringify(models.data)).not.toMatch(/tuberculosis/);

    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "How long have you had the cough?" }],
    });
    expect(completion.object).toBe("chat.completion");
    const reply = completion.choices[0]!.message.content!;
    expect(reply.toLowerCase()).toMatch(/week|month|day/);
    expect(reply.toLowerCase()).not.toContain("tuberculosis");

    // The --api-key key is an admin key: it may still name the case by its internal id.
    const stream = await client.chat.completions.create({
      model: "patient/pulmonary-tuberculosis/anxious",
      messages: [
        { role: "user", content: "How long have you had the cough?" },
        { role: "assistant", content: reply },
        { role: "user", content: "Do you smoke?" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? "";
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(streamed.toLowerCase()).toMatch(/smok|tobacco|bidi|cigarette/);
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("gives 401 and no data without the key", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: "patient/pulmonary-tuberculosis/anxious", messages: [{ role: "user", content: "Hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    const bare = await fetch(`${server.url}/v1/models`);
    expect(bare.status).toBe(401);
    const text = await bare.text();
    expect(text).not.toContain("patient/");
    expect(JSON.parse(text)).toEqual({ error: expect.objectContaining({ code: "unauthorized" }) });
  });

  it("answers a WebSocket that sends garbage with an error and keeps it and other sessions working", async () => {
    const first = await api(server, "POST", "/v1/sessions", { case: "dengue-fever", persona: "calm" });
    const other = await api(server, "POST", "/v1/sessions", { case: "dengue-fever", persona: "rude" });
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/v1/sessions/${first.body.id}/ws`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const messages: Record<string, unknown>[] = [];
    const waitFor = (type: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const check = () => {
          const found = messages.find((message) => message.type === type);
          if (found) {
            messages.splice(messages.indexOf(found), 1);
            resolve(found);
          } else setTimeout(check, 10);
        };
        check();
      });
    socket.on("message", (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await waitFor("ready");
    socket.send("this is not json {");
    expect(await waitFor("error")).toMatchObject({ error: { code: "invalid_input" } });
    socket.send(JSON.stringify({ type: "shout", content: 5 }));
    expect(await waitFor("error")).toMatchObject({ error: { code: "invalid_input", param: "type" } });
    socket.send(Buffer.from([0, 1, 2, 3]));
    expect(await waitFor("error")).toMatchObject({ error: { code: "invalid_input" } });
    socket.send(JSON.stringify({ type: "message", content: "Do you have any allergies?" }));
    const sentence = await waitFor("sentence");
    const reply = await waitFor("reply");
    expect(String(reply.reply)).toContain(String(sentence.text));
    socket.close();
    const otherTurn = await api(server, "POST", `/v1/sessions/${other.body.id}/messages`, { content: "Hello" });
    expect(otherTurn.status).toBe(200);
    // An unknown session is refused before the upgrade.
    const refused = new WebSocket(`${server.url.replace("http", "ws")}/v1/sessions/ses_nothing/ws`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const status = await new Promise<number>((resolve) =>
      refused.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(status).toBe(404);
  });
});

/** Two acknowledged turns, SIGKILL, restart on the same store: the session is intact and continues. */
async function checkDurability(database: string) {
  let server = await startServe(["--engine", "scripted", "--api-key", KEY, "--db", database]);
  const created = await api(server, "POST", "/v1/sessions", { case: "dengue-fever", persona: "calm" });
  const id = String(created.body.id);
  const first = await api(server, "POST", `/v1/sessions/${id}/messages`, { content: "What brings you in today?" });
  const second = await api(server, "POST", `/v1/sessions/${id}/messages`, { content: "Are you taking any medicines?" });
  expect([first.status, second.status]).toEqual([200, 200]);
  await server.kill9();

  server = await startServe(["--engine", "scripted", "--api-key", KEY, "--db", database]);
  try {
    const restored = await api(server, "GET", `/v1/sessions/${id}`);
    expect(restored.status).toBe(200);
    expect(restored.body.transcript).toEqual([
      { role: "doctor", content: "What brings you in today?" },
      { role: "patient", content: first.body.reply },
      { role: "doctor", content: "Are you taking any medicines?" },
      { role: "patient", content: second.body.reply },
    ]);
    const disclosed = (restored.body.disclosedFacts as { id: string }[]).map((fact) => fact.id);
    expect(disclosed).toContain("medications.0");
    const third = await api(server, "POST", `/v1/sessions/${id}/messages`, { content: "Do you smoke?" });
    expect(third.status).toBe(200);
    expect(third.body.turn).toBe(5);
    // Already disclosed before the crash, so not new again.
    expect((third.body.newlyDisclosedFacts as { id: string }[]).map((fact) => fact.id)).not.toContain("medications.0");
  } finally {
    await server.stop();
  }
}

// Each test starts `medsim serve` twice (the embedded store opens PGlite's WebAssembly each time),
// which on a loaded 2-core machine can take most of a minute.
describe("durability across kill -9", { timeout: 240_000 }, () => {
  it("keeps acknowledged turns in the embedded store", async () => {
    const directory = await mkdtemp(join(tmpdir(), "medsim-durable-"));
    try {
      await checkDurability(directory);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it.skipIf(!PG_URL)("keeps acknowledged turns in PostgreSQL", async () => {
    const database = await temporaryPostgresDatabase(PG_URL!);
    try {
      await checkDurability(database.url);
    } finally {
      await database.cleanup();
    }
  });
  if (!PG_URL) process.stderr.write(`${PG_SKIP_REASON}\n`);
});
