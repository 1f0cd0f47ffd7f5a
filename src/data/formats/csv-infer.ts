// data/formats/csv-infer: reading text cells as typed values, and the guesses a CSV reader makes when
// not told: each column's kind, whether the first record is a header, and the delimiter.
// Layer: data.
//
// Kind inference: a column takes the most specific kind (bool, int, float, date, else string)
// that its present values fit, allowing a few misfits: at most max(1, 1%) of the present values
// and never more than 10% of them. Misfits then surface as type errors at their line (or are
// skipped/coerced when the caller opted in), instead of silently turning a numeric column with
// one typo into text. A column with no present values reads as float.
//
// Integers beyond +-2^53 (Number.MAX_SAFE_INTEGER) are never rounded silently: a cell whose
// digits do not survive the trip through a float64 (9007199254740993 would read as ...992) does
// not count as a number here, so a column of them (ids, hashes) reads as string with its exact
// text, and a stray one in a numeric column is a type error at its line (see csv-table.ts).
import { parseAs, parseBoolCell, parseDateCell, parseFloatCell } from "../table/cell-parse.js";
import type { ColumnKind } from "../table/column.js";

/**
 * True when `text` is an integer literal beyond 2^53 that the float64 read from it (`value`)
 * cannot give back: neither its exact value nor its shortest printed form is the text's digits.
 */
export function isUnsafeInteger(value: number, text: string): boolean {
  if (!(value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER)) return false;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return false;
  if (!Number.isFinite(value)) return true;
  const digits = text
    .trim()
    .replace(/^\+/, "")
    .replace(/^(-?)0+(?=\d)/, "$1");
  return String(value) !== digits && BigInt(digits) !== BigInt(value);
}

/** Cell texts read as missing unless the caller says otherwise. */
export const DEFAULT_MISSING: readonly string[] = ["", "NA", "N/A", "NaN", "null", "?"];

/** Tallies of what the present cells of one column look like. */
export class KindTally {
  present = 0;
  bools = 0;
  ints = 0;
  /** Floats that are not ints. */
  floats = 0;
  dates = 0;

  add(text: string): void {
    this.present++;
    const v = parseFloatCell(text);
    if (v === v && !isUnsafeInteger(v, text)) {
      if (Number.isSafeInteger(v) && !text.includes(".") && !text.includes("e") && !text.includes("E"))
        this.ints++;
      else this.floats++;
    } else if (!Number.isNaN(parseBoolCell(text))) {
      this.bools++;
    } else if (text.length >= 10 && !Number.isNaN(parseDateCell(text))) {
      this.dates++;
    }
  }

  /** The inferred kind (see the header comment for the tolerance). */
  kind(): ColumnKind {
    if (this.present === 0) return "float";
    const allowed = Math.min(Math.max(1, Math.floor(this.present * 0.01)), Math.floor(this.present * 0.1));
    const need = this.present - allowed;
    if (this.bools >= need && this.bools > 0) return "bool";
    if (this.ints >= need && this.ints > 0) return "int";
    if (this.ints + this.floats >= need && this.ints + this.floats > 0) return "float";
    if (this.dates >= need && this.dates > 0) return "date";
    return "string";
  }
}

/**
 * Whether the first record looks like a header: all its cells are distinct non-empty texts, and
 * in some column the data below is numeric/bool/date while the first cell is not; or every
 * column below is text (then a header is the usual case, as pandas assumes).
 */
export function looksLikeHeader(
  first: readonly string[],
  rest: readonly (readonly string[])[],
  isMissing: (text: string) => boolean,
): boolean {
  if (first.some((cell) => cell.trim() === "") || new Set(first).size !== first.length) return false;
  if (rest.length === 0) return first.every((cell) => Number.isNaN(parseFloatCell(cell)));
  let typedColumns = 0;
  for (let c = 0; c < first.length; c++) {
    const tally = new KindTally();
    for (const record of rest) {
      const cell = record[c];
      if (cell !== undefined && !isMissing(cell)) tally.add(cell);
    }
    const kind = tally.kind();
    if (kind === "string") continue;
    typedColumns++;
    const cell = first[c]!;
    if (isMissing(cell)) continue; // a missing marker says nothing either way
    const numeric = kind === "int" || kind === "float";
    if (Number.isNaN(numeric ? parseFloatCell(cell) : parseAs(kind, cell))) return true;
  }
  return typedColumns === 0;
}

const DELIMITERS = [",", "\t", ";", "|"];

/**
 * Guesses the delimiter from the first lines of text: the candidate that appears (outside
 * quotes) the same non-zero number of times on the most lines. Comma when nothing fits.
 */
export function sniffDelimiter(sample: string, quote = '"'): string {
  const lines = sample.split(/\r?\n/).slice(0, 20);
  if (lines.length > 1 && lines.at(-1) !== "") lines.pop(); // the last line may be cut off
  let best = ",";
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = lines
      .filter((l) => l.length > 0)
      .map((line) => {
        let n = 0;
        let inQuotes = false;
        for (const ch of line) {
          if (ch === quote) inQuotes = !inQuotes;
          else if (ch === delimiter && !inQuotes) n++;
        }
        return n;
      });
    const tally = new Map<number, number>();
    for (const n of counts) if (n > 0) tally.set(n, (tally.get(n) ?? 0) + 1);
    const score = Math.max(0, ...tally.values());
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/** Column names made usable: empty names become column_<i>, repeats get .1, .2 (as pandas). */
export function uniqueNames(raw: readonly string[]): string[] {
  const used = new Set<string>();
  return raw.map((name, i) => {
    let base = name.trim() === "" ? `column_${i + 1}` : name;
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    let k = 1;
    while (used.has(`${base}.${k}`)) k++;
    base = `${base}.${k}`;
    used.add(base);
    return base;
  });
}
