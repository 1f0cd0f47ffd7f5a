// responsible/fairness-groups: a MetricFrame-like table (Fairlearn's fairlearn.metrics.MetricFrame):
// any metric computed overall and for each group of one or more sensitive columns (the groups of
// several columns are their observed combinations), with the group minimum and maximum and the
// differences and ratios between groups or to the overall value. Layer: responsible.
import { ShapeError, ValueError } from "../core/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { type FairnessMetricName, type MetricFunction, metricByName } from "./fairness-metrics.js";

/** Labels or predictions: an array of numbers or a tensor with one value per row. */
export type NumericInput = ArrayLike<number> | Tensor;
/** One sensitive column's values. */
export type SensitiveValues = ArrayLike<string | number | boolean | null | undefined>;
/** One sensitive column (named "sensitive_feature_0", as Fairlearn names an unnamed one) or several by name. */
export type SensitiveInput = SensitiveValues | Readonly<Record<string, SensitiveValues>>;
/** Metrics: one (by name or function) or several, keyed by the name they get in the table. */
export type MetricsInput =
  | FairnessMetricName
  | MetricFunction
  | readonly FairnessMetricName[]
  | Readonly<Record<string, FairnessMetricName | MetricFunction>>;

export interface GroupMetricsInput {
  readonly yTrue: NumericInput;
  readonly yPred: NumericInput;
  readonly sensitive: SensitiveInput;
  readonly metrics: MetricsInput;
}

/** One group's row of the table. */
export interface GroupRow {
  /** The group's values joined by ", " (one column: the value itself). */
  readonly key: string;
  /** The group's value in each sensitive column. */
  readonly values: Readonly<Record<string, string>>;
  readonly rows: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** How differences and ratios compare: group against group, or each group against the overall value. */
export type DisparityMethod = "between_groups" | "to_overall";

/** The numbers of a numeric input, checked to hold `rows` values when given. */
export function numbersOf(op: string, what: string, input: NumericInput, rows?: number): ArrayLike<number> {
  const data = input instanceof Tensor ? input.data : input;
  if (rows !== undefined && data.length !== rows)
    throw new ShapeError(`${op}: ${what} has ${data.length} values, expected ${rows} (one per row)`);
  return data;
}

/** The sensitive columns by name, each checked to hold `rows` values and no missing ones. */
export function sensitiveColumns(
  op: string,
  sensitive: SensitiveInput,
  rows: number,
): Map<string, readonly string[]> {
  if (typeof sensitive === "string")
    throw new ValueError(
      `${op}: sensitive must hold the column's values, one per row (got the string "${sensitive}")`,
    );
  const isSingle = typeof (sensitive as ArrayLike<unknown>).length === "number";
  const named: [string, SensitiveValues][] = isSingle
    ? [["sensitive_feature_0", sensitive as SensitiveValues]]
    : Object.entries(sensitive as Record<string, SensitiveValues>);
  if (named.length === 0) throw new ValueError(`${op}: no sensitive column given`);
  const columns = new Map<string, readonly string[]>();
  for (const [name, values] of named) {
    if (values.length !== rows)
      throw new ShapeError(`${op}: sensitive column "${name}" has ${values.length} values, expected ${rows}`);
    const strings = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)))
        throw new ValueError(`${op}: sensitive column "${name}" is missing a value at row ${i}`);
      strings[i] = String(v);
    }
    columns.set(name, strings);
  }
  return columns;
}

/** Each row's group key, and the groups in sorted order with their values and row indices. */
export function groupRows(
  columns: Map<string, readonly string[]>,
  rows: number,
): { keys: string[]; groups: { key: string; values: Record<string, string>; indices: number[] }[] } {
  const names = [...columns.keys()];
  const keys = new Array<string>(rows);
  const byKey = new Map<string, { key: string; values: Record<string, string>; indices: number[] }>();
  for (let i = 0; i < rows; i++) {
    const values: Record<string, string> = {};
    for (const name of names) values[name] = columns.get(name)![i]!;
    const key = names.map((n) => values[n]).join(", ");
    keys[i] = key;
    let group = byKey.get(key);
    if (group === undefined) {
      group = { key, values, indices: [] };
      byKey.set(key, group);
    }
    group.indices.push(i);
  }
  const groups = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys, groups };
}

function metricTable(metrics: MetricsInput): [string, MetricFunction][] {
  if (typeof metrics === "function") return [[metrics.name || "metric", metrics]];
  if (typeof metrics === "string") return [[metrics, metricByName(metrics)]];
  if (Array.isArray(metrics)) return metrics.map((name: string) => [name, metricByName(name)]);
  const entries = Object.entries(metrics as Record<string, FairnessMetricName | MetricFunction>);
  if (entries.length === 0) throw new ValueError("groupMetrics: no metric given");
  return entries.map(([name, m]) => [name, typeof m === "function" ? m : metricByName(m)]);
}

function take(values: ArrayLike<number>, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length);
  for (let j = 0; j < indices.length; j++) out[j] = values[indices[j]!]!;
  return out;
}

/** Min and max of the finite values (NaN-skipping, as pandas' min/max); NaN when none is finite. */
function extremes(values: readonly number[]): { min: number; max: number } {
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return { min: Number.NaN, max: Number.NaN };
  return { min: Math.min(...finite), max: Math.max(...finite) };
}

/**
 * Metrics overall and by group (Fairlearn MetricFrame semantics). `difference()` is max - min over
 * groups ("between_groups") or the largest |group - overall| ("to_overall"); `ratio()` is min / max
 * over groups or the smallest min(group / overall, overall / group).
 * @example
 * const frame = groupMetrics({ yTrue, yPred, sensitive: { sex }, metrics: ["accuracy", "selection_rate"] });
 * frame.difference().selection_rate; // the demographic parity difference
 */
export class GroupMetrics {
  readonly sensitiveNames: readonly string[];
  readonly metricNames: readonly string[];
  readonly overall: Readonly<Record<string, number>>;
  readonly byGroup: readonly GroupRow[];

  constructor(input: GroupMetricsInput) {
    const yTrue = numbersOf("groupMetrics", "yTrue", input.yTrue);
    const rows = yTrue.length;
    const yPred = numbersOf("groupMetrics", "yPred", input.yPred, rows);
    if (rows === 0) throw new ValueError("groupMetrics: the data has 0 rows");
    const columns = sensitiveColumns("groupMetrics", input.sensitive, rows);
    const metrics = metricTable(input.metrics);
    this.sensitiveNames = [...columns.keys()];
    this.metricNames = metrics.map(([name]) => name);
    this.overall = Object.fromEntries(metrics.map(([name, f]) => [name, f(yTrue, yPred)]));
    this.byGroup = groupRows(columns, rows).groups.map((g) => {
      const t = take(yTrue, g.indices);
      const p = take(yPred, g.indices);
      return {
        key: g.key,
        values: g.values,
        rows: g.indices.length,
        metrics: Object.fromEntries(metrics.map(([name, f]) => [name, f(t, p)])),
      };
    });
  }

  /** A group's row by key, or a ValueError when the group has no rows. */
  group(key: string): GroupRow {
    const row = this.byGroup.find((g) => g.key === key);
    if (row === undefined)
      throw new ValueError(
        `groupMetrics: group "${key}" has no rows (groups: ${this.byGroup.map((g) => g.key).join("; ")})`,
      );
    return row;
  }

  private perMetric(f: (values: number[], overall: number) => number): Record<string, number> {
    return Object.fromEntries(
      this.metricNames.map((m) => [
        m,
        f(
          this.byGroup.map((g) => g.metrics[m]!),
          this.overall[m]!,
        ),
      ]),
    );
  }

  groupMin(): Record<string, number> {
    return this.perMetric((values) => extremes(values).min);
  }

  groupMax(): Record<string, number> {
    return this.perMetric((values) => extremes(values).max);
  }

  difference(method: DisparityMethod = "between_groups"): Record<string, number> {
    if (method === "between_groups")
      return this.perMetric((values) => {
        const { min, max } = extremes(values);
        return max - min;
      });
    return this.perMetric((values, overall) => extremes(values.map((v) => Math.abs(v - overall))).max);
  }

  ratio(method: DisparityMethod = "between_groups"): Record<string, number> {
    if (method === "between_groups")
      return this.perMetric((values) => {
        const { min, max } = extremes(values);
        return min / max;
      });
    return this.perMetric(
      (values, overall) => extremes(values.map((v) => Math.min(v / overall, overall / v))).min,
    );
  }

  /** A plain JSON view: NaN becomes null. */
  toJSON(): {
    sensitive: readonly string[];
    overall: Record<string, number | null>;
    byGroup: {
      key: string;
      values: Record<string, string>;
      rows: number;
      metrics: Record<string, number | null>;
    }[];
    difference: Record<string, number | null>;
    ratio: Record<string, number | null>;
  } {
    return {
      sensitive: this.sensitiveNames,
      overall: jsonNumbers(this.overall),
      byGroup: this.byGroup.map((g) => ({ ...g, values: { ...g.values }, metrics: jsonNumbers(g.metrics) })),
      difference: jsonNumbers(this.difference()),
      ratio: jsonNumbers(this.ratio()),
    };
  }
}

/** NaN and infinities become null, for JSON. */
export function jsonNumbers(record: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}

/** Builds the MetricFrame-like table; see {@link GroupMetrics}. */
export function groupMetrics(input: GroupMetricsInput): GroupMetrics {
  return new GroupMetrics(input);
}
