// data/table/format: a readable text rendering of a Table (Table.toString), like pandas' repr:
// aligned columns with a kind line, the first and last rows when the table is long, and a
// "[rows x columns]" footer. Missing cells print as "NA". Layer: data.
import { type Column, formatCell } from "./column.js";

export interface FormatOptions {
  /** Rows shown before eliding the middle (default 10). */
  maxRows?: number;
  /** Cell text longer than this is cut with "…" (default 24). */
  maxWidth?: number;
}

function cellText(column: Column, row: number, maxWidth: number): string {
  const value = column.get(row);
  let text: string;
  if (value === null) text = "NA";
  else if (typeof value === "number" && column.kind === "float") text = formatFloat(value);
  else text = formatCell(value) ?? "NA";
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
}

function formatFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toFixed(1);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}

export function formatTable(
  names: readonly string[],
  columns: readonly Column[],
  rows: number,
  options: FormatOptions = {},
): string {
  const maxRows = options.maxRows ?? 10;
  const maxWidth = options.maxWidth ?? 24;
  let shown: number[];
  let elided = false;
  if (rows <= maxRows) {
    shown = Array.from({ length: rows }, (_, i) => i);
  } else {
    const head = Math.ceil(maxRows / 2);
    const tail = Math.floor(maxRows / 2);
    shown = [
      ...Array.from({ length: head }, (_, i) => i),
      ...Array.from({ length: tail }, (_, i) => rows - tail + i),
    ];
    elided = true;
  }
  const indexWidth = String(Math.max(rows - 1, 0)).length;
  const grid: string[][] = columns.map((column, c) => {
    const cells = shown.map((row) => cellText(column, row, maxWidth));
    return [names[c]!, column.kind, ...cells];
  });
  const widths = grid.map((cells) => Math.max(...cells.map((s) => s.length)));
  const right = columns.map((column) => column.kind !== "string");
  const line = (cells: string[], index: string) =>
    [
      index.padStart(indexWidth),
      ...cells.map((s, c) => (right[c] ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))),
    ]
      .join("  ")
      .trimEnd();
  const out: string[] = [
    line(
      grid.map((g) => g[0]!),
      "",
    ),
    line(
      grid.map((g) => g[1]!),
      "",
    ),
  ];
  shown.forEach((row, i) => {
    if (elided && i === Math.ceil(maxRows / 2))
      out.push(
        line(
          widths.map(() => "..."),
          "...",
        ),
      );
    out.push(
      line(
        grid.map((g) => g[i + 2]!),
        String(row),
      ),
    );
  });
  out.push(`[${rows} rows x ${columns.length} columns]`);
  return out.join("\n");
}
