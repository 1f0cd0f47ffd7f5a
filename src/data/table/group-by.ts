// data/table/group-by: split rows into groups by key columns and aggregate each group.
// Groups come out in order of first appearance (pandas' sort=False), missing keys form their own
// group (pandas' dropna=False). Layer: data.
import { ValueError } from "../../core/errors.js";
import { Column } from "./column.js";
import { nanMax, nanMean, nanMin, nanStd } from "./stats.js";

/** The aggregates groupBy().agg() knows. std is the sample standard deviation (ddof 1, pandas). */
export type AggName = "count" | "size" | "sum" | "mean" | "min" | "max" | "std" | "first" | "nunique";

const AGG_NAMES: readonly AggName[] = [
  "count",
  "size",
  "sum",
  "mean",
  "min",
  "max",
  "std",
  "first",
  "nunique",
];

/**
 * What to aggregate: `{ column: "mean" }` keeps the column's name; `{ column: ["mean", "max"] }`
 * names the outputs `column_mean`, `column_max`.
 */
export type AggSpec = Record<string, AggName | readonly AggName[]>;

/** Group number of every row, and the first row of each group. */
export interface Grouping {
  groupOfRow: Int32Array;
  firstRowOfGroup: number[];
}

/** Assigns group numbers to rows by the combined value of `keys` (first appearance order). */
export function groupRows(keys: readonly Column[], length: number): Grouping {
  const groupOfRow = new Int32Array(length);
  const firstRowOfGroup: number[] = [];
  const lookup = new Map<string | number | null, number>();
  for (let row = 0; row < length; row++) {
    let key: string | number | null;
    if (keys.length === 1) {
      key = keys[0]!.keyAt(row);
    } else {
      // JSON of the tuple keeps "1" (string) and 1 (number) apart and null distinct from "null".
      key = JSON.stringify(keys.map((column) => column.keyAt(row)));
    }
    let group = lookup.get(key);
    if (group === undefined) {
      group = firstRowOfGroup.length;
      firstRowOfGroup.push(row);
      lookup.set(key, group);
    }
    groupOfRow[row] = group;
  }
  return { groupOfRow, firstRowOfGroup };
}

/** Rows of each group, in row order. */
function rowsByGroup(grouping: Grouping): number[][] {
  const rows: number[][] = grouping.firstRowOfGroup.map(() => []);
  for (let row = 0; row < grouping.groupOfRow.length; row++) rows[grouping.groupOfRow[row]!]!.push(row);
  return rows;
}

/** One aggregate of `column` per group. */
export function aggregate(column: Column, name: string, agg: AggName, grouping: Grouping): Column {
  const rows = rowsByGroup(grouping);
  const groups = rows.length;
  if (agg === "size" || agg === "count" || agg === "nunique") {
    const out = new Float64Array(groups);
    for (let g = 0; g < groups; g++) {
      const members = rows[g]!;
      if (agg === "size") out[g] = members.length;
      else if (agg === "count") out[g] = members.filter((r) => column.valid[r] === 1).length;
      else out[g] = new Set(members.map((r) => column.keyAt(r)).filter((k) => k !== null)).size;
    }
    return Column.fromNumbers("int", out);
  }
  if (agg === "first") {
    // First present value of the group (pandas' first skips missing values).
    const pick = rows.map((members) => members.find((r) => column.valid[r] === 1) ?? -1);
    return column.take(pick);
  }
  if (column.kind === "string") {
    throw new ValueError(`groupBy.agg: ${agg} needs a numeric column ("${name}" holds strings)`);
  }
  if ((agg === "min" || agg === "max") && (column.kind === "date" || column.kind === "int")) {
    const pick = rows.map((members) => {
      let best = -1;
      for (const r of members) {
        if (column.valid[r] !== 1) continue;
        const v = column.numbers[r]!;
        if (best < 0 || (agg === "min" ? v < column.numbers[best]! : v > column.numbers[best]!)) best = r;
      }
      return best;
    });
    return column.take(pick);
  }
  const values = column.numbers;
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const members = rows[g]!;
    const groupValues = new Float64Array(members.length);
    for (let i = 0; i < members.length; i++) groupValues[i] = values[members[i]!]!;
    switch (agg) {
      case "sum": {
        let s = 0;
        for (const v of groupValues) if (!Number.isNaN(v)) s += v;
        out[g] = s;
        break;
      }
      case "mean":
        out[g] = nanMean(groupValues);
        break;
      case "min":
        out[g] = nanMin(groupValues);
        break;
      case "max":
        out[g] = nanMax(groupValues);
        break;
      case "std":
        out[g] = nanStd(groupValues, 1);
        break;
    }
  }
  const kind = agg === "sum" && (column.kind === "int" || column.kind === "bool") ? "int" : "float";
  return Column.fromNumbers(kind, out);
}

/** Expands an AggSpec into [output name, source column, aggregate] triples, validated. */
export function expandAggSpec(spec: AggSpec): [string, string, AggName][] {
  const out: [string, string, AggName][] = [];
  for (const [column, aggs] of Object.entries(spec)) {
    const list: readonly AggName[] = typeof aggs === "string" ? [aggs] : aggs;
    for (const agg of list) {
      if (!AGG_NAMES.includes(agg)) {
        throw new ValueError(
          `groupBy.agg: unknown aggregate ${JSON.stringify(agg)} (expected one of ${AGG_NAMES.join(", ")})`,
        );
      }
      out.push([typeof aggs === "string" ? column : `${column}_${agg}`, column, agg]);
    }
  }
  if (out.length === 0) throw new ValueError("groupBy.agg: expected at least one aggregate (got none)");
  return out;
}
