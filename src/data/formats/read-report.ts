// data/formats/read-report: what the readers do with bad input. By default (onError "error") a bad row
// throws a ReadError naming the source, line and column. When the caller opts in, "skip" drops
// the row and "coerce" keeps it with the bad value made missing (or a ragged row padded or cut);
// either way every change lands in a ReadReport, so nothing is lost silently. Layer: data.
import { describe } from "../../core/config.js";
import { ConfigError, FormatError, ValueError } from "../../core/errors.js";

/** What a reader does with a row it cannot read as declared. */
export type OnError = "error" | "skip" | "coerce";

export function checkOnError(op: string, value: unknown): OnError {
  if (value === undefined) return "error";
  if (value === "error" || value === "skip" || value === "coerce") return value;
  throw new ValueError(`${op}: onError must be "error", "skip" or "coerce" (got ${JSON.stringify(value)})`);
}

/**
 * Refuses an options object with a key the reader does not know (a misspelt or misplaced option
 * would otherwise be ignored without a word), as layer configs do.
 */
export function checkOptionKeys(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ConfigError(`${op}: expected an options object (got ${describe(options)})`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(
        `${op}: unknown option ${JSON.stringify(key)} (expected one of ${known.join(", ")})`,
      );
    }
  }
}

/** A bad-input error with where it happened. */
export class ReadError extends FormatError {
  readonly source: string;
  readonly line: number;
  /** Column name when the problem is one cell. */
  readonly column: string | undefined;
  /** 1-based position of that cell in its record. */
  readonly field: number | undefined;

  constructor(
    op: string,
    source: string,
    line: number,
    column: string | undefined,
    problem: string,
    field?: number,
  ) {
    super(`${op}: ${where(source, line, column, field)}: ${problem}`);
    this.source = source;
    this.line = line;
    this.column = column;
    this.field = field;
  }
}

function where(source: string, line: number, column: string | undefined, field: number | undefined): string {
  const at = `${source} line ${line}`;
  if (column === undefined) return at;
  return `${at}, column ${JSON.stringify(column)}${field === undefined ? "" : ` (field ${field})`}`;
}

/** One row skipped or one value changed. */
export interface ReadIssue {
  /** 1-based line where the record starts (for NDJSON/JSON: line of the record). */
  line: number;
  action: "skipped" | "coerced";
  /** Column name for a single bad value; undefined for whole-row problems. */
  column?: string;
  /** The original text of the bad value, when there is one. */
  value?: string;
  /** What was wrong, in words. */
  reason: string;
}

/**
 * The summary of a read: rows seen and kept, and each row skipped or value coerced (the first
 * `maxIssues` are kept in full; the counts are always exact).
 * @example
 * const report = new ReadReport();
 * const table = parseCsv(text, { onError: "skip", report });
 * report.skippedRows; // how many rows were dropped
 * report.issues[0]; // { line: 7, action: "skipped", reason: "4 fields (expected 3)" }
 */
export class ReadReport {
  source = "<input>";
  /** Data records seen (not counting a header line). */
  rowsRead = 0;
  /** Rows in the result. */
  rowsKept = 0;
  skippedRows = 0;
  coercedValues = 0;
  /** Invalid UTF-8 sequences read as U+FFFD (only with the invalidUtf8: "replace" option). */
  invalidUtf8Replaced = 0;
  readonly issues: ReadIssue[] = [];
  readonly maxIssues: number;

  constructor(options: { maxIssues?: number } = {}) {
    this.maxIssues = options.maxIssues ?? 10_000;
  }

  /** True when nothing was skipped or coerced. */
  get clean(): boolean {
    return this.skippedRows === 0 && this.coercedValues === 0 && this.invalidUtf8Replaced === 0;
  }

  /** Lines of the skipped rows that are recorded in `issues`. */
  get skippedLines(): number[] {
    return this.issues.filter((i) => i.action === "skipped").map((i) => i.line);
  }

  add(issue: ReadIssue): void {
    if (issue.action === "skipped") this.skippedRows++;
    else this.coercedValues++;
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
  }

  toString(): string {
    const head =
      `${this.source}: ${this.rowsRead} rows read, ${this.rowsKept} kept, ${this.skippedRows} skipped, ${this.coercedValues} values coerced` +
      (this.invalidUtf8Replaced > 0 ? `, ${this.invalidUtf8Replaced} invalid UTF-8 sequences replaced` : "");
    const shown = this.issues.slice(0, 20).map((i) => {
      const col = i.column === undefined ? "" : ` column ${JSON.stringify(i.column)}`;
      const value = i.value === undefined ? "" : ` (value ${JSON.stringify(i.value)})`;
      return `  line ${i.line}${col}: ${i.action}: ${i.reason}${value}`;
    });
    const more = this.issues.length > 20 ? [`  ... ${this.issues.length - 20} more`] : [];
    return [head, ...shown, ...more].join("\n");
  }
}

/**
 * Applies the error policy to one problem: throws for "error", records an issue otherwise.
 * `action` is what the caller will do under the current policy.
 */
export class IssueSink {
  constructor(
    readonly op: string,
    readonly source: string,
    readonly onError: OnError,
    readonly report: ReadReport,
  ) {
    report.source = source;
  }

  /** Reports a bad row or value; returns normally only when the policy is skip or coerce. */
  problem(line: number, column: string | undefined, reason: string, value?: string, field?: number): void {
    if (this.onError === "error") {
      const shown = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
      throw new ReadError(this.op, this.source, line, column, `${reason}${shown}`, field);
    }
    const issue: ReadIssue = { line, action: this.onError === "skip" ? "skipped" : "coerced", reason };
    if (column !== undefined) issue.column = column;
    if (value !== undefined) issue.value = value;
    this.report.add(issue);
  }

  /** A row that cannot be kept under any policy (malformed quoting): throws or records a skip. */
  dropRow(line: number, reason: string): void {
    if (this.onError === "error") throw new ReadError(this.op, this.source, line, undefined, reason);
    this.report.rowsRead++;
    this.report.add({ line, action: "skipped", reason });
  }

  /**
   * Called when a read ends. A caller who opted into skip/coerce without passing a report still
   * hears about every change: one warning line with the counts.
   */
  finish(userGaveReport: boolean): void {
    if (!userGaveReport && !this.report.clean) {
      console.warn(
        `${this.op}: ${this.source}: ${this.report.skippedRows} row(s) skipped, ${this.report.coercedValues} value(s) coerced and ${this.report.invalidUtf8Replaced} invalid UTF-8 sequence(s) replaced; pass { report: new ReadReport() } to see which`,
      );
    }
  }
}
