import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";
import { barChartSpec, heatmapSpec, renderChartSvg, type ChartSpec } from "./charts.js";
import { launchChromium, type LaunchedChromium } from "./chromium.test-utils.js";
import { chartRow, escapeHtml, htmlTable, rawHtml, renderHtmlPage } from "./html.js";

describe("renderChartSvg", () => {
  it("draws one bar per row, scaled to the values", async () => {
    const svg = await renderChartSvg(
      barChartSpec({
        title: "ROUGE-L",
        rows: [
          { model: "base", value: 0.25 },
          { model: "fine-tuned", value: 0.75 },
        ],
        category: "model",
        value: "value",
        domain: [0, 1],
        width: 400,
      }),
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<script|href="http/);
    // Bars are paths "M0,y h{width}..." in the mark-rect group; widths must be 100 and 300 px (0.25 and 0.75 of 400).
    const widths = [
      ...svg.matchAll(
        /<path aria-label="[^"]*" role="graphics-symbol" aria-roledescription="bar" d="M0,[\d.]+h([\d.]+)/g,
      ),
    ].map((match) => Number(match[1]));
    expect(widths).toEqual([100, 300]);
    expect(svg).toContain("fine-tuned");
  });

  it("names a broken spec in one line", async () => {
    await expect(renderChartSvg({ data: { values: [] }, mark: "nonsense" } as unknown as ChartSpec)).rejects.toThrow(
      /chart could not be drawn/,
    );
  });

  it("refuses to load data from a URL", async () => {
    await expect(
      renderChartSvg({ data: { url: "http://127.0.0.1:9/data.json" }, mark: "bar" } as ChartSpec),
    ).rejects.toThrow(/inline data only/);
  });
});

describe("renderHtmlPage", () => {
  it("escapes text and builds tables", () => {
    expect(escapeHtml(`<b a="1">&'`)).toBe("&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
    const table = htmlTable(
      ["name", "n"],
      [
        ["<x>", 3],
        [rawHtml("<mark>y</mark>"), 4],
      ],
    );
    expect(table).toContain("<td>&lt;x&gt;</td>");
    expect(table).toContain('<td class="number">3</td>');
    expect(table).toContain("<td><mark>y</mark></td>");
    const page = renderHtmlPage({ title: "A & B", body: "<p>x</p>" });
    expect(page).toContain("<title>A &amp; B</title>");
    expect(page).toContain("default-src 'none'");
  });
});

describe("a report in Chromium", () => {
  const temp = useTempDirectory("medsim-report-");
  let browser: LaunchedChromium;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows its charts drawn and requests nothing", async () => {
    const specs = [
      barChartSpec({
        title: "metrics",
        rows: [
          { metric: "accuracy", model: "base", value: 0.4 },
          { metric: "accuracy", model: "fine-tuned", value: 0.9 },
        ],
        category: "metric",
        value: "value",
        color: "model",
      }),
      heatmapSpec({
        title: "confusion",
        cells: [
          { row: "calm", column: "calm", count: 9 },
          { row: "calm", column: "rude", count: 1 },
          { row: "rude", column: "calm", count: 0 },
          { row: "rude", column: "rude", count: 10 },
        ],
        rowTitle: "true",
        columnTitle: "predicted",
      }),
    ];
    const svgs = await Promise.all(specs.map((spec) => renderChartSvg(spec)));
    const file = temp.file("report.html");
    await writeFile(file, renderHtmlPage({ title: "Test report", body: chartRow(svgs) }));
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    const charts = await page.locator("figure.chart svg").all();
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(50);
    }
    // Two coloured bars and four heat-map cells are laid out with real size in the browser.
    const barBoxes = await page
      .locator('figure.chart svg path[aria-roledescription="bar"]')
      .evaluateAll((nodes) => nodes.map((node) => (node as SVGGraphicsElement).getBBox().width));
    expect(barBoxes.filter((width) => width > 10)).toHaveLength(2);
    expect(await page.locator('figure.chart svg path[aria-roledescription="rect mark"]').count()).toBe(4);
    await page.screenshot({ path: join(process.env.MEDSIM_SCREENSHOTS ?? temp.path, "report.png"), fullPage: true });
    expect(requests).toEqual([pathToFileURL(file).href]);
  });
});
