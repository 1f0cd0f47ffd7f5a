// data/table/sort: stable multi-key row ordering for Table.sort. Missing values sort last in both
// directions (as pandas' na_position="last"). Strings compare by UTF-16 code units, not locale.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import type { Column } from "./column.js";

/** One sort key: a column name, or a name with a direction. */
export type SortKey = string | { column: string; descending?: boolean };

/** Per-row ranks of a column's values (missing = +Infinity) so every key compares as numbers. */
function ranksOf(column: Column): Float64Array {
  const n = column.length;
  const ranks = new Float64Array(n);
  if (column.kind === "string") {
    const dictionary = column.dictionary;
    const order = Array.from(dictionary.keys()).sort((a, b) => {
      const x = dictionary[a]!;
      const y = dictionary[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const rankOfCode = new Float64Array(dictionary.length);
    for (let r = 0; r < order.length; r++) rankOfCode[order[r]!] = r;
    const codes = column.codes;
    for (let i = 0; i < n; i++) {
      const code = codes[i]!;
      ranks[i] = code < 0 ? Number.POSITIVE_INFINITY : rankOfCode[code]!;
    }
    return ranks;
  }
  const values = column.numbers;
  for (let i = 0; i < n; i++) ranks[i] = column.valid[i] === 1 ? values[i]! : Number.POSITIVE_INFINITY;
  return ranks;
}

/**
 * Row indices that order the columns by `keys` (stable: ties keep their input order).
 * `getColumn` resolves a name (and throws for unknown names).
 */
export function sortIndices(
  length: number,
  keys: readonly SortKey[],
  getColumn: (name: string) => Column,
): Int32Array {
  if (keys.length === 0) throw new ValueError("Table.sort: expected at least one sort key (got none)");
  const specs = keys.map((key) => {
    const name = typeof key === "string" ? key : key.column;
    const descending = typeof key === "string" ? false : key.descending === true;
    const column = getColumn(name);
    return { ranks: ranksOf(column), valid: column.valid, sign: descending ? -1 : 1 };
  });
  const order = Array.from({ length }, (_, i) => i);
  order.sort((a, b) => {
    for (const { ranks, valid, sign } of specs) {
      const va = valid[a]!;
      const vb = valid[b]!;
      if (va !== vb) return va === 0 ? 1 : -1; // missing last whatever the direction
      if (va === 0) continue;
      const x = ranks[a]!;
      const y = ranks[b]!;
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return a - b;
  });
  return Int32Array.from(order);
}
