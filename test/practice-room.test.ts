/**
 * The practice room in a real browser: Debian's Chromium (playwright-core) against a `medsim serve`
 * this test starts (the built CLI, scripted engine, embedded store, API keys). Screenshots go to
 * `test-output/practice-room/` (1280 and 768 px); every page is scanned with axe-core.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicCaseId, type PatientCase } from "../src/domain/index.js";
import { cases } from "../src/library/index.js";
import { launchChromium, type LaunchedChromium } from "../src/report/chromium.test-utils.js";
import { diagnosisNamesIn } from "../src/server/diagnosis.test-utils.js";
import { decodeWav } from "../src/speech/index.js";

const bin = fileURLToPath(new URL("../bin/medsim.js", import.meta.url));
const shots = fileURLToPath(new URL("../test-output/practice-room/", import.meta.url));
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const STUDENT_KEY = "student-key-0123456789";
const ADMIN_KEY = "teacher-key-0123456789";

let server: ChildProcess;
let baseUrl: string;
let directory: string;
let browser: LaunchedChromium;

/** Starts `medsim serve` on a free port and waits for it to answer /health. */
async function startServer(): Promise<void> {
  directory = await mkdtemp(join(tmpdir(), "medsim-room-"));
  const keys = join(directory, "keys.yaml");
  await writeFile(
    keys,
    `- { key: ${STUDENT_KEY}, name: student-a, role: student }\n- { key: ${ADMIN_KEY}, name: teacher, role: admin }\n`,
  );
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(
    process.execPath,
    [bin, "serve", "--engine", "scripted", "--port", String(port), "--db", join(directory, "db"), "--api-keys", keys],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (server.exitCode !== null) throw new Error(`medsim serve exited: ${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`medsim serve did not start: ${output}`);
}

/** axe-core in the page: no serious or critical violation. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 3),
    }));
  });
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious, `${name}: ${JSON.stringify(serious)}`).toEqual([]);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function useKey(page: Page, key: string): Promise<void> {
  await page.goto(`${baseUrl}/#/settings`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved.").waitFor();
}

async function ask(page: Page, question: string): Promise<void> {
  const before = await page.locator("li.entry.patient:not([aria-busy])").count();
  await page.getByLabel("Your question to the patient").fill(question);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    (count) => document.querySelectorAll("li.entry.patient:not([aria-busy])").length > count,
    before,
  );
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  await startServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe("the practice room in Chromium", () => {
  it("a student picks a case, asks, orders a test, hears a reply, ends and reads the feedback", async () => {
    const page = await browser.context.newPage();
    await useKey(page, STUDENT_KEY);
    await page.goto(`${baseUrl}/#/`);
    await page.getByRole("heading", { name: "Choose a patient" }).waitFor();
    const picker = await page.locator(".case-grid").innerText();
    expect(picker).toContain("High fever with body aches in the monsoon");
    // The picker never shows a diagnosis.
    expect(picker.toLowerCase()).not.toContain("dengue");
    await expectAccessible(page, "picker");
    await screenshots(page, "1-picker");

    await page.getByRole("radio", { name: /High fever with body aches in the monsoon/ }).check();
    await page.getByLabel("Persona").selectOption("anxious");
    await page.getByRole("button", { name: "Start the interview" }).click();
    await page.getByRole("heading", { name: /Interview with Rahul Verma/ }).waitFor();
    await expect(page.getByRole("timer").innerText()).resolves.toMatch(/^[78]:\d\d$/);

    await ask(page, "Hello, I'm Asha, a final-year medical student. What brings you in today?");
    await ask(page, "I'm sorry to hear that. When did the fever start?");
    await ask(page, "Are you taking any medicines for it?");
    // The student names the test: the page lists none, since a case's tests would give its diagnosis away.
    await page.getByLabel("Test", { exact: true }).fill("complete blood count");
    await page.getByRole("button", { name: "Order test" }).click();
    const finding = page.locator("li.entry.finding");
    await finding.waitFor();
    expect(await finding.innerText()).toContain("platelets 98,000");

    // Hear the first reply: the server's WAV, and the same audio decoded by the browser.
    const speech = page.waitForResponse((response) => response.url().includes("/speech"));
    await page.locator("button.listen").first().click();
    // Playwright does not keep the body of a response the page read as a blob, so fetch the same URL.
    const speechUrl = (await speech).url();
    const served = await fetch(speechUrl, { headers: { Authorization: `Bearer ${STUDENT_KEY}` } });
    expect(served.headers.get("content-type")).toBe("audio/wav");
    const wav = decodeWav(new Uint8Array(await served.arrayBuffer()));
    let sum = 0;
    for (const sample of wav.samples) sum += sample * sample;
    expect(Math.sqrt(sum / wav.samples.length)).toBeGreaterThan(300);
    expect(wav.samples.length / wav.sampleRate).toBeGreaterThan(0.5);
    // The page's <audio> element loaded it, and the browser's own decoder reads it as sound.
    await page.waitForFunction(() => {
      const audio = document.querySelector("audio")!;
      return audio.readyState >= 1 && audio.duration > 0.5;
    });
    const decoded = await page.evaluate(async (url) => {
      const key = localStorage.getItem("medsim.apiKey");
      const bytes = await (await fetch(url, { headers: { Authorization: `Bearer ${key}` } })).arrayBuffer();
      const buffer = await new AudioContext().decodeAudioData(bytes);
      const channel = buffer.getChannelData(0);
      let sum = 0;
      for (const sample of channel) sum += sample * sample;
      return { duration: buffer.duration, rms: Math.sqrt(sum / channel.length) };
    }, speechUrl);
    expect(decoded.duration).toBeGreaterThan(0.5);
    expect(decoded.rms).toBeGreaterThan(0.01);
    await expectAccessible(page, "room");
    await screenshots(page, "2-room");

    await page.getByRole("button", { name: "End the encounter" }).click();
    await page.getByRole("button", { name: "Yes", exact: true }).click();
    await page.getByRole("heading", { name: /Feedback/ }).waitFor();
    const evidence = page.locator(".evidence q").first();
    await evidence.waitFor();
    const quote = await evidence.innerText();
    expect(quote.length).toBeGreaterThan(5);
    // The evidence links to its turn in the transcript.
    await page.locator(".evidence button").first().click();
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    expect(focused).toContain(quote.replace(/…$/, "").slice(0, 20));
    expect(await page.locator(".item.met").count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByText("Introduction (name and role)").count()).toBe(1);
    await expectAccessible(page, "feedback");
    await screenshots(page, "3-feedback");

    await page.goto(`${baseUrl}/#/history`);
    await page.getByRole("link", { name: "High fever with body aches in the monsoon" }).waitFor();
    await expectAccessible(page, "history");
    await page.close();
  });

  it("an educator writes a case, a student uses it, and the class view lists the session", async () => {
    const page = await browser.context.newPage();
    await useKey(page, STUDENT_KEY);
    await page.goto(`${baseUrl}/#/educator/cases`);
    await page.getByText(/admin role/).waitFor();

    await useKey(page, ADMIN_KEY);
    await page.goto(`${baseUrl}/#/educator/cases`);
    await page
      .getByRole("button", { name: "Copy as new: High fever with body aches in the monsoon (dengue-fever)" })
      .click();
    const editor = page.getByLabel("case (YAML)");
    const original = await editor.inputValue();
    const authored = original
      .replace(/^id: .*$/m, "id: monsoon-fever-ward")
      .replace(/^title: .*$/m, "title: Ward round fever after the rains");
    await editor.fill(authored.replace("severity: 7", "severity: eleven"));
    await page.getByRole("button", { name: "Validate" }).click();
    const error = page.locator("#yaml-errors");
    await error.waitFor();
    expect(await error.innerText()).toMatch(/line \d+, historyOfPresentIllness\.severity/);
    await expectAccessible(page, "educator-invalid");
    await screenshots(page, "4-educator-invalid");

    await editor.fill(authored);
    await page.getByRole("button", { name: "Validate" }).click();
    await page.locator(".preview .case-title", { hasText: "Ward round fever after the rains" }).waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText('Saved "monsoon-fever-ward"').waitFor();

    await useKey(page, STUDENT_KEY);
    await page.goto(`${baseUrl}/#/`);
    await page.getByRole("radio", { name: /Ward round fever after the rains/ }).check();
    await page.getByRole("button", { name: "Start the interview" }).click();
    await page.getByRole("heading", { name: /Interview with/ }).waitFor();
    await ask(page, "What brings you in today?");
    await page.getByRole("button", { name: "End the encounter" }).click();
    await page.getByRole("button", { name: "Yes", exact: true }).click();
    await page.getByRole("heading", { name: /Feedback/ }).waitFor();

    await useKey(page, ADMIN_KEY);
    await page.goto(`${baseUrl}/#/educator/class`);
    const row = page.locator("tr", { hasText: "Ward round fever after the rains" }).first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/1/);
    expect(await page.locator("#most-missed + ol li").count()).toBeGreaterThan(0);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const csv = await readFile((await (await download).path())!, "utf8");
    expect(csv.split("\r\n")[0]).toContain("session_id,student,case_id");
    expect(csv).toContain("monsoon-fever-ward");
    await expectAccessible(page, "class");
    await screenshots(page, "5-class");
    await page.close();
  });

  it("no page or response a student sees names the diagnosis, for each of the 27 built-in cases", async () => {
    const builtIns = await cases.list();
    expect(builtIns).toHaveLength(27);
    const page = await browser.context.newPage();
    await useKey(page, STUDENT_KEY);
    const expectNone = (text: string, patientCase: PatientCase, where: string) =>
      expect(diagnosisNamesIn(text, patientCase), `${patientCase.id}: ${where}`).toEqual([]);

    await page.goto(`${baseUrl}/#/`);
    await page.locator(".case-card").first().waitFor();
    for (const patientCase of builtIns) {
      const radio = page.locator(`input[name="case"][value="${publicCaseId(patientCase.id)}"]`);
      const card = page.locator(".case-card", { has: radio });
      expectNone(await card.innerText(), patientCase, "picker card");
      expectNone(await card.evaluate((element) => element.outerHTML), patientCase, "picker card HTML");
    }
    const pickerHtml = await page.content();
    for (const patientCase of builtIns)
      expect(pickerHtml, patientCase.id).not.toMatch(new RegExp(`(^|[^a-z0-9-])${patientCase.id}($|[^a-z0-9-])`));

    for (const patientCase of builtIns) {
      const created = await fetch(`${baseUrl}/v1/sessions`, {
        method: "POST",
        headers: { Authorization: `Bearer ${STUDENT_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({ case: publicCaseId(patientCase.id), persona: "calm" }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      // The room's requests, as the student's network tab shows them.
      const responses = [`/v1/sessions/${id}`, "/v1/practice/catalog"].map((path) =>
        page.waitForResponse((response) => new URL(response.url()).pathname === path),
      );
      await page.goto(`${baseUrl}/#/session/${id}`);
      await page.getByRole("heading", { name: /Interview with/ }).waitFor();
      await page.locator("#exam-system").waitFor();
      expectNone(`${await page.title()} ${await page.content()}`, patientCase, "room");
      const [session, catalog] = await Promise.all(responses);
      expectNone(await session!.text(), patientCase, "session response");
      // The catalog lists every case (one may name another's diagnosis: "presumptive TB screening"),
      // so each entry is checked against its own case.
      const entries = ((await catalog!.json()) as { cases: { id: string }[] }).cases;
      for (const entry of entries) {
        const owner = builtIns.find((item) => publicCaseId(item.id) === entry.id);
        if (owner) expectNone(JSON.stringify(entry), owner, "catalog response");
      }
    }
    await page.close();
  });
});
