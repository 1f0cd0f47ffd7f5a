import assert from "node:assert/strict";
import { test } from "node:test";
import type { TypedArray } from "../core/dtype.js";
import { runBatch } from "./inference-worker.js";
import type { RawRecord, Servable } from "./servable.js";

// y = 2x + row-sum, on rows of 2 features; records {v} become [v, 0] and a negative v is refused.
const servable: Servable = {
  signature: {
    name: "t",
    version: "1",
    inputs: [{ name: "x", dtype: "float32", shape: [-1, 2] }],
    outputs: [{ name: "y", dtype: "float32", shape: [-1, 2] }],
    columns: [{ name: "v", type: "number" }],
  },
  predict(inputs: readonly TypedArray[], rows: number): TypedArray[] {
    const x = inputs[0]!;
    const y = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      const sum = x[2 * r]! + x[2 * r + 1]!;
      y[2 * r] = 2 * x[2 * r]! + sum;
      y[2 * r + 1] = 2 * x[2 * r + 1]! + sum;
    }
    return [y];
  },
  encodeRecords(records: readonly RawRecord[]): TypedArray[] {
    return [
      Float32Array.from(
        records.flatMap((r) => {
          if ((r.v as number) < 0) throw new Error("v must be non-negative");
          return [r.v as number, 0];
        }),
      ),
    ];
  },
};

test("runBatch merges items into one predict call and splits the rows back per item", async () => {
  let calls = 0;
  const counting: Servable = {
    ...servable,
    predict: (inputs, rows) => {
      calls++;
      return servable.predict(inputs, rows);
    },
  };
  const results = await runBatch(counting, [
    { kind: "tensors", inputs: [new Float32Array([1, 2])], rows: 1 },
    { kind: "records", records: [{ v: 3 }, { v: 4 }], rows: 2 },
    { kind: "records", records: [{ v: -1 }], rows: 1 },
    { kind: "tensors", inputs: [new Float32Array([0, 5, 1, 1])], rows: 2 },
  ]);
  assert.equal(calls, 1);
  const values = results.map((r) => (r.ok ? [...r.outputs[0]!] : r));
  assert.deepEqual(values, [
    [5, 7],
    [9, 3, 12, 4],
    { ok: false, status: 400, message: "v must be non-negative" },
    [5, 15, 4, 4],
  ]);
});

test("a preprocessing result of the wrong size fails its item, and a predict error fails all with 500", async () => {
  const wrongSize: Servable = { ...servable, encodeRecords: () => [new Float32Array(3)] };
  const [bad] = await runBatch(wrongSize, [{ kind: "records", records: [{ v: 1 }], rows: 1 }]);
  assert.deepEqual(bad, {
    ok: false,
    status: 400,
    message: 'preprocessing produced 3 values for input "x" (expected 2)',
  });
  const broken: Servable = {
    ...servable,
    predict: () => {
      throw new Error("nan weights");
    },
  };
  const results = await runBatch(broken, [
    { kind: "tensors", inputs: [new Float32Array(2)], rows: 1 },
    { kind: "tensors", inputs: [new Float32Array(2)], rows: 1 },
  ]);
  assert.deepEqual(results, [
    { ok: false, status: 500, message: "inference failed: nan weights" },
    { ok: false, status: 500, message: "inference failed: nan weights" },
  ]);
});
