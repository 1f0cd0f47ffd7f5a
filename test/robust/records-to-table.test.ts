// io/preprocessing recordsToTable (raw records served to a saved model): a column named
// "__proto__" lost its saved kind, because the kinds went into an object literal by assignment
// (which sets the prototype instead); it came back inferred (int for 1.0) instead of float.
import assert from "node:assert/strict";
import { test } from "node:test";
import { recordsToTable } from "../../src/io/preprocessing.js";

test("recordsToTable keeps the kind of a column named __proto__", () => {
  const records = [JSON.parse('{"__proto__": 1.0, "b": 2}') as Record<string, unknown>];
  const table = recordsToTable(records, [
    { name: "__proto__", type: "number", kind: "float" },
    { name: "b", type: "number", kind: "float" },
  ]);
  assert.deepEqual(table.columnNames, ["__proto__", "b"]);
  assert.equal(table.column("__proto__").kind, "float");
  assert.equal(table.column("b").kind, "float");
});
