/**
 * Self-contained HTML reports: Vega-Lite charts rendered to inline SVG in Node and a page shell
 * that loads nothing from the network. Shared by `medsim eval run` and the data reports.
 */
export { renderChartSvg, barChartSpec, heatmapSpec, chartFont, type ChartSpec } from "./charts.js";
export { renderHtmlPage, escapeHtml, htmlTable, rawHtml, RawHtml, chartRow, type HtmlPageOptions } from "./html.js";
