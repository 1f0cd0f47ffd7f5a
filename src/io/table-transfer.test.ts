// io/table-transfer: packed tables survive a transfer through a real MessageChannel, including
// columns whose arrays are views into a larger buffer or share one buffer (copied, not listed twice).
import assert from "node:assert/strict";
import { test } from "node:test";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Column } from "../data/table/column.js";
import { Table } from "../data/table/table.js";
import { type PackedTable, packTable, unpackTable } from "./table-transfer.js";

function roundTrip(table: Table): Promise<Table> {
  const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once("message", (packed: PackedTable) => {
      port1.close();
      resolve(unpackTable(packed));
    });
    const { packed, transfer } = packTable(table);
    port1.postMessage(packed, transfer);
  });
}

test("a table with shared and partial buffers round-trips through a transfer", async () => {
  const backing = new Float64Array([1, 2, 3, 4, 5, 6]);
  const mask = new Uint8Array([1, 0, 1]);
  const table = Table.fromEntries(
    [
      ["a", Column.fromNumbers("float", backing.subarray(0, 3), mask)],
      ["b", Column.fromNumbers("int", backing.subarray(3), mask)],
      ["s", Column.fromCodes(new Int32Array([1, 0, -1]), ["x", "y"])],
    ],
    3,
  );
  const back = await roundTrip(table);
  assert.deepEqual(back.toRecords(), [
    { a: 1, b: 4, s: "y" },
    { a: null, b: null, s: "x" },
    { a: 3, b: 6, s: null },
  ]);
  assert.equal(back.column("b").kind, "int");
});

test("whole, unshared arrays are handed over, not copied", () => {
  const numbers = new Float64Array([1, 2]);
  const table = Table.fromEntries([["a", Column.fromNumbers("float", numbers, new Uint8Array([1, 1]))]], 2);
  const { packed, transfer } = packTable(table);
  const column = packed.columns[0]?.column;
  assert.ok(column !== undefined && column.kind === "float");
  assert.equal(column.numbers, numbers);
  assert.equal(transfer.length, 2);
});
