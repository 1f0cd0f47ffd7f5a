// data/pii/scan: which columns of a Table look personal. Each column is judged on a sample of its
// present values (evenly spaced rows, so a scan is deterministic): the share of values a detector
// recognises (detectors.ts), the dates that read as birth dates, and what the column's name says
// (column-hints.ts). Examples are masked before they leave the scan. Layer: data.
import { ValueError } from "../../core/errors.js";
import { parseDateCell } from "../table/cell-parse.js";
import { type Column, formatCell } from "../table/column.js";
import type { Table } from "../table/table.js";
import { kindFromName, PII_ROLE, type PiiKind, type PiiRole } from "./column-hints.js";
import { detectValue, maskValue, type ValueKind } from "./detectors.js";

export interface PiiScanOptions {
  /** Present values looked at per column (default 1000). */
  sampleSize?: number;
  /** Share of sampled values a detector must recognise to name the column's kind (default 0.5). */
  minMatchRate?: number;
  /** Masked examples per column (default 3). */
  examples?: number;
  /** The date ages are counted from (default: now). */
  now?: Date;
}

/** What the scan found in one column. */
export interface PiiColumnReport {
  readonly column: string;
  /** The kind of personal data, or null when nothing points to any. */
  readonly kind: PiiKind | null;
  readonly role: PiiRole | null;
  /** "values": the values gave it away; "name": only the column name; "values+name": both. */
  readonly evidence: "values" | "name" | "values+name" | null;
  /** Share of sampled present values recognised as `kind` (0 when only the name speaks). */
  readonly matchRate: number;
  /** Present values sampled. */
  readonly sampled: number;
  /** Distinct sampled values, masked. */
  readonly examples: readonly string[];
}

const YEAR_MS = 365.2425 * 86_400_000;

/** Evenly spaced rows holding a value, at most `size` of them. */
function sampleRows(column: Column, size: number): number[] {
  const present: number[] = [];
  for (let r = 0; r < column.length; r++) if (!column.isMissing(r)) present.push(r);
  if (present.length <= size) return present;
  const step = present.length / size;
  return Array.from({ length: size }, (_, i) => present[Math.floor(i * step)]!);
}

/** Epoch ms of the sampled cells when every one reads as a date, else null. */
function datesOf(column: Column, rows: readonly number[]): number[] | null {
  if (column.kind === "date") return rows.map((r) => column.numbers[r]!);
  if (column.kind !== "string") return null;
  const out: number[] = [];
  for (const r of rows) {
    const t = parseDateCell(column.stringAt(r)!.trim());
    if (Number.isNaN(t)) return null;
    out.push(t);
  }
  return out;
}

/** Whether dates read as birth dates: all in the past 120 years, the median person at least 16. */
function looksLikeBirthDates(times: readonly number[], now: number): boolean {
  if (times.length === 0) return false;
  const ages = times.map((t) => (now - t) / YEAR_MS).sort((a, b) => a - b);
  const median = ages[Math.floor(ages.length / 2)]!;
  return ages[0]! >= 0 && ages.at(-1)! <= 120 && median >= 16;
}

/** Whether a numeric column holds plausible ages (whole years 0..120). */
function looksLikeAges(column: Column, rows: readonly number[]): boolean {
  if (!column.isNumeric || rows.length === 0) return false;
  return rows.every((r) => {
    const v = column.numbers[r]!;
    return v >= 0 && v <= 120;
  });
}

/** Scans one column. */
export function scanColumn(table: Table, name: string, options: PiiScanOptions = {}): PiiColumnReport {
  const column = table.column(name);
  const rows = sampleRows(column, options.sampleSize ?? 1000);
  const minRate = options.minMatchRate ?? 0.5;
  const now = (options.now ?? new Date()).getTime();
  const fromName = kindFromName(name);
  const text = (r: number) => formatCell(column.get(r)) ?? "";

  let kind: PiiKind | null = null;
  let matched: number[] = [];
  if (column.kind === "string" || column.kind === "int") {
    const counts = new Map<ValueKind, number[]>();
    for (const r of rows) {
      const found = detectValue(text(r));
      if (found === null) continue;
      const list = counts.get(found) ?? [];
      list.push(r);
      counts.set(found, list);
    }
    let best: [ValueKind, number[]] | undefined;
    for (const entry of counts) if (best === undefined || entry[1].length > best[1].length) best = entry;
    if (best !== undefined && best[1].length / rows.length >= minRate) [kind, matched] = best;
  }
  if (kind === null) {
    const dates = datesOf(column, rows);
    const birthName = fromName === "date_of_birth";
    if (dates !== null && rows.length > 0 && (birthName || looksLikeBirthDates(dates, now))) {
      kind = "date_of_birth";
      matched = rows;
    } else if (fromName === "age" && looksLikeAges(column, rows)) {
      kind = "age";
      matched = rows;
    }
  }
  const byValues = kind !== null;
  if (kind === null) kind = fromName;
  if (kind === null) {
    return {
      column: name,
      kind: null,
      role: null,
      evidence: null,
      matchRate: 0,
      sampled: rows.length,
      examples: [],
    };
  }
  const shown = byValues ? matched : rows;
  const examples = [...new Set(shown.map(text))]
    .slice(0, options.examples ?? 3)
    .map((v) => maskValue(kind, v));
  return {
    column: name,
    kind,
    role: PII_ROLE[kind],
    evidence: byValues ? (fromName === kind ? "values+name" : "values") : "name",
    matchRate: byValues ? matched.length / rows.length : 0,
    sampled: rows.length,
    examples,
  };
}

/**
 * Which columns of a table look personal, one report per column (kind null for the others).
 * @example
 * const found = scanPii(table).filter((c) => c.kind !== null);
 * // [{ column: "email", kind: "email", role: "direct", matchRate: 1, examples: ["a****@e******.com"] }]
 */
export function scanPii(table: Table, options: PiiScanOptions = {}): PiiColumnReport[] {
  const size = options.sampleSize ?? 1000;
  if (!Number.isInteger(size) || size < 1)
    throw new ValueError(`scanPii: sampleSize must be a positive integer (got ${size})`);
  const rate = options.minMatchRate ?? 0.5;
  if (!(rate > 0 && rate <= 1)) throw new ValueError(`scanPii: minMatchRate must be in (0, 1] (got ${rate})`);
  return table.columnNames.map((name) => scanColumn(table, name, options));
}
