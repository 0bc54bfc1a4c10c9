import { chartRow, escapeHtml, htmlTable, renderChartSvg, renderHtmlPage, type ChartSpec } from "../../report/index.js";
import type { ColumnDistribution, EhrReport } from "./report.js";

const schemaUrl = "https://vega.github.io/schema/vega-lite/v6.json";

/** Grouped bars: real against synthetic share per bin or category. */
function distributionSpec(distribution: ColumnDistribution): ChartSpec {
  const values = distribution.bins.flatMap((bin, order) => [
    { label: bin.label, order, table: "real", share: bin.real },
    { label: bin.label, order, table: "synthetic", share: bin.synthetic },
  ]);
  return {
    $schema: schemaUrl,
    title: `${distribution.column} (${distribution.kind === "numeric" ? "bins from the lower edge" : "categories"})`,
    width: { step: distribution.kind === "numeric" ? 14 : 22 },
    height: 140,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "label",
        type: "nominal",
        sort: { field: "order" },
        title: null,
        axis: { labelAngle: -50, labelLimit: 90 },
      },
      xOffset: { field: "table", type: "nominal" },
      y: { field: "share", type: "quantitative", title: "share of rows", axis: { format: "%" } },
      color: {
        field: "table",
        type: "nominal",
        title: null,
        scale: { domain: ["real", "synthetic"], range: ["#4c78a8", "#f58518"] },
      },
    },
  } as ChartSpec;
}

/** A correlation heat map on the fixed scale [-1, 1]. */
function correlationSpec(title: string, columns: readonly string[], matrix: readonly number[][]): ChartSpec {
  const values = columns.flatMap((row, i) =>
    columns.map((column, j) => ({ row, column, r: Number.isFinite(matrix[i]![j]!) ? matrix[i]![j]! : 0 })),
  );
  return {
    $schema: schemaUrl,
    title,
    data: { values },
    width: { step: 46 },
    height: { step: 30 },
    encoding: {
      y: { field: "row", type: "nominal", title: null, sort: null },
      x: { field: "column", type: "nominal", title: null, sort: null, axis: { labelAngle: -40 } },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: {
            field: "r",
            type: "quantitative",
            title: "r",
            scale: { scheme: "redblue", domain: [-1, 1], reverse: true },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "r", type: "quantitative", format: ".2f" },
          color: { condition: { test: "abs(datum.r) > 0.6", value: "white" }, value: "black" },
        },
      },
    ],
  } as ChartSpec;
}

/** Every column pair's trend score (correlation or contingency similarity), one cell per pair. */
function pairTrendSpec(columns: readonly string[], pairs: EhrReport["quality"]["pairTrends"]): ChartSpec {
  const values = pairs.flatMap((pair) => [
    { row: pair.columns[0], column: pair.columns[1], score: pair.score },
    { row: pair.columns[1], column: pair.columns[0], score: pair.score },
  ]);
  return {
    $schema: schemaUrl,
    title: "column pair trends (1 = the pair's relationship kept)",
    data: { values },
    width: { step: 30 },
    height: { step: 22 },
    encoding: {
      y: { field: "row", type: "nominal", title: null, sort: [...columns] },
      x: { field: "column", type: "nominal", title: null, sort: [...columns], axis: { labelAngle: -50 } },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: {
            field: "score",
            type: "quantitative",
            title: "score",
            scale: { scheme: "viridis", domain: [0.5, 1] },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          text: { field: "score", type: "quantitative", format: ".2f" },
          color: { condition: { test: "datum.score < 0.8", value: "white" }, value: "black" },
        },
      },
    ],
  } as ChartSpec;
}

const fixed = (value: number | undefined, digits = 4) =>
  value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);

function guaranteeSection(report: EhrReport): string {
  const fit = report.fit;
  if (!fit)
    return `<p class="fail">Mechanism and privacy budget unknown (no fit record beside the synthetic file).</p>`;
  if (!fit.private || !fit.privacy) {
    return `<p class="fail">NON-PRIVATE: made by the ${escapeHtml(fit.mechanism)} baseline, which copies real values and gives no privacy guarantee.</p>`;
  }
  const p = fit.privacy;
  const rows = p.ledger.map((entry) => [
    entry.label,
    entry.mechanism,
    entry.scale.toPrecision(4),
    entry.rho.toExponential(4),
  ]);
  return [
    `<p class="pass">Differentially private: MST at (ε = ${p.epsilon}, δ = ${p.delta}), i.e. ρ = ${p.rho.toPrecision(6)} in zero-concentrated DP; ρ spent = ${p.rhoSpent.toPrecision(6)} (neighbouring tables: ${escapeHtml(p.neighbours)}).</p>`,
    `<details><summary>Privacy ledger (${rows.length} measurements)</summary>`,
    htmlTable(["measurement", "mechanism", "σ (Gaussian) or ε (exponential)", "ρ"], rows),
    `</details>`,
  ].join("\n");
}

/** The report as one self-contained HTML page (inline CSS and SVG, nothing loaded from anywhere). */
export async function renderEhrReportHtml(report: EhrReport): Promise<string> {
  const { quality, privacy } = report;
  const distributionSvgs = await Promise.all(
    report.distributions.map((distribution) => renderChartSvg(distributionSpec(distribution))),
  );
  const correlationSvgs =
    report.correlations.columns.length >= 2
      ? await Promise.all([
          renderChartSvg(
            correlationSpec("real: Pearson correlations", report.correlations.columns, report.correlations.real),
          ),
          renderChartSvg(
            correlationSpec(
              "synthetic: Pearson correlations",
              report.correlations.columns,
              report.correlations.synthetic,
            ),
          ),
        ])
      : [];
  const pairSvg =
    quality.pairTrends.length > 0
      ? await renderChartSvg(
          pairTrendSpec(
            report.distributions.map((entry) => entry.column),
            quality.pairTrends,
          ),
        )
      : undefined;
  const worstPairs = [...quality.pairTrends].sort((a, b) => a.score - b.score).slice(0, 10);
  const body = [
    `<h2>Guarantee</h2>`,
    guaranteeSection(report),
    ...report.warnings.map((warning) => `<p class="fail">${escapeHtml(warning)}</p>`),
    `<h2>Quality (SDMetrics definitions)</h2>`,
    htmlTable(
      ["measure", "score"],
      [
        ["overall (mean of the two below)", fixed(quality.overall)],
        ["column shapes (KS complement for numbers, TV complement for categories)", fixed(quality.columnShapesScore)],
        [
          "column pair trends (correlation or contingency similarity, numbers in 10 bins)",
          fixed(quality.pairTrendsScore),
        ],
      ],
    ),
    `<h2>Privacy figures</h2>`,
    `<p>Figures describe this one copy; the guarantee above is what bounds what any copy can reveal. Distances use ${privacy.sampledRows} sampled synthetic rows.</p>`,
    htmlTable(
      ["figure", "value", "reading"],
      [
        ["median distance to the closest real row (DCR), synthetic", fixed(privacy.syntheticMedianDcr), "0 = copies"],
        ["median DCR of uniformly random rows", fixed(privacy.randomMedianDcr), "a copy that knows nothing"],
        ["DCR ratio (synthetic / random)", fixed(privacy.dcrRatio), "near or above 1: no closer than chance"],
        ["share of synthetic rows equal to a real row", fixed(privacy.copyShareRaw), "value for value"],
        ["… equal in the binned domain", fixed(privacy.copyShareBinned), "numbers compared by bin"],
        [
          "share of synthetic rows closer to training than to holdout",
          privacy.closerToTraining === undefined ? "no holdout given" : fixed(privacy.closerToTraining),
          "about 0.5: no overfitting",
        ],
        ...(privacy.holdoutMedianDcr === undefined
          ? []
          : [
              ["median DCR of holdout rows to the real table", fixed(privacy.holdoutMedianDcr), "a fresh real patient"],
              ["share of holdout rows equal to a real row", fixed(privacy.holdoutCopyShareRaw), "duplicates by nature"],
            ]),
      ],
    ),
    `<h2>Column shapes</h2>`,
    htmlTable(
      ["column", "measure", "score", "adherence"],
      quality.columnShapes.map((entry, index) => [
        entry.column,
        entry.metric,
        fixed(entry.score),
        `${quality.adherence[index]!.metric} ${fixed(quality.adherence[index]!.score)}`,
      ]),
    ),
    chartRow(distributionSvgs),
    `<h2>Correlations of the numeric columns</h2>`,
    correlationSvgs.length > 0 ? chartRow(correlationSvgs) : "<p>Fewer than two numeric columns.</p>",
    `<h2>Column pair trends</h2>`,
    pairSvg ? chartRow([pairSvg]) : "<p>Only one column.</p>",
    `<h3>The ten weakest pairs</h3>`,
    htmlTable(
      ["columns", "measure", "score"],
      worstPairs.map((entry) => [entry.columns.join(" × "), entry.metric, fixed(entry.score)]),
    ),
    `<h2>Files</h2>`,
    htmlTable(
      ["table", "file", "rows"],
      [
        ["real", report.files.real, report.rows.real],
        ["synthetic", report.files.synthetic, report.rows.synthetic],
        ...(report.files.holdout ? [["holdout", report.files.holdout, report.rows.holdout ?? 0]] : []),
      ],
    ),
    `<p>Schema: ${escapeHtml(report.schemaSource)}.</p>`,
  ].join("\n");
  return renderHtmlPage({
    title: "Synthetic table: quality and privacy",
    subtitle: `${report.files.synthetic} against ${report.files.real}`,
    body,
  });
}
