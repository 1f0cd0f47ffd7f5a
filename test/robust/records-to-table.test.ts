// Keys named "__proto__" in model files and served records (issue 12 family). io/preprocessing
// recordsToTable (raw records served to a saved model): a column named
// "__proto__" lost its saved kind, because the kinds went into an object literal by assignment
// (which sets the prototype instead); it came back inferred (int for 1.0) instead of float.
import assert from "node:assert/strict";
import { test } from "node:test";
import { validateModelFile } from "../../src/io/model-format.js";
import { recordsToTable } from "../../src/io/preprocessing.js";
import { parseStrictJson } from "../../src/io/strict-json.js";

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

test("model.json keeps a metric named __proto__ (it was swallowed by assignment)", () => {
  const text = JSON.stringify({
    format: "tessera-model",
    version: 1,
    architecture: { className: "Sequential", config: {} },
    weights: { file: "weights.safetensors", sha256: "0".repeat(64), bytes: 8, tensors: [] },
    training: null,
    preprocessing: null,
    signature: { inputs: [], outputs: [], columns: null, target: null, labels: null },
    metadata: {},
  }).replace('"metadata"', '"metrics":{"__proto__":0.5,"mae":1},"metadata"');
  const file = validateModelFile(parseStrictJson(text, "m.json"), "m.json");
  assert.deepEqual(Object.keys(file.metrics ?? {}), ["__proto__", "mae"]);
  assert.equal(Object.getOwnPropertyDescriptor(file.metrics, "__proto__")?.value, 0.5);
});
