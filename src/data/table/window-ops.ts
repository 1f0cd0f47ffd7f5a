// data/table/window-ops: time-series features of a Table's rows in their current order (sort by
// time first): shift / lag, diff, rolling statistics over a trailing window, and date parts. Each
// adds float (or int) columns with pandas semantics: shifted-in rows are missing, a rolling value is
// missing until the window holds minPeriods present values (missing values are skipped), std is the
// sample deviation (ddof 1). Date parts are read in UTC. Table.shift/lag/diff/rolling/dateParts
// call these. Layer: data (imports Table as a type only: table.ts imports this file).
import { DTypeError, ValueError } from "../../core/errors.js";
import { Column } from "./column.js";
import type { Table } from "./table.js";

export type RollingStat = "mean" | "sum" | "min" | "max" | "std";
export const ROLLING_STATS: readonly RollingStat[] = ["mean", "sum", "min", "max", "std"];

export interface RollingOptions {
  /** Statistics to add (default ["mean"]); each becomes `<name>_rolling<window>_<stat>`. */
  stats?: readonly RollingStat[];
  /** Present values a window needs for a value (default: the window). */
  minPeriods?: number;
}

export type DatePart = "year" | "month" | "day" | "weekday" | "dayOfYear" | "hour";
export const DATE_PARTS: readonly DatePart[] = ["year", "month", "day", "weekday", "dayOfYear", "hour"];

function integerArg(op: string, name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} (got ${value})`);
  return value;
}

/** The column's numbers (dates as epoch milliseconds); strings are a DTypeError. */
function numbersOf(op: string, table: Table, name: string): Float64Array {
  const column = table.column(name);
  if (column.kind === "string")
    throw new DTypeError(`${op}: column "${name}" holds strings (expected numbers or dates)`);
  return column.numbers;
}

/** The column moved down by `periods` rows (up when negative); rows shifted in are missing. */
export function shiftColumn(column: Column, periods: number): Column {
  integerArg("Table.shift", "periods", periods, Number.MIN_SAFE_INTEGER);
  const n = column.length;
  const indices = Array.from({ length: n }, (_, i) => i - periods);
  const present = indices.map((j) => j >= 0 && j < n);
  const moved = column.take(indices.map((j, i) => (present[i] ? j : 0)));
  const values = moved.toArray().map((v, i) => (present[i] ? v : null));
  return Column.fromValues(values, column.kind);
}

/** Adds `as` (default `<name>_shift<periods>`, `<name>_lead<-periods>` when negative): the shifted column. */
export function shiftTable(table: Table, name: string, periods = 1, as?: string): Table {
  const fallback = periods >= 0 ? `${name}_shift${periods}` : `${name}_lead${-periods}`;
  return table.withColumn(as ?? fallback, shiftColumn(table.column(name), periods));
}

/** Adds `<name>_lag<k>` for each k: the value k rows earlier. */
export function lagTable(table: Table, name: string, lags: number | readonly number[] = 1): Table {
  let out = table;
  for (const k of typeof lags === "number" ? [lags] : lags) {
    integerArg("Table.lag", "lag", k, 1);
    out = out.withColumn(`${name}_lag${k}`, shiftColumn(table.column(name), k));
  }
  return out;
}

/** Adds `as` (default `<name>_diff<periods>`): x[t] - x[t - periods] (dates: milliseconds). */
export function diffTable(table: Table, name: string, periods = 1, as?: string): Table {
  const x = numbersOf("Table.diff", table, name);
  integerArg("Table.diff", "periods", periods, Number.MIN_SAFE_INTEGER);
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let t = 0; t < x.length; t++) {
    const s = t - periods;
    if (s >= 0 && s < x.length) out[t] = x[t]! - x[s]!; // NaN (missing) propagates
  }
  return table.withColumn(as ?? `${name}_diff${periods}`, Column.fromNumbers("float", out));
}

/** One statistic over the present values of x[from..to]; NaN below minPeriods. */
function windowStat(
  x: Float64Array,
  from: number,
  to: number,
  stat: RollingStat,
  minPeriods: number,
): number {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = from; i <= to; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count < minPeriods || count === 0) return Number.NaN;
  switch (stat) {
    case "sum":
      return sum;
    case "mean":
      return sum / count;
    case "min":
      return min;
    case "max":
      return max;
    case "std": {
      if (count < 2) return Number.NaN;
      const mean = sum / count;
      let squares = 0;
      for (let i = from; i <= to; i++) if (!Number.isNaN(x[i]!)) squares += (x[i]! - mean) ** 2;
      return Math.sqrt(squares / (count - 1));
    }
  }
}

/** Adds `<name>_rolling<window>_<stat>` for each stat over the trailing `window` rows. */
export function rollingTable(
  table: Table,
  name: string,
  window: number,
  options: RollingOptions = {},
): Table {
  const op = "Table.rolling";
  const x = numbersOf(op, table, name);
  integerArg(op, "window", window, 1);
  const minPeriods = integerArg(op, "minPeriods", options.minPeriods ?? window, 1);
  if (minPeriods > window)
    throw new ValueError(`${op}: minPeriods (${minPeriods}) must not exceed the window (${window})`);
  let out = table;
  for (const stat of options.stats ?? ["mean"]) {
    if (!ROLLING_STATS.includes(stat))
      throw new ValueError(
        `${op}: unknown statistic "${stat}" (expected one of ${ROLLING_STATS.join(", ")})`,
      );
    const values = new Float64Array(x.length);
    for (let t = 0; t < x.length; t++)
      values[t] = windowStat(x, Math.max(0, t - window + 1), t, stat, minPeriods);
    out = out.withColumn(`${name}_rolling${window}_${stat}`, Column.fromNumbers("float", values));
  }
  return out;
}

/** One calendar field of an epoch-milliseconds time, in UTC. */
function datePartOf(ms: number, part: DatePart): number {
  const d = new Date(ms);
  switch (part) {
    case "year":
      return d.getUTCFullYear();
    case "month":
      return d.getUTCMonth() + 1;
    case "day":
      return d.getUTCDate();
    case "weekday":
      return (d.getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6, as pandas
    case "dayOfYear":
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
    case "hour":
      return d.getUTCHours();
  }
}

/** Adds `<name>_<part>` int columns (default: every part) from a date column. */
export function datePartsTable(table: Table, name: string, parts: readonly DatePart[] = DATE_PARTS): Table {
  const column = table.column(name);
  if (column.kind !== "date")
    throw new DTypeError(`Table.dateParts: column "${name}" is ${column.kind} (expected date)`);
  let out = table;
  for (const part of parts) {
    if (!DATE_PARTS.includes(part))
      throw new ValueError(
        `Table.dateParts: unknown part "${part}" (expected one of ${DATE_PARTS.join(", ")})`,
      );
    const values = column.numbers.map((ms) => (Number.isNaN(ms) ? Number.NaN : datePartOf(ms, part)));
    out = out.withColumn(`${name}_${part}`, Column.fromNumbers("int", values));
  }
  return out;
}
