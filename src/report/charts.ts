/**
 * Charts for HTML reports: a Vega-Lite spec compiled and rendered to SVG in Node, so a report
 * carries its charts inline and needs no script, font or library from the network to show them.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { MedsimError } from "../util/errors.js";

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/), data inlined in `data.values`. */
export type ChartSpec = TopLevelSpec;

/** Font stack used by every chart, matching the page shell's, so the measured text widths fit. */
export const chartFont = "DejaVu Sans, Arial, Helvetica, sans-serif";

/**
 * Renders a Vega-Lite spec to a standalone `<svg>` string (no scripts, no external references).
 * Rendering is headless (`renderer: "none"`), so it needs no canvas or browser.
 *
 * @throws MedsimError `invalid_input` when the spec does not compile or render.
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  let view: View | undefined;
  try {
    const withDefaults: ChartSpec = {
      ...spec,
      config: { font: chartFont, ...(spec.config ?? {}) },
    } as ChartSpec;
    const vegaSpec = compile(withDefaults).spec;
    // Vega would fetch a URL (and only log a failure); a report must never depend on the network.
    if ((vegaSpec.data ?? []).some((data) => "url" in data)) throw new Error("charts take inline data only");
    view = new View(parse(vegaSpec), { renderer: "none" });
    const svg = await view.toSVG();
    return svg;
  } catch (error) {
    throw new MedsimError("invalid_input", `chart could not be drawn: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
    });
  } finally {
    view?.finalize();
  }
}

/** One bar per row; `color` groups bars side by side within each category (e.g. base vs fine-tuned). */
export function barChartSpec(options: {
  title: string;
  rows: readonly Record<string, string | number>[];
  category: string;
  value: string;
  color?: string;
  valueTitle?: string;
  domain?: [number, number];
  width?: number;
}): ChartSpec {
  const { title, rows, category, value, color, valueTitle, domain, width = 360 } = options;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width,
    data: { values: rows.map((row) => ({ ...row })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: category, type: "nominal", title: null, sort: null },
      x: {
        field: value,
        type: "quantitative",
        title: valueTitle ?? value,
        ...(domain ? { scale: { domain } } : {}),
      },
      ...(color
        ? { color: { field: color, type: "nominal", title: null }, yOffset: { field: color, type: "nominal" } }
        : {}),
    },
  } as ChartSpec;
}

/** A heat map of counts (e.g. a confusion matrix: true label down, predicted label across). */
export function heatmapSpec(options: {
  title: string;
  cells: readonly { row: string; column: string; count: number }[];
  rowTitle: string;
  columnTitle: string;
}): ChartSpec {
  const { title, cells, rowTitle, columnTitle } = options;
  const half = Math.max(0, ...cells.map((cell) => cell.count)) / 2;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: cells.map((cell) => ({ ...cell })) },
    width: { step: 34 },
    height: { step: 26 },
    encoding: {
      y: { field: "row", type: "nominal", title: rowTitle, sort: null },
      x: { field: "column", type: "nominal", title: columnTitle, sort: null },
    },
    layer: [
      {
        mark: "rect",
        encoding: { color: { field: "count", type: "quantitative", title: "count", scale: { scheme: "blues" } } },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          // White on the dark half of the scale, black on the light half.
          color: { condition: { test: `datum.count > ${half}`, value: "white" }, value: "black" },
        },
      },
    ],
  } as ChartSpec;
}
