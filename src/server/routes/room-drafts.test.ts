/**
 * The practice room sends drafts while the student types or speaks: Debian's Chromium
 * (playwright-core) against an in-process server whose engine records each draft handed to its
 * `prepare`. Headless Chromium has no speech recognition, so the voice test injects a stand-in
 * `SpeechRecognition` that plays interim then final results, as Chrome's does. Needs the built room
 * (`npm run build`, or `node web/build.mjs`). Screenshots: test-output/practice-room/.
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

  it("voice input: speech recognition's interim text goes out as drafts, then the final text as the turn", async () => {
    // What the stand-in recogniser hears, event by event: each event's whole result list, as
    // Chrome sends it. In the second, the first words are final and the rest still interim; a
    // later result's transcript starts with a space.
    const interim: Heard[][] = [
      [{ transcript: "since how many", isFinal: false }],
      [
        { transcript: "since how many days", isFinal: true },
        { transcript: " have you", isFinal: false },
      ],
      [{ transcript: "since how many days have you had the fever", isFinal: false }],
    ];
    const spoken = "since how many days have you had the fever";
    const final: Heard[] = [{ transcript: spoken, isFinal: true }];
    const interimTexts = ["since how many", "since how many days have you", spoken];

    const control = await newSession();
    const expected = await api<{ reply: string }>("POST", `/v1/sessions/${control}/messages`, { content: spoken });
    const id = await newSession();
    const page = await browser.context.newPage();
    await page.addInitScript(installSpeechStandIn, { interim, final, gapMs: PAUSE_MS });
    const drafts: string[] = [];
    const messages: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith(`/v1/sessions/${id}/draft`))
        drafts.push((request.postDataJSON() as { text: string }).text);
      if (request.url().endsWith(`/v1/sessions/${id}/messages`))
        messages.push((request.postDataJSON() as { content: string }).content);
    });
    await openRoom(page, id);
    const before = spy.drafts.length;

    const speak = page.getByRole("button", { name: "Speak" });
    await speak.click();
    const stop = page.getByRole("button", { name: "Stop listening" });
    await expect.poll(() => stop.getAttribute("aria-pressed")).toBe("true");
    // The recogniser was set up for Indian English with interim results, one utterance at a time.
    expect(await page.evaluate(() => window.speechStandIn.started)).toEqual([
      { lang: "en-IN", interimResults: true, continuous: false },
    ]);
    // Each interim text reaches the engine as a draft; the box shows what was heard so far.
    await waitFor(() => spy.drafts.at(-1) === spoken, "the last interim text to reach the engine");
    expect(await page.getByLabel("Your question to the patient").inputValue()).toBe(spoken);
    // The page says it is listening, and that the question goes when the student stops.
    const status = page.locator("form.ask [role=status]");
    expect(await status.innerText()).toMatch(/^Listening.*sent when you stop speaking/);
    await page.screenshot({ path: `${shots}voice-listening.png` });
    expect(drafts).toEqual(interimTexts);
    expect(spy.drafts.slice(before)).toEqual(interimTexts);
    expect(messages).toEqual([]);

    // The final result is sent as the turn, once, and recognition ends.
    await page.evaluate(() => window.speechStandIn.finish());
    await page.locator("li.entry.patient:not([aria-busy])").waitFor();
    await page.getByRole("button", { name: "Speak" }).waitFor();
    expect(await page.getByRole("button", { name: "Speak" }).getAttribute("aria-pressed")).toBe("false");
    expect(messages).toEqual([spoken]);
    const stored = await api<{ transcript: { role: string; content: string }[] }>("GET", `/v1/sessions/${id}`);
    expect(stored.transcript).toEqual([
      { role: "doctor", content: spoken },
      { role: "patient", content: expected.reply },
    ]);
    expect(await page.locator("li.entry.patient .said").innerText()).toBe(expected.reply);
    // No draft after the turn: the box is empty again.
    await page.waitForTimeout(PAUSE_MS);
    expect(drafts).toEqual(interimTexts);
    expect(spy.drafts.length - before).toBe(interimTexts.length);
    expect(await page.getByLabel("Your question to the patient").inputValue()).toBe("");
    expect(await status.innerText()).toBe("");
    await page.screenshot({ path: `${shots}voice-replied.png` });
    await page.close();
  });
});

/** One speech recognition result as the stand-in delivers it. */
interface Heard {
  transcript: string;
  isFinal: boolean;
}

declare global {
  interface Window {
    speechStandIn: {
      started: { lang: string; interimResults: boolean; continuous: boolean }[];
      /** Delivers the final result, then ends recognition. */
      finish(): void;
    };
  }
}

/**
 * Runs in the page before its scripts (`addInitScript`): a `SpeechRecognition` (and
 * `webkitSpeechRecognition`) that, once started, delivers each `interim` event `gapMs` apart (longer
 * than the room's debounce, as a speaker's pauses between words are), then waits for
 * `speechStandIn.finish()` to deliver `final` and end, as Chrome's does when the speaker stops.
 * `stop()` ends it early, as the real one does.
 */
function installSpeechStandIn({ interim, final, gapMs }: { interim: Heard[][]; final: Heard[]; gapMs: number }) {
  type Listener = ((event: unknown) => void) | null;
  const results = (heard: Heard[]) =>
    Object.assign(
      heard.map((result) =>
        Object.assign([{ transcript: result.transcript, confidence: 0.9 }], { isFinal: result.isFinal }),
      ),
      { item: (index: number) => heard[index] },
    );
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  window.speechStandIn = { started: [], finish: () => finish() };
  class StandInRecognition {
    lang = "";
    interimResults = false;
    continuous = false;
    onresult: Listener = null;
    onerror: Listener = null;
    onend: Listener = null;
    private ended = false;
    start() {
      window.speechStandIn.started.push({
        lang: this.lang,
        interimResults: this.interimResults,
        continuous: this.continuous,
      });
      void (async () => {
        for (const heard of interim) {
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          if (this.ended) return;
          this.onresult?.({ resultIndex: 0, results: results(heard) });
        }
        await finished;
        if (this.ended) return;
        this.onresult?.({ resultIndex: 0, results: results(final) });
        this.end();
      })();
    }
    stop() {
      setTimeout(() => this.end(), 0);
    }
    abort() {
      this.stop();
    }
    private end() {
      if (this.ended) return;
      this.ended = true;
      this.onend?.(new Event("end"));
    }
  }
  Object.assign(window, { SpeechRecognition: StandInRecognition, webkitSpeechRecognition: StandInRecognition });
}
