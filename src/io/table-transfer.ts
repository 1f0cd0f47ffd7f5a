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

/** The table's storage, and the buffers to list as transferable (they are copied first). */
export function packTable(table: Table): { packed: PackedTable; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const columns = table.columnNames.map((name): PackedColumn => {
    const c = table.column(name);
    if (c.kind === "string") {
      const codes = c.codes.slice();
      transfer.push(codes.buffer);
      return { name, column: { kind: "string", codes, dictionary: c.dictionary } };
    }
    const numbers = c.numbers.slice();
    const valid = c.valid.slice();
    transfer.push(numbers.buffer, valid.buffer);
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
