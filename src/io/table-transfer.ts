// io/table-transfer: a Table as the typed arrays behind its columns, so a worker thread can hand
// one over by transferring the buffers instead of cloning every cell (for a 1M-row Parquet file
// the clone of the cell values cost more than decoding it).
import { Column } from "../data/table/column.js";
import { Table } from "../data/table/table.js";

/** One column's storage (see data/table/column.ts): numbers, or dictionary codes for strings. */
export interface PackedColumn {
  readonly name: string;
  readonly column:
    | { readonly kind: "string"; readonly codes: Int32Array; readonly dictionary: readonly string[] }
    | {
        readonly kind: "float" | "int" | "bool" | "date";
        readonly numbers: Float64Array;
        readonly valid: Uint8Array;
      };
}

export interface PackedTable {
  readonly numRows: number;
  readonly columns: readonly PackedColumn[];
}

/**
 * An array whose whole buffer may be transferred: `a` itself when it spans a buffer not listed yet,
 * else a copy (a view into a larger buffer, or a buffer two columns share, such as one mask).
 */
function transferable<A extends Float64Array | Int32Array | Uint8Array>(a: A, transfer: ArrayBuffer[]): A {
  const { buffer } = a;
  const whole =
    buffer instanceof ArrayBuffer &&
    a.byteOffset === 0 &&
    a.byteLength === buffer.byteLength &&
    !transfer.includes(buffer);
  const out = whole ? a : (a.slice() as A);
  transfer.push(out.buffer as ArrayBuffer);
  return out;
}

/**
 * The table's storage, and the buffers to list as transferable. The arrays are handed over as they
 * are (copied only where a buffer is shared or larger than its array), so once they are
 * transferred the table must not be used: the worker packs a table it has just built and drops.
 */
export function packTable(table: Table): { packed: PackedTable; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const columns = table.columnNames.map((name): PackedColumn => {
    const c = table.column(name);
    if (c.kind === "string") {
      return {
        name,
        column: { kind: "string", codes: transferable(c.codes, transfer), dictionary: c.dictionary },
      };
    }
    const numbers = transferable(c.numbers, transfer);
    const valid = transferable(c.valid, transfer);
    return { name, column: { kind: c.kind, numbers, valid } };
  });
  return { packed: { numRows: table.numRows, columns }, transfer };
}

/** The Table back from packTable's storage (arrays kept, not copied). */
export function unpackTable(packed: PackedTable): Table {
  return Table.fromEntries(
    packed.columns.map(({ name, column }) => [
      name,
      column.kind === "string"
        ? Column.fromCodes(column.codes, column.dictionary)
        : Column.fromNumbers(column.kind, column.numbers, column.valid),
    ]),
    packed.numRows,
  );
}
