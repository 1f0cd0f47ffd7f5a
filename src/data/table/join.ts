// data/table/join: row pairing for Table.join (a hash join on key columns). Missing keys never
// match anything (SQL semantics, unlike pandas which matches NaN with NaN); such rows still appear
// in left/right/outer joins with the other side missing. Output order: left rows in order, each
// with its matches in right order; for right/outer joins the unmatched right rows follow.
// joinTables builds the joined Table from those pairs.
// Layer: data.
import { DTypeError, ValueError } from "../../core/errors.js";
import { Column } from "./column.js";
import type { JoinOptions, Table } from "./table.js";

export type JoinHow = "inner" | "left" | "right" | "outer";

/** Paired row indices; -1 where a side has no row. */
export interface JoinPairs {
  left: Int32Array;
  right: Int32Array;
}

function rowKey(keys: readonly Column[], row: number): string | number | null {
  if (keys.length === 1) return keys[0]!.keyAt(row);
  const parts = keys.map((column) => column.keyAt(row));
  return parts.includes(null) ? null : JSON.stringify(parts);
}

export function joinPairs(
  leftKeys: readonly Column[],
  rightKeys: readonly Column[],
  leftLength: number,
  rightLength: number,
  how: JoinHow,
): JoinPairs {
  if (!["inner", "left", "right", "outer"].includes(how)) {
    throw new ValueError(`Table.join: how must be inner, left, right or outer (got ${JSON.stringify(how)})`);
  }
  for (let k = 0; k < leftKeys.length; k++) {
    const a = leftKeys[k]!.kind;
    const b = rightKeys[k]!.kind;
    const numeric = (kind: string) => kind === "int" || kind === "float";
    if (a !== b && !(numeric(a) && numeric(b))) {
      throw new DTypeError(`Table.join: key ${k + 1} has kind ${a} on the left and ${b} on the right`);
    }
  }
  const index = new Map<string | number, number[]>();
  for (let r = 0; r < rightLength; r++) {
    const key = rowKey(rightKeys, r);
    if (key === null) continue;
    const rows = index.get(key);
    if (rows === undefined) index.set(key, [r]);
    else rows.push(r);
  }
  const left: number[] = [];
  const right: number[] = [];
  const rightMatched = new Uint8Array(rightLength);
  for (let l = 0; l < leftLength; l++) {
    const key = rowKey(leftKeys, l);
    const matches = key === null ? undefined : index.get(key);
    if (matches === undefined) {
      if (how === "left" || how === "outer") {
        left.push(l);
        right.push(-1);
      }
      continue;
    }
    for (const r of matches) {
      left.push(l);
      right.push(r);
      rightMatched[r] = 1;
    }
  }
  if (how === "right" || how === "outer") {
    for (let r = 0; r < rightLength; r++) {
      if (rightMatched[r] === 0) {
        left.push(-1);
        right.push(r);
      }
    }
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right) };
}

/** Key column of the joined table: the left value where there is a left row, else the right one. */
export function coalesceKey(leftKey: Column, rightKey: Column, pairs: JoinPairs): Column {
  const fromLeft = leftKey.take(pairs.left);
  const fromRight = rightKey.take(pairs.right);
  const values = fromLeft.toArray();
  for (let i = 0; i < values.length; i++) if (pairs.left[i] === -1) values[i] = fromRight.get(i);
  const kind = leftKey.kind === rightKey.kind ? leftKey.kind : "float";
  return Column.fromValues(values, kind);
}

/** The columns of a joined table and its row count (Table.join builds the Table from them). */
export interface JoinedColumns {
  readonly entries: readonly (readonly [string, Column])[];
  readonly numRows: number;
}

/** Table.join: a hash join on key columns (missing keys never match). */
export function joinColumns(left: Table, other: Table, options: JoinOptions): JoinedColumns {
  const on = typeof options.on === "string" ? [options.on] : [...options.on];
  if (on.length === 0) throw new ValueError("Table.join: expected at least one key column in `on`");
  const how = options.how ?? "inner";
  const [leftSuffix, rightSuffix] = options.suffixes ?? ["_left", "_right"];
  const pairs = joinPairs(
    on.map((k) => left.column(k)),
    on.map((k) => other.column(k)),
    left.numRows,
    other.numRows,
    how,
  );
  const entries: [string, Column][] = on.map((k) => [
    k,
    how === "inner" || how === "left"
      ? left.column(k).take(pairs.left)
      : coalesceKey(left.column(k), other.column(k), pairs),
  ]);
  const leftRest = left.columnNames.filter((n) => !on.includes(n));
  const rightRest = other.columnNames.filter((n) => !on.includes(n));
  for (const name of leftRest) {
    const out = rightRest.includes(name) ? `${name}${leftSuffix}` : name;
    entries.push([out, left.column(name).take(pairs.left)]);
  }
  for (const name of rightRest) {
    const out = leftRest.includes(name) ? `${name}${rightSuffix}` : name;
    entries.push([out, other.column(name).take(pairs.right)]);
  }
  return { entries, numRows: pairs.left.length };
}
