/**
 * A self-contained HTML page shell for reports: inline CSS, inline SVG charts, and a
 * Content-Security-Policy that forbids loading anything, so the file opens offline and can be
 * mailed or archived as it is.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A `<table>` from a header row and body rows; cells are escaped text unless wrapped by {@link rawHtml}. */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly (string | number | RawHtml)[])[],
): string {
  const cell = (value: string | number | RawHtml, tag: "td" | "th") =>
    `<${tag}${typeof value === "number" ? ' class="number"' : ""}>${
      value instanceof RawHtml ? value.html : escapeHtml(String(value))
    }</${tag}>`;
  return [
    "<table>",
    `<thead><tr>${header.map((value) => cell(value, "th")).join("")}</tr></thead>`,
    `<tbody>${rows.map((row) => `<tr>${row.map((value) => cell(value, "td")).join("")}</tr>`).join("")}</tbody>`,
    "</table>",
  ].join("");
}

/** Markup that {@link htmlTable} inserts as is (build it from escaped parts). */
export class RawHtml {
  constructor(readonly html: string) {}
}

/** Marks already-safe markup for {@link htmlTable}. */
export function rawHtml(html: string): RawHtml {
  return new RawHtml(html);
}

const styles = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f3f3f5; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.chart svg { max-width: 100%; height: auto; }
.transcript { border-left: 3px solid #ccc; padding-left: 0.8rem; margin: 0.6rem 0 1.2rem; font-size: 0.9rem; }
.transcript .doctor { color: #333; }
.transcript .patient { color: #0b4f8a; }
mark { background: #ffd6d6; padding: 0 0.15rem; }
.pass { color: #17692a; font-weight: bold; }
.fail { color: #a4161a; font-weight: bold; }
`;

/** Options of {@link renderHtmlPage}. */
export interface HtmlPageOptions {
  title: string;
  /** A line under the title (escaped). */
  subtitle?: string;
  /** The page body, already HTML (build it from {@link escapeHtml}, {@link htmlTable} and chart SVGs). */
  body: string;
  /** Extra CSS appended to the built-in styles. */
  extraStyles?: string;
}

/** A complete HTML document that loads nothing from anywhere (enforced by its Content-Security-Policy). */
export function renderHtmlPage(options: HtmlPageOptions): string {
  const { title, subtitle, body, extraStyles = "" } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}${extraStyles}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${subtitle === undefined ? "" : `<p class="subtitle">${escapeHtml(subtitle)}</p>`}
${body}
</body>
</html>
`;
}

/** Wraps chart SVGs in a flex row of figures. */
export function chartRow(svgs: readonly string[]): string {
  return `<div class="charts">${svgs.map((svg) => `<figure class="chart">${svg}</figure>`).join("")}</div>`;
}
