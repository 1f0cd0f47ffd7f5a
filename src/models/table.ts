// models/table: renders a table the way the Python library `rich` does for Keras 3's
// model.summary(): heavy header box, a line between rows, fixed column widths reduced evenly to
// fit the line length, words wrapped, over-long words cut with "…". Plain text, no colours.

export type Justify = "left" | "right";

export interface TableColumn {
  readonly header: string;
  /** Requested content width (before rich's padding and reduction). */
  readonly width: number;
  readonly justify: Justify;
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** rich.ratio_reduce: takes `total` away from `values`, spread by `ratios`, capped by `maximums`. */
function ratioReduce(total: number, ratios: number[], maximums: number[], values: number[]): number[] {
  const weights = ratios.map((r, i) => (maximums[i] ? r : 0));
  let totalRatio = weights.reduce((a, b) => a + b, 0);
  if (totalRatio === 0) return [...values];
  let remaining = total;
  return values.map((value, i) => {
    const ratio = weights[i]!;
    if (ratio === 0 || totalRatio <= 0) return value;
    const distributed = Math.min(maximums[i]!, roundHalfEven((ratio * remaining) / totalRatio));
    remaining -= distributed;
    totalRatio -= ratio;
    return value - distributed;
  });
}

/** Final widths of each column including its one-space padding on both sides. */
export function columnWidths(columns: readonly TableColumn[], lineLength: number): number[] {
  const widths = columns.map((c) => c.width + 2);
  const maxWidth = lineLength - (columns.length + 1);
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= maxWidth) return widths;
  return ratioReduce(
    total - maxWidth,
    widths.map(() => 1),
    widths,
    widths,
  );
}

/** rich's words(): each word with the whitespace after it (and before it, at the start). */
function words(text: string): { start: number; word: string }[] {
  const out: { start: number; word: string }[] = [];
  const re = /\s*\S+\s*/y;
  let match = re.exec(text);
  while (match !== null) {
    out.push({ start: match.index, word: match[0] });
    match = re.exec(text);
  }
  return out;
}

/** rich's divide_line without folding: offsets where lines break. */
function divideLine(text: string, width: number): number[] {
  const breaks: number[] = [];
  let offset = 0;
  for (const { start, word } of words(text)) {
    const length = word.trimEnd().length;
    if (width - offset >= length) offset += word.length;
    else if (length > width) {
      if (start > 0) {
        breaks.push(start);
        offset = word.length;
      }
    } else if (offset > 0 && start > 0) {
      breaks.push(start);
      offset = word.length;
    }
  }
  return breaks;
}

function truncate(line: string, width: number): string {
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** The lines of one cell, each exactly `width` characters. */
export function wrapCell(text: string, width: number, justify: Justify): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    const breaks = [0, ...divideLine(paragraph, width), paragraph.length];
    for (let i = 0; i + 1 < breaks.length; i++) {
      let line = paragraph.slice(breaks[i], breaks[i + 1]);
      // rstrip_end: drop trailing whitespace that sticks out past the width
      if (line.length > width) {
        const trailing = line.length - line.trimEnd().length;
        line = line.slice(0, line.length - Math.min(trailing, line.length - width));
      }
      if (justify === "right") line = truncate(line.trimEnd(), width).padStart(width);
      else line = truncate(line, width).padEnd(width);
      lines.push(line);
    }
  }
  return lines;
}

/** The table as lines of text: heavy-headed box, a separator between rows. */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  lineLength: number,
): string[] {
  const widths = columnWidths(columns, lineLength);
  const rule = (left: string, fill: string, mid: string, right: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(mid) + right;
  const renderRow = (cells: readonly string[], bar: string): string[] => {
    const wrapped = cells.map((cell, i) => wrapCell(cell, widths[i]! - 2, columns[i]!.justify));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(bar + wrapped.map((w, i) => ` ${w[k] ?? " ".repeat(widths[i]! - 2)} `).join(bar) + bar);
    }
    return out;
  };
  const lines = [
    rule("┏", "━", "┳", "┓"),
    ...renderRow(
      columns.map((c) => c.header),
      "┃",
    ),
  ];
  rows.forEach((row, i) => {
    lines.push(i === 0 ? rule("┡", "━", "╇", "┩") : rule("├", "─", "┼", "┤"));
    lines.push(...renderRow(row, "│"));
  });
  lines.push(rule("└", "─", "┴", "┘"));
  return lines;
}
