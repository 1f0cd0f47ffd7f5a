// report/html-parts: the small pieces a self-contained HTML page is built from: text escaping,
// tables (from a record, rows or a data Table), a section, and the page shell with its inline CSS.
// Nothing here loads anything: no scripts, fonts or stylesheets from outside. Layer: report.
import type { Table } from "../data/table/table.js";

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A number as a table shows it: integers as they are, others to 4 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "";
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(4)));
}

function cell(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** An HTML table from a header and rows of cells (numbers formatted, text escaped). */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  className = "",
): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((v) => `<td${typeof v === "number" ? ' class="num"' : ""}>${escapeHtml(cell(v))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const cls = className === "" ? "" : ` class="${escapeHtml(className)}"`;
  return `<table${cls}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A data Table (e.g. describe()'s) as an HTML table, every column in order. */
export function tableToHtml(table: Table, className = ""): string {
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(table.columnNames.map((name) => table.get(r, name)));
  return htmlTable(table.columnNames, rows, className);
}

/** One report section: an anchor id, a heading and its content. */
export function section(id: string, title: string, content: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

/** A figure: an inline SVG chart with an optional caption. */
export function figure(svg: string, caption?: string): string {
  const text = caption === undefined ? "" : `<figcaption>${escapeHtml(caption)}</figcaption>`;
  return `<figure>${svg}${text}</figure>`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #c6cad3; }
nav { padding: 8px 32px; background: #e9ecf1; }
nav a { margin-right: 14px; color: #2a5db0; text-decoration: none; }
main { padding: 8px 32px 32px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 10px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 0; }
figcaption { color: #5a6270; font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid #dde1e7; padding: 3px 8px; text-align: left; }
th { background: #f0f2f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
pre { background: #f6f7f9; padding: 8px; overflow-x: auto; font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; }
`;

/** The whole page: header, a table of contents of the sections, the sections; CSS inline. */
export function page(
  title: string,
  subtitle: string,
  sections: readonly { id: string; title: string; html: string }[],
): string {
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<nav>${nav}</nav>
<main>
${sections.map((s) => s.html).join("\n")}
</main>
</body>
</html>
`;
}
