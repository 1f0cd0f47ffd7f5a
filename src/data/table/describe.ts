// data/table/describe: per-column summary statistics (Table.describe) and value counts.
// Conventions follow pandas: std is the sample std (ddof 1), quartiles interpolate linearly,
// unique counts distinct present values. Numeric statistics are computed for float and int
// columns only; other kinds report count, missing and unique, and null elsewhere. Layer: data.
import { Column } from "./column.js";
import { nanMax, nanMean, nanMin, nanStd, quantileSorted, sortedPresent } from "./stats.js";

export const DESCRIBE_STATS = [
  "count",
  "mean",
  "std",
  "min",
  "25%",
  "50%",
  "75%",
  "max",
  "missing",
  "unique",
] as const;

export type DescribeStat = (typeof DESCRIBE_STATS)[number];

/** The statistics of one column, in DESCRIBE_STATS order (NaN where a statistic does not apply). */
export function describeColumn(column: Column): Float64Array {
  const out = new Float64Array(DESCRIBE_STATS.length).fill(Number.NaN);
  const missing = column.missingCount();
  out[0] = column.length - missing;
  out[8] = missing;
  out[9] = column.uniqueCount();
  if (column.isNumeric) {
    const values = column.numbers;
    const sorted = sortedPresent(values);
    out[1] = nanMean(values);
    out[2] = nanStd(values, 1);
    out[3] = nanMin(values);
    out[4] = quantileSorted(sorted, 0.25);
    out[5] = quantileSorted(sorted, 0.5);
    out[6] = quantileSorted(sorted, 0.75);
    out[7] = nanMax(values);
  }
  return out;
}

/**
 * Distinct values and how often each occurs, most frequent first (ties in first-appearance
 * order). Missing values are counted as one more entry (value null) when `dropMissing` is false.
 */
export function valueCounts(
  column: Column,
  options: { dropMissing?: boolean; normalize?: boolean } = {},
): { values: Column; counts: Column } {
  const counts = new Map<string | number | null, { row: number; count: number }>();
  for (let row = 0; row < column.length; row++) {
    const key = column.keyAt(row);
    if (key === null && options.dropMissing !== false) continue;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { row, count: 1 });
    else entry.count++;
  }
  const entries = [...counts.values()].sort((a, b) => b.count - a.count || a.row - b.row);
  const total = entries.reduce((s, e) => s + e.count, 0);
  const values = column.take(entries.map((e) => e.row));
  const numbers = Float64Array.from(entries, (e) => (options.normalize ? e.count / total : e.count));
  return { values, counts: Column.fromNumbers(options.normalize ? "float" : "int", numbers) };
}
