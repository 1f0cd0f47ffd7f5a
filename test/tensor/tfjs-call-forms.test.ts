// tensor() called the tfjs way: tf.tensor(values, shape, dtype). The shape was silently ignored
// (tensor([1, 2, 3, 4], [2, 2]) had shape [4]); now it is honoured, and a second argument that is
// neither a shape nor an options object, or an unknown option, is a clear error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ShapeError, ValueError } from "../../src/core/errors.js";
import { tensor } from "../../src/tensor/creation.js";

test("a shape in second position is honoured, as in tfjs", () => {
  const t = tensor([1, 2, 3, 4], [2, 2]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.deepEqual([...t.data], [1, 2, 3, 4]);
  assert.equal(t.dtype, "float32");
  const typed = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2]);
  assert.deepEqual(typed.shape, [3, 2]);
  assert.equal(typed.dtype, "float64");
});

test("a dtype in third position", () => {
  const t = tensor([1.7, 2, 3, 4], [4, 1], "int32");
  assert.deepEqual(t.shape, [4, 1]);
  assert.equal(t.dtype, "int32");
  assert.deepEqual([...t.data], [1, 2, 3, 4]);
});

test("the options object still works and agrees with the positional form", () => {
  const a = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], dtype: "float64" });
  const b = tensor([1, 2, 3, 4, 5, 6], [2, 3], "float64");
  assert.deepEqual(a.shape, b.shape);
  assert.equal(a.dtype, b.dtype);
  assert.deepEqual([...a.data], [...b.data]);
});

test("a shape that does not fit the values is a ShapeError naming both", () => {
  assert.throws(
    () => tensor([1, 2, 3], [2, 2]),
    (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.match(e.message, /tensor: shape \[2, ?2\] needs 4 elements \(got 3\)/);
      return true;
    },
  );
});

test("anything else in second position is refused with a clear error", () => {
  const cases: [unknown, unknown, RegExp][] = [
    [
      "float32",
      undefined,
      /tensor: the second argument must be a shape such as \[2, 2\] or an options object/,
    ],
    [4, undefined, /the second argument must be a shape/],
    [{ shap: [2, 2] }, undefined, /tensor: unknown option "shap" \(expected shape, dtype, requiresGrad\)/],
    [{ shape: [2, 2] }, "int32", /a dtype as third argument goes with a shape as second/],
  ];
  for (const [second, third, message] of cases) {
    assert.throws(
      () => (tensor as (...args: unknown[]) => unknown)([1, 2, 3, 4], second, third),
      (e: unknown) => e instanceof ValueError && message.test(e.message),
      JSON.stringify(second),
    );
  }
});
