// The fused softmax crossentropy ops (ops/crossentropy): values against hand-computed
// log-sum-exp forms and against the composed logSoftmax path, on every backend, both dtypes,
// leading axes, extreme logits; float64 gradchecks of both gradient rules (dense: logits and
// targets); the argument checks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { softmaxCrossentropy, sparseSoftmaxCrossentropy } from "../../src/ops/crossentropy.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

const int32 = (v: number[] | number[][]) => ts.tensor(v, { dtype: "int32" });

/** -log softmax(z)[k] for one row, in double: log(sum exp(z - max)) + max - z[k]. */
function rowLoss(z: number[], k: number): number {
  const m = Math.max(...z);
  return Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) + m - z[k]!;
}

forEachBackend("fused softmax crossentropy values", () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`${dtype}: sparse and dense against the log-sum-exp form`, () => {
      const rows = [
        [2, 0, -1],
        [0.5, 0.5, 0.5],
        [-3, 4, 1],
      ];
      const labels = [0, 2, 1];
      const z = ts.tensor(rows, { dtype });
      const want = rows.map((r, i) => rowLoss(r, labels[i]!));
      const tol = { tol: dtype === "float32" ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-14, rtol: 1e-14 } };
      assertClose(sparseSoftmaxCrossentropy(z, int32(labels)), want, tol);
      const oneHot = ts.oneHot(int32(labels), 3, { dtype });
      assertClose(softmaxCrossentropy(z, oneHot), want, tol);
      // soft targets that do not sum to 1: -sum t log p
      const softRows = [
        [0.25, 0.5, 0.125],
        [1, 0, 1],
        [0, 0, 0],
      ];
      const soft = ts.tensor(softRows, { dtype });
      const softWant = rows.map((r, i) => softRows[i]!.reduce((a, t, k) => a + t * rowLoss(r, k), 0));
      assertClose(softmaxCrossentropy(z, soft), softWant, tol);
    });
  }

  test("leading axes, extreme logits and the composed path agree (values and gradients)", () => {
    const z = ts.mul(ts.randn([2, 5, 7], { dtype: "float64", generator: new ts.Generator(3) }), 30);
    const labels = ts.randint(0, 7, [2, 5], { dtype: "int32", generator: new ts.Generator(4) });
    const t = ts.oneHot(labels, 7, { dtype: "float64" });
    const composed = (x: ts.Tensor) => ts.neg(ts.sum(ts.mul(t, ts.logSoftmax(x, -1)), -1));
    const g = ts.randn([2, 5], { dtype: "float64", generator: new ts.Generator(5) });
    const run = (f: (x: ts.Tensor) => ts.Tensor) => {
      const x = ts.clone(z);
      x.requiresGrad = true;
      const y = f(x);
      ts.backward(y, g);
      return [y, x.grad!] as const;
    };
    const [want, wantGrad] = run(composed);
    for (const f of [
      (x: ts.Tensor) => sparseSoftmaxCrossentropy(x, labels),
      (x: ts.Tensor) => softmaxCrossentropy(x, t),
    ]) {
      const [got, gotGrad] = run(f);
      assertClose(got, want, { tol: { atol: 1e-12, rtol: 1e-12 } });
      assertClose(gotGrad, wantGrad, { tol: { atol: 1e-12, rtol: 1e-12 } });
    }
  });
});

describe("fused softmax crossentropy gradchecks (float64)", () => {
  test("sparse: logits of odd sizes with leading axes", () => {
    const labels = int32([
      [0, 4, 2],
      [1, 1, 3],
    ]);
    gradcheck((z) => sparseSoftmaxCrossentropy(z, labels), [uniform64([2, 3, 5], -3, 3, 81)]);
  });
  test("dense: logits and soft targets together", () => {
    gradcheck(
      (z, t) => softmaxCrossentropy(z, t),
      [uniform64([4, 5], -3, 3, 82), uniform64([4, 5], 0, 1, 83)],
    );
    gradcheck(
      (z) => softmaxCrossentropy(z, ts.tensor([0.1, 0.7, 0.2], { dtype: "float64" })),
      [uniform64([3], -2, 2, 84)],
    );
  });
});

describe("fused softmax crossentropy argument checks", () => {
  test("labels: int32, the batch shape, in range", () => {
    const z = ts.zeros([2, 3]);
    assert.throws(() => sparseSoftmaxCrossentropy(z, ts.tensor([0, 1])), {
      name: "DTypeError",
      message: /^sparseSoftmaxCrossentropy: labels must be int32 \(got float32\)/,
    });
    assert.throws(() => sparseSoftmaxCrossentropy(z, int32([0, 1, 2])), {
      name: "ShapeError",
      message: /labels must have shape \[2\] for logits of shape \[2,3\] \(got \[3\]\)/,
    });
    assert.throws(() => sparseSoftmaxCrossentropy(z, int32([0, 3])), {
      name: "IndexError",
      message: /label 3 is out of range for 3 classes/,
    });
    assert.throws(() => sparseSoftmaxCrossentropy(z, int32([-1, 0])), /label -1 is out of range/);
  });
  test("targets: logits' shape and dtype; logits float with a class axis", () => {
    const z = ts.zeros([2, 3]);
    assert.throws(() => softmaxCrossentropy(z, ts.zeros([2, 4])), { name: "ShapeError" });
    assert.throws(() => softmaxCrossentropy(z, ts.zeros([2, 3], { dtype: "float64" })), {
      name: "DTypeError",
    });
    assert.throws(() => softmaxCrossentropy(ts.tensor(1), ts.tensor(1)), /logits need a class axis/);
    assert.throws(() => sparseSoftmaxCrossentropy(int32([[1, 2]]), int32([0])), { name: "DTypeError" });
  });
});
