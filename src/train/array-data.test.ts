import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Generator, ShapeError, tensor, ValueError } from "../index.js";
import {
  batchIndices,
  checkFiniteData,
  countRows,
  sliceRows,
  splitValidation,
  takeRows,
} from "./array-data.js";

describe("array-data", () => {
  test("checkFiniteData finds NaN and +-Infinity at every position (the four-lane scan and its tail) and names the first", () => {
    // 3 columns x 7 rows = 21 values: the scan's lanes cover 20, the last one is the tail
    for (const dtype of ["float32", "float64"] as const) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (let at = 0; at < 21; at++) {
          const values = Array.from({ length: 21 }, (_, i) => (i % 2 === 0 ? -0 : 3.5e38 / (i + 1)));
          values[at] = bad;
          if (at + 5 < 21) values[at + 5] = bad; // a later one is not the one named
          const x = tensor(values, [7, 3], dtype);
          const want = new RegExp(`fit: x holds ${bad} at row ${Math.floor(at / 3)}, column ${at % 3};`);
          assert.throws(() => checkFiniteData("fit", { x: [x], y: [], sampleWeight: null }), want);
        }
      }
      const fine = tensor(
        Array.from({ length: 21 }, (_, i) => (i % 3 === 0 ? -3.4e38 : i)),
        [7, 3],
        dtype,
      );
      checkFiniteData("fit", { x: [fine], y: [fine], sampleWeight: null });
    }
  });

  test("takeRows and sliceRows copy whole rows", () => {
    const x = tensor([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    assert.deepEqual(takeRows(x, [2, 0]).toArray(), [
      [4, 5],
      [0, 1],
    ]);
    assert.deepEqual(sliceRows(x, 1, 3).toArray(), [
      [2, 3],
      [4, 5],
    ]);
    const copy = sliceRows(x, 0, 1);
    copy.data[0] = 99;
    assert.equal(x.data[0], 0, "a slice does not alias the source");
  });

  test("validationSplit takes the last fraction, floor(N * (1 - f)) rows stay for training", () => {
    const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]);
    const y = tensor([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const { train, validation } = splitValidation({ x: [x], y: [y], sampleWeight: null }, 0.25);
    // floor(10 * 0.75) = 7
    assert.deepEqual(train.y[0]!.toArray(), [10, 11, 12, 13, 14, 15, 16]);
    assert.deepEqual(validation.x[0]!.toArray(), [[7], [8], [9]]);
    assert.deepEqual(validation.y[0]!.toArray(), [17, 18, 19]);
    assert.throws(() => splitValidation({ x: [x], y: [y], sampleWeight: null }, 1), ValueError);
  });

  test("batchIndices: ceil(N / B) batches; a seeded generator permutes, the same seed repeats", () => {
    const ordered = batchIndices(10, 4, null).map((b) => [...b]);
    assert.deepEqual(ordered, [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const a = batchIndices(10, 4, new Generator(3)).flatMap((b) => [...b]);
    const b = batchIndices(10, 4, new Generator(3)).flatMap((b) => [...b]);
    const c = batchIndices(10, 4, new Generator(4)).flatMap((b) => [...b]);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.deepEqual(
      [...a].sort((p, q) => p - q),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      "a permutation",
    );
    assert.notDeepEqual(a, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("countRows rejects arrays of different lengths, naming them", () => {
    assert.throws(
      () => countRows("fit", { x: [tensor([[1], [2]])], y: [tensor([1, 2, 3])], sampleWeight: null }),
      (e: unknown) => e instanceof ShapeError && /x\[0\] \[2,1\], y\[0\] \[3\]/.test(e.message),
    );
  });
});
