import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { launchChromium } from "../../report/chromium.test-utils.js";
import { runCommand, runJson } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-cli-eval-run-");

describe("medsim eval run", () => {
  it(
    "scripted engine, all cases x the four seed personas: no leaks, no role breaks, and a report whose charts Chromium draws",
    { timeout: 300_000 },
    async () => {
      const report = temp.file("r.html");
      const result = await runCommand(
        "eval run --engine scripted --cases all --personas calm,anxious,rude,overly_patient --json",
        "--report",
        report,
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({
        engine: "scripted",
        model: "scripted",
        adapter: null,
        interviews: 108,
        baseline: null,
      });
      expect(json.turns).toBeGreaterThan(108 * 25);
      expect(json.metrics.diagnosis_leaks).toBe(0);
      expect(json.metrics.role_breaks).toBe(0);
      expect(Object.keys(json.metrics.factuality)).toEqual(["entailed", "neutral", "contradicted"]);
      for (const key of ["persona_accuracy", "unprompted_disclosures", "consistency", "relevance"])
        expect(typeof json.metrics[key]).toBe("number");

      const html = await readFile(report, "utf8");
      expect(html).not.toMatch(/<script|src="http|href="http(?!:\/\/www\.w3\.org)/);
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        const requests: string[] = [];
        page.on("request", (request) => requests.push(request.url()));
        await page.goto(pathToFileURL(report).href);
        const charts = page.locator("figure.chart svg");
        expect(await charts.count()).toBeGreaterThanOrEqual(5);
        // Every bar chart has bars of real width, and the confusion matrix has 4 x 4 cells.
        const barWidths = await page
          .locator('figure.chart svg path[aria-roledescription="bar"]')
          .evaluateAll((nodes) => nodes.map((node) => (node as SVGGraphicsElement).getBBox().width));
        expect(barWidths.filter((width) => width > 1).length).toBeGreaterThan(30);
        expect(await page.locator('figure.chart svg path[aria-roledescription="rect mark"]').count()).toBe(16);
        await page.screenshot({
          path: join(process.env.MEDSIM_SCREENSHOTS ?? temp.path, "eval-report.png"),
          fullPage: true,
        });
        expect(requests).toEqual([pathToFileURL(report).href]);
      } finally {
        await browser.close();
      }
    },
  );

  it("names a bad --baseline and an unknown persona in one line", async () => {
    const bad = await runCommand("eval run --engine scripted --baseline yesterday");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--baseline: expected none, base or an adapter \.gguf file, found "yesterday"/);
    const unknown = await runCommand("eval run --engine scripted --personas grumpy --cases dengue-fever");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown persona "grumpy"/);
  });
});

describe("medsim eval rouge", () => {
  it("prints rouge-score's figures for line pairs, and refuses files of different lengths", async () => {
    const pred = temp.file("pred.txt");
    const ref = temp.file("ref.txt");
    await writeFile(pred, "The quick brown dog jumps on the log.\nthe cats were running\n");
    await writeFile(ref, "The quick brown fox jumps over the lazy dog\na cat runs\n");
    const result = await runCommand("eval rouge --pred", pred, "--ref", ref, "--stem", "--json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.count).toBe(2);
    expect(Object.keys(json)).toEqual(["rouge1", "rouge2", "rougeL", "rougeLsum", "count"]);
    // pair 1: P 6/8, R 6/9; pair 2 (stemmed): cat, run match: P 2/4, R 2/3
    expect(json.rouge1.precision).toBeCloseTo((6 / 8 + 2 / 4) / 2, 12);
    expect(json.rouge1.recall).toBeCloseTo((6 / 9 + 2 / 3) / 2, 12);
    await writeFile(ref, "only one line\n");
    const mismatch = await runCommand("eval rouge --pred", pred, "--ref", ref, "--json");
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/has 2 lines but --ref .* has 1/);
  });
});

describe("medsim eval persona and eval responses", () => {
  it("classifies a line among the seed personas", async () => {
    const result = await runCommand("eval persona --text", "Ugh, I already told the nurse. Can we hurry up?", "--json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.persona).toBe("rude");
    expect(Object.keys(json.scores).sort()).toEqual(["anxious", "calm", "overly_patient", "rude"]);
    const missing = await runCommand("eval persona --json");
    expect(missing.code).toBe(2);
  });

  it("scores a JSONL of replies and names a bad line", async () => {
    const data = temp.file("replies.jsonl");
    const rows = [
      {
        case: "dengue-fever",
        persona: "anxious",
        question: "How long?",
        reply: "Oh doctor, three days now; the fever has not gone away. Is it serious?",
      },
      { case: "dengue-fever", persona: "calm", question: "What do you think it is?", reply: "I think it is dengue." },
      {
        case: "dengue-fever",
        persona: "rude",
        question: "Any medicines?",
        reply: "You should take paracetamol, obviously.",
      },
    ];
    await writeFile(data, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
    const json = await runJson("eval responses --data", data, "--json");
    expect(json.replies).toBe(3);
    expect(json.metrics.diagnosis_leaks).toBe(1);
    expect(json.metrics.role_breaks).toBe(1);
    await writeFile(data, `${JSON.stringify(rows[0])}\n{"case": "dengue-fever"}\n`);
    const bad = await runCommand("eval responses --data", data, "--json");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/replies\.jsonl:2/);
  });
});
