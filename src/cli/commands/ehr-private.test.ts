import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { cdpRho } from "../../ehr/private/index.js";
import { launchChromium } from "../../report/chromium.test-utils.js";
import { runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const covidFile = fileURLToPath(new URL("../../../../shared/data/medicaldata/covid_testing_deid.csv", import.meta.url));
const covidSchema = fileURLToPath(new URL("../../../examples/covid_testing.schema.yaml", import.meta.url));

const temp = useTempDirectory("medsim-ehr-private-");
let realFile: string;
let schemaFile: string;

beforeAll(async () => {
  realFile = temp.file("real.csv");
  const lines = ["id,sex,age,result,ct"];
  for (let index = 0; index < 600; index++) {
    const positive = index % 6 === 0;
    lines.push(
      [
        1000 + index,
        index % 3 === 0 ? "male" : "female",
        (index * 7) % 90,
        positive ? "positive" : "negative",
        positive ? (18 + (index % 20)).toFixed(2) : index % 13 === 0 ? "NA" : "45",
      ].join(","),
    );
  }
  await writeFile(realFile, `${lines.join("\n")}\n`);
  schemaFile = temp.file("schema.yaml");
  await writeFile(
    schemaFile,
    [
      "columns:",
      "  - { name: sex, type: categorical, categories: [female, male] }",
      "  - { name: age, type: numeric, bounds: [0, 120], bins: 24, precision: 1 }",
      "  - { name: result, type: categorical, categories: [negative, positive] }",
      "  - { name: ct, type: numeric, bounds: [10, 45], bins: 7, precision: 0.01, special: [45] }",
    ].join("\n"),
  );
});

describe("medsim ehr fit / report", () => {
  it("fit prints the budget it spent, writes the copy and its fit record; report reads both", async () => {
    const out = temp.file("synthetic.csv");
    const fit = await runCommand("ehr fit --epsilon 1 --seed 3", realFile, "--schema", schemaFile, "--out", out);
    expect(fit.code).toBe(0);
    const rho = cdpRho(1, 1e-9);
    // The budget printed is the ledger's sum (what was spent), and equals the budget asked for.
    expect(fit.stdout).toContain(`rho ${rho.toPrecision(6)} zCDP; rho spent ${rho.toPrecision(6)}`);
    expect(fit.stdout).toContain("left out: id (not in the schema)");
    const json = await runCommand(
      "ehr fit --epsilon 1 --seed 3 --json",
      realFile,
      "--schema",
      schemaFile,
      "--out",
      out,
    );
    const summary = JSON.parse(json.stdout);
    expect(summary.privacy.rho).toBe(rho);
    expect(summary.privacy.rhoSpent).toBeCloseTo(rho, 12);
    expect(summary.privacy.ledger.reduce((sum: number, entry: { rho: number }) => sum + entry.rho, 0)).toBe(
      summary.privacy.rhoSpent,
    );
    const record = JSON.parse(await readFile(`${out}.fit.json`, "utf8"));
    expect(record.summary.privacy.rhoSpent).toBe(summary.privacy.rhoSpent);

    const report = await runCommand("ehr report", realFile, out, "--json");
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout);
    expect(parsed.fit.privacy.epsilon).toBe(1);
    expect(parsed.quality.overall).toBeGreaterThan(0.8);
    expect(parsed.quality.overall).toBeLessThanOrEqual(1);
    expect(parsed.quality.columnShapes).toHaveLength(4);
    expect(parsed.quality.pairTrends).toHaveLength(6);
    expect(parsed.privacy.copyShareRaw).toBeGreaterThanOrEqual(0);
  });

  it("same seed, same bytes from the command", async () => {
    const a = temp.file("a.csv");
    const b = temp.file("b.csv");
    for (const out of [a, b]) {
      expect(
        (await runCommand("ehr fit", realFile, "--epsilon", "0.5", "--schema", schemaFile, "--out", out, "--seed", "7"))
          .code,
      ).toBe(0);
    }
    expect(await readFile(a)).toEqual(await readFile(b));
  });

  it("without a schema: writes the inferred schema and warns in plain words", async () => {
    const out = temp.file("inferred.csv");
    const result = await runCommand("ehr fit", realFile, "--epsilon", "1", "--out", out, "--seed", "1");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /warning: The columns' categories and numeric bounds were taken from the real data itself/,
    );
    const schema = await readFile(temp.file("inferred.schema.yaml"), "utf8");
    expect(schema).toMatch(/NOT covered by the privacy guarantee/);
    expect(schema).toMatch(/inferredFromData: true/);
    const report = await runCommand("ehr report", realFile, out);
    expect(report.stdout).toMatch(/NOT covered by\s+the privacy guarantee/);
  });

  it("the copula is labelled non-private in fit and report", async () => {
    const out = temp.file("copula.csv");
    const fit = await runCommand("ehr fit --mechanism copula --seed 1", realFile, "--schema", schemaFile, "--out", out);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toContain("NON-PRIVATE");
    const report = await runCommand("ehr report", realFile, out);
    expect(report.stdout).toContain("NON-PRIVATE");
  });

  it("bad input: one line naming file and line, exit 1, and no output file at all", async () => {
    const ragged = temp.file("ragged.csv");
    await writeFile(ragged, "sex,age,result,ct\nmale,3,negative,45\nfemale,4,negative\n");
    const out = temp.file("never.csv");
    const result = await runCommand("ehr fit", ragged, "--epsilon", "1", "--schema", schemaFile, "--out", out);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`medsim: ${ragged}:3: row has 3 fields, expected 4 (as in the header)\n`);
    const outside = temp.file("outside.csv");
    await writeFile(outside, "sex,age,result,ct\nmale,3,negative,45\nfemale,400,negative,45\n");
    const second = await runCommand("ehr fit", outside, "--epsilon", "1", "--schema", schemaFile, "--out", out);
    expect(second.stderr).toBe(`medsim: ${outside}:3: column "age": 400 is outside the schema's bounds [0, 120]\n`);
    expect((await readdir(temp.path)).filter((name) => name.startsWith("never"))).toEqual([]);
    const usage = await runCommand("ehr fit", realFile, "--out", out);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--epsilon: MST needs a privacy budget/);
    const overwrite = await runCommand("ehr fit", realFile, "--epsilon", "1", "--out", realFile);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/must not overwrite the real one/);
  });

  it("the HTML report opens in headless Chromium with every chart drawn", async () => {
    const out = temp.file("for-report.csv");
    await runCommand("ehr fit", realFile, "--epsilon", "1", "--schema", schemaFile, "--out", out, "--seed", "5");
    const holdout = temp.file("holdout.csv");
    await writeFile(holdout, (await readFile(realFile, "utf8")).split("\n").slice(0, 201).join("\n"));
    const html = temp.file("report.html");
    const result = await runCommand("ehr report", realFile, out, "--holdout", holdout, "--out", html);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/closer to training than holdout: 0\.\d+/);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      await page.goto(pathToFileURL(html).href);
      // One distribution chart per column plus two correlation heat maps, each with marks drawn.
      const charts = await page.locator("figure.chart svg").count();
      expect(charts).toBe(4 + 2 + 1); // and the pair-trend map
      const bars = await page.locator('figure.chart svg [aria-roledescription="bar"]').count();
      expect(bars).toBeGreaterThan(20);
      const cells = await page.locator('figure.chart svg [aria-roledescription="rect mark"]').count();
      expect(cells).toBe(2 * 2 * 2 + 4 * 3); // two 2x2 heat maps (age, ct), 12 cells of pair trends
      const box = await page.locator("figure.chart svg").first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.textContent("body")).toContain("Differentially private: MST at (ε = 1");
      const screenshot = temp.file("report.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      expect((await readFile(screenshot)).length).toBeGreaterThan(20_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe.skipIf(!existsSync(covidFile))("the covid testing table (../shared)", () => {
  it("MST at epsilon 1 with the shipped schema reaches overall quality >= 0.97, above the copula", async () => {
    const out = temp.file("covid-mst.csv");
    const fit = await runCommand("ehr fit --epsilon 1 --seed 1", covidFile, "--schema", covidSchema, "--out", out);
    expect(fit.code).toBe(0);
    const report = JSON.parse(
      (await runCommand("ehr report", covidFile, out, "--json", "--sample-rows", "300")).stdout,
    );
    expect(report.quality.overall).toBeGreaterThanOrEqual(0.97);
    const copulaOut = temp.file("covid-copula.csv");
    await runCommand("ehr fit --mechanism copula --seed 1", covidFile, "--schema", covidSchema, "--out", copulaOut);
    const copula = JSON.parse(
      (await runCommand("ehr report", covidFile, copulaOut, "--json", "--sample-rows", "300")).stdout,
    );
    expect(copula.quality.overall).toBeGreaterThan(0.95);
    expect(report.quality.overall).toBeGreaterThan(copula.quality.overall);
  }, 240_000);
});
