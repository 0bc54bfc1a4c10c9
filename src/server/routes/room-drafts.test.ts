/**
 * The practice room sends drafts while the student types: Debian's Chromium (playwright-core)
 * against an in-process server whose engine records each draft handed to its `prepare`. Needs the
 * built room (`npm run build`, or `node web/build.mjs`). Screenshot: test-output/practice-room/.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicCaseId } from "../../domain/index.js";
import { launchChromium, type LaunchedChromium } from "../../report/chromium.test-utils.js";
import { draftSpyEngine, waitFor } from "../draft-engine.test-utils.js";
import { startServer, type RunningServer } from "../server.js";
import { temporaryEmbeddedStore } from "../server.test-utils.js";
import { WEB_DIRECTORY } from "./web.js";

const shots = fileURLToPath(new URL("../../../test-output/practice-room/", import.meta.url));
const KEY = "student-key-0123456789";
/** Longer than the room's 300 ms debounce: the student stops to think. */
const PAUSE_MS = 800;

const spy = draftSpyEngine(30);
let server: RunningServer;
let cleanup: () => Promise<void>;
let browser: LaunchedChromium;

beforeAll(async () => {
  if (!existsSync(`${WEB_DIRECTORY}app.js`))
    throw new Error(`the practice room is not built (${WEB_DIRECTORY}): run \`npm run build\``);
  await mkdir(shots, { recursive: true });
  const temporary = await temporaryEmbeddedStore();
  cleanup = temporary.cleanup;
  server = await startServer({
    engine: spy.engine,
    store: temporary.store,
    port: 0,
    keys: [{ key: KEY, name: "student-a", role: "student" }],
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cleanup?.();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

const newSession = async () =>
  (await api<{ id: string }>("POST", "/v1/sessions", { case: publicCaseId("dengue-fever"), persona: "calm" })).id;

async function openRoom(page: Page, id: string): Promise<void> {
  await page.goto(`${server.url}/#/settings`);
  await page.evaluate((key) => localStorage.setItem("medsim.apiKey", key), KEY);
  await page.goto(`${server.url}/#/session/${id}`);
  await page.getByRole("heading", { name: /Interview with/ }).waitFor();
}

describe("the practice room's drafts in Chromium", () => {
  it("sends the question as typed once the student pauses, debounced, and never after sending it", async () => {
    const first = "Since how many days ";
    const rest = "have you had the fever?";
    const question = first + rest;
    // The reply to the same question in a session without drafts (the scripted engine is deterministic).
    const control = await newSession();
    const expected = await api<{ reply: string }>("POST", `/v1/sessions/${control}/messages`, { content: question });

    const id = await newSession();
    const page = await browser.context.newPage();
    const draftRequests: Request[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith(`/v1/sessions/${id}/draft`)) draftRequests.push(request);
    });
    await openRoom(page, id);
    const before = spy.drafts.length;

    const box = page.getByLabel("Your question to the patient");
    await box.click();
    // Keystrokes 40 ms apart, faster than the debounce, with a pause in the middle and at the end.
    await page.keyboard.type(first, { delay: 40 });
    await page.waitForTimeout(PAUSE_MS);
    await page.keyboard.type(rest, { delay: 40 });
    await page.waitForTimeout(PAUSE_MS);
    const sentBefore = draftRequests.length;
    // A letter typed and deleted at once leaves the text as sent: no new draft.
    await page.keyboard.type("x");
    await page.keyboard.press("Backspace");
    await page.waitForTimeout(PAUSE_MS);
    expect(draftRequests).toHaveLength(sentBefore);

    const sent = draftRequests.map((request) => (request.postDataJSON() as { text: string }).text);
    // One draft at each pause. (On a machine so loaded that a keystroke waited longer than the
    // debounce, one more may come in between; still far fewer than the keystrokes.)
    expect(sent).toContain(first);
    expect(sent.at(-1)).toBe(question);
    const keystrokes = question.length + 2;
    expect(sent.length).toBeLessThanOrEqual(Math.floor(keystrokes / 4));
    expect(draftRequests[0]!.headers().authorization).toBe(`Bearer ${KEY}`);
    // Each reached the session's engine, one at a time.
    await waitFor(() => spy.drafts.length - before === sent.length, "the drafts to reach the engine");
    expect(spy.drafts.slice(before)).toEqual(sent);
    expect(spy.mostAtOnce).toBe(1);
    await page.screenshot({ path: `${shots}drafts-typing.png` });

    await page.keyboard.press("Enter");
    await page.locator("li.entry.patient:not([aria-busy])").waitFor();
    // No draft after the question was sent, and the reply is the one without drafts.
    await page.waitForTimeout(PAUSE_MS);
    expect(draftRequests).toHaveLength(sent.length);
    expect(spy.drafts.length - before).toBe(sent.length);
    const stored = await api<{ transcript: { role: string; content: string }[] }>("GET", `/v1/sessions/${id}`);
    expect(stored.transcript).toEqual([
      { role: "doctor", content: question },
      { role: "patient", content: expected.reply },
    ]);
    expect(await page.locator("li.entry.patient .said").innerText()).toBe(expected.reply);
    await page.screenshot({ path: `${shots}drafts-replied.png`, fullPage: true });
    await page.close();
  });

  it("sends drafts while a student types on without pausing, about once a second", async () => {
    const id = await newSession();
    const page = await browser.context.newPage();
    const sent: { text: string; at: number }[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith(`/v1/sessions/${id}/draft`))
        sent.push({ text: (request.postDataJSON() as { text: string }).text, at: Date.now() });
    });
    await openRoom(page, id);
    const question = "Have you noticed any bleeding from your gums or nose, or any rash on your skin?";
    await page.getByLabel("Your question to the patient").click();
    // 80 keystrokes 50 ms apart, never a pause as long as the 300 ms debounce: about 4 s of typing.
    const started = Date.now();
    await page.keyboard.type(question, { delay: 50 });
    const finished = Date.now();
    await page.waitForTimeout(PAUSE_MS);
    const whileTyping = sent.filter((draft) => draft.at < finished);
    expect(whileTyping.length, `drafts while typing for ${finished - started} ms`).toBeGreaterThanOrEqual(2);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((finished - started) / 1000) + 2);
    // Each is a prefix of the question, growing; the last is the whole question.
    for (const [index, draft] of sent.entries()) {
      expect(question.startsWith(draft.text)).toBe(true);
      if (index > 0) expect(draft.text.length).toBeGreaterThan(sent[index - 1]!.text.length);
    }
    expect(sent.at(-1)!.text).toBe(question);
    await page.close();
  });
});
