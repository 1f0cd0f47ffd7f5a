// The errors issue 2 lists, each matched by regex: typed classes (all TesseraError) whose messages
// name the op, what was expected and what came.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../src/index.js";
import {
  BackendError,
  DTypeError,
  GradError,
  IndexError,
  ShapeError,
  TesseraError,
  ValueError,
} from "../src/index.js";

/** Asserts that fn throws an instance of `kind` whose message matches `pattern`. */
function throwsTyped(fn: () => unknown, kind: new (message: string) => TesseraError, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e instanceof Error ? e.name : String(e)}`);
    assert.ok(e instanceof TesseraError);
    assert.equal(e.name, kind.name);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("shape errors", () => {
  test("matmul: inner dimensions differ names both shapes", () => {
    throwsTyped(
      () => ts.matmul(ts.zeros([2, 3]), ts.zeros([4, 5])),
      ShapeError,
      /^matmul: inner dimensions differ \(got \[2,3\] and \[4,5\]\)$/,
    );
    throwsTyped(
      () => ts.zeros([2, 3]).matmul(ts.zeros([2, 3])),
      ShapeError,
      /^matmul: inner dimensions differ \(got \[2,3\] and \[2,3\]\)$/,
    );
    throwsTyped(
      () => ts.matmul(ts.zeros([5, 2, 3]), ts.zeros([4])),
      ShapeError,
      /^matmul: inner dimensions differ \(got \[5,2,3\] and \[4\]\)$/,
    );
  });

  test("reshape to an incompatible size", () => {
    throwsTyped(
      () => ts.reshape(ts.zeros([2, 3]), [5]),
      ShapeError,
      /^reshape: cannot reshape a tensor of shape \[2,3\] \(6 elements\) into \[5\]$/,
    );
    throwsTyped(
      () => ts.zeros([7]).reshape([2, -1]),
      ShapeError,
      /^reshape: cannot reshape a tensor of shape \[7\] \(7 elements\) into \[2,-1\]$/,
    );
  });

  test("broadcasting incompatible shapes", () => {
    throwsTyped(
      () => ts.add(ts.zeros([2, 3]), ts.zeros([4])),
      ShapeError,
      /^add: shapes cannot be broadcast together \(got \[2,3\] and \[4\]\)$/,
    );
    throwsTyped(
      () => ts.where(ts.tensor([true, false]), ts.zeros([3]), 0),
      ShapeError,
      /^where: shapes cannot be broadcast together \(got \[2\] and \[3\] and \[\]\)$/,
    );
  });

  test("ragged nested arrays name where the raggedness is", () => {
    throwsTyped(
      () => ts.tensor([[1, 2], [3]]),
      ShapeError,
      /^tensor: ragged nested array at \[1\] \(expected length 2, got length 1\)$/,
    );
    throwsTyped(
      () => ts.tensor([[1, 2], 3] as unknown as number[][]),
      ShapeError,
      /^tensor: ragged nested array at \[1\] \(expected length 2, got number\)$/,
    );
    throwsTyped(
      () => ts.tensor([1, [2]] as unknown as number[]),
      ShapeError,
      /^tensor: expected a number or boolean at \[1\] \(got an array\); nested arrays must be rectangular$/,
    );
    throwsTyped(
      () =>
        ts.tensor([
          [[1], [2]],
          [[3], [4, 5]],
        ]),
      ShapeError,
      /^tensor: ragged nested array at \[1\]\[1\]/,
    );
    throwsTyped(
      () => ts.tensor(["a"] as unknown as number[]),
      ShapeError,
      /^tensor: expected a number or boolean at \[0\] \(got string\)/,
    );
  });

  test("shape option that does not match the data", () => {
    throwsTyped(
      () => ts.tensor([1, 2, 3], { shape: [2, 2] }),
      ShapeError,
      /^tensor: shape \[2,2\] needs 4 elements \(got 3\)$/,
    );
    throwsTyped(
      () => ts.tensor(new Float32Array(5), { shape: [2, 2] }),
      ShapeError,
      /^tensor: shape \[2,2\] needs 4 elements \(got 5\)$/,
    );
  });
});

describe("index errors", () => {
  test("at, slice, gather and scatterAdd out of range", () => {
    const x = ts.zeros([2, 3]);
    throwsTyped(() => x.at(0, 3), IndexError, /^at: index 3 is out of range for axis 1 of size 3$/);
    throwsTyped(
      () => ts.slice(x, [-3]),
      IndexError,
      /^slice: index -3 is out of range for axis 0 of size 2$/,
    );
    throwsTyped(
      () => ts.gather(x, ts.tensor([0, 3], { dtype: "int32" }), 1),
      IndexError,
      /^gather: index 3 is out of range for axis 1 of size 3$/,
    );
    throwsTyped(
      () => x.take(ts.tensor([-3], { dtype: "int32" })),
      IndexError,
      /^gather: index -3 is out of range for axis 0 of size 2$/,
    );
    throwsTyped(
      () => ts.scatterAdd(x, ts.tensor([2], { dtype: "int32" }), ts.zeros([1, 3])),
      IndexError,
      /^scatterAdd: index 2 is out of range for axis 0 of size 2$/,
    );
  });

  test("axes out of range name the op and the rank", () => {
    throwsTyped(
      () => ts.sum(ts.zeros([2, 3]), -3),
      IndexError,
      /^sum: axis -3 is out of range for a tensor of rank 2$/,
    );
    throwsTyped(
      () => ts.softmax(ts.zeros([2]), 1),
      IndexError,
      /^softmax: axis 1 is out of range for a tensor of rank 1$/,
    );
    throwsTyped(
      () => ts.concat([ts.zeros([2])], 1),
      IndexError,
      /^concat: axis 1 is out of range for a tensor of rank 1$/,
    );
    throwsTyped(
      () => ts.gather(ts.zeros([2]), [0], 2),
      IndexError,
      /^gather: axis 2 is out of range for a tensor of rank 1$/,
    );
  });
});

describe("dtype errors", () => {
  test("mixing dtypes where not allowed", () => {
    const f32 = ts.zeros([2]);
    const f64 = ts.zeros([2], { dtype: "float64" });
    throwsTyped(
      () => ts.add(f32, f64),
      DTypeError,
      /^add: dtypes differ \(got float32 and float64\); cast one of them with cast\(\)$/,
    );
    throwsTyped(() => f64.mul(f32), DTypeError, /^mul: dtypes differ \(got float64 and float32\)/);
    throwsTyped(
      () => ts.matmul(ts.zeros([1, 1]), ts.zeros([1, 1], { dtype: "float64" })),
      DTypeError,
      /^matmul: dtypes differ \(got float32 and float64\)/,
    );
    throwsTyped(
      () => ts.concat([f32, f64]),
      DTypeError,
      /^concat: dtypes differ \(got float32 and float64\)$/,
    );
    throwsTyped(
      () => ts.less(ts.zeros([1], { dtype: "int32" }), f32),
      DTypeError,
      /^less: dtypes differ \(got int32 and float32\)/,
    );
  });

  test("unknown dtypes", () => {
    throwsTyped(
      () => ts.tensor([1], { dtype: "float16" as ts.DType }),
      DTypeError,
      /^tensor: unknown dtype "float16" \(expected float32, float64, int32 or bool\)$/,
    );
    throwsTyped(
      () => ts.ones([1], { dtype: "int64" as ts.DType }),
      DTypeError,
      /^ones: unknown dtype "int64"/,
    );
    throwsTyped(
      () => ts.arange(3, undefined, 1, { dtype: "uint8" as ts.DType }),
      DTypeError,
      /^arange: unknown dtype "uint8"/,
    );
    throwsTyped(
      () => ts.cast(ts.zeros([1]), "complex64" as ts.DType),
      DTypeError,
      /^cast: unknown dtype "complex64"$/,
    );
    throwsTyped(
      () => ts.tensor(new Int16Array(2) as unknown as Int32Array),
      DTypeError,
      /^tensor: unsupported typed array Int16Array/,
    );
  });

  test("float-only and numeric-only ops name the dtype they got", () => {
    throwsTyped(
      () => ts.exp(ts.zeros([1], { dtype: "int32" })),
      DTypeError,
      /^exp: expected a floating-point tensor \(got int32\); cast it with cast\(x, "float32"\)$/,
    );
    throwsTyped(
      () => ts.neg(ts.tensor([true])),
      DTypeError,
      /^neg: arithmetic on bool tensors is not supported/,
    );
    throwsTyped(
      () => ts.gather(ts.zeros([2]), ts.tensor([0], { dtype: "bool" })),
      DTypeError,
      /^gather: indices must be int32 \(got bool\)$/,
    );
  });
});

describe("gradient and backend errors", () => {
  test("backward on a non-scalar without an upstream gradient", () => {
    const x = ts.tensor([1, 2, 3], { requiresGrad: true });
    throwsTyped(
      () => ts.square(x).backward(),
      GradError,
      /^backward: a gradient can only be implied for a scalar output \(got shape \[3\]\); pass an upstream gradient$/,
    );
  });

  test("backward with a mismatched upstream gradient, and on a tensor without a graph", () => {
    const x = ts.tensor([1, 2], { requiresGrad: true });
    throwsTyped(
      () => ts.mul(x, 2).backward(ts.zeros([3])),
      ShapeError,
      /^backward: upstream gradient shape \[3\] differs from output shape \[2\]$/,
    );
    throwsTyped(
      () => ts.mul(x, 2).backward(ts.zeros([2], { dtype: "float64" })),
      DTypeError,
      /^backward: upstream gradient dtype float64 differs from output dtype float32$/,
    );
    throwsTyped(
      () => ts.zeros([1]).backward(),
      GradError,
      /^backward: the tensor does not require a gradient/,
    );
  });

  test("selecting an unknown backend", () => {
    throwsTyped(
      () => ts.setBackend("cuda" as ts.BackendName),
      BackendError,
      /^setBackend: backend "cuda" is not available \(registered: reference/,
    );
  });

  test("value errors: item on many elements, bad arange step", () => {
    throwsTyped(
      () => ts.zeros([2]).item(),
      ValueError,
      /^item: expected a tensor with one element \(got shape \[2\]\)$/,
    );
    throwsTyped(() => ts.arange(0, 1, 0), ValueError, /^arange: step must not be zero$/);
  });
});
