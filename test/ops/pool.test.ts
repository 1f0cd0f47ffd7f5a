// Value tests for maxPool1d/2d and avgPool1d/2d: hand-computed windows, "same" padding that is
// never counted, direct-loop references over pool sizes and strides, tie and NaN rules, and the
// gradients' routing (max: to the first maximum; average: spread over inside taps), on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { directPool2d } from "../helpers/conv-reference.js";
import { uniform64 } from "../helpers/gradcheck.js";

const TOL = { atol: 1e-12, rtol: 1e-10 };

forEachBackend("pooling values", () => {
  test("hand-computed 2x2 max and average on a 4x4 ramp", () => {
    const x = ts.reshape(ts.arange(16), [1, 4, 4, 1]);
    assertClose(
      ts.reshape(ts.maxPool2d(x, 2), [2, 2]),
      [
        [5, 7],
        [13, 15],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.reshape(ts.avgPool2d(x, 2), [2, 2]),
      [
        [2.5, 4.5],
        [10.5, 12.5],
      ],
      { tol: EXACT },
    );
    // 3x3 windows with stride 1: maxima are the bottom-right taps
    assertClose(
      ts.reshape(ts.maxPool2d(x, 3, { strides: 1 }), [2, 2]),
      [
        [10, 11],
        [14, 15],
      ],
      { tol: EXACT },
    );
  });

  test('"same" padding is never counted (TensorFlow semantics)', () => {
    const x = ts.reshape(ts.arange(1, 10), [1, 3, 3, 1]);
    // out 2x2; total pad (2-1)*2 + 2 - 3 = 1, all after: windows [0:2] and [2:3] per axis
    assertClose(
      ts.reshape(ts.avgPool2d(x, 2, { padding: "same" }), [2, 2]),
      [
        [3, 4.5],
        [7.5, 9],
      ],
      { tol: EXACT },
    );
    const neg = ts.neg(x);
    // all values negative: padding must not contribute zeros to the max
    assertClose(
      ts.reshape(ts.maxPool2d(neg, 2, { padding: "same" }), [2, 2]),
      [
        [-1, -3],
        [-7, -9],
      ],
      { tol: EXACT },
    );
  });

  for (const [pool, strides, padding, pads, out] of [
    [[2, 2], [2, 2], "valid", [0, 0], [2, 3]],
    [[3, 2], [1, 2], "valid", [0, 0], [3, 3]],
    [[3, 3], [2, 2], "same", [1, 1], [3, 4]], // H 5: out 3, total 2 -> 1; W 7: out 4, total 2 -> 1
    [[2, 3], [1, 1], "same", [0, 1], [5, 7]], // total 1 -> 0 before; total 2 -> 1 before
  ] as const) {
    test(`matches the direct loops: pool [${pool}] strides [${strides}] ${padding}`, () => {
      const x = uniform64([2, 5, 7, 3], -1, 1, 1);
      for (const kind of ["max", "avg"] as const) {
        const f = kind === "max" ? ts.maxPool2d : ts.avgPool2d;
        const y = f(x, pool, { strides, padding });
        assert.deepEqual([...y.shape], [2, ...out, 3]);
        assertClose(ts.reshape(y, [-1]), directPool2d(kind, x.data, [2, 5, 7, 3], pool, strides, pads, out), {
          tol: TOL,
          message: kind,
        });
      }
    });
  }

  test("1-D pooling along the steps axis", () => {
    const x = ts.tensor(
      [
        [
          [1, -1],
          [3, -3],
          [2, -2],
          [5, -5],
          [4, -4],
        ],
      ],
      { dtype: "float64" },
    );
    assertClose(
      ts.maxPool1d(x, 2),
      [
        [
          [3, -1],
          [5, -2],
        ],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.avgPool1d(x, 2, { padding: "same" }),
      [
        [
          [2, -2],
          [3.5, -3.5],
          [4, -4],
        ],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.maxPool1d(x, 3, { strides: 1 }),
      [
        [
          [3, -1],
          [5, -2],
          [5, -2],
        ],
      ],
      { tol: EXACT },
    );
  });

  test("2x2 max pooling of odd sizes with ties: values and gradient equal the reference backend's", () => {
    // rounded values tie often; 11x9 leaves a row and a column no window covers (gradient 0 there)
    const data = uniform64([3, 11, 9, 5], -2, 2, 21).data.map(Math.round);
    const run = () => {
      const x = ts.tensor(data, { shape: [3, 11, 9, 5], dtype: "float32" });
      x.requiresGrad = true;
      const y = ts.maxPool2d(x, 2);
      ts.backward(ts.sum(ts.mul(y, ts.reshape(ts.arange(y.size), y.shape))));
      return { y: [...y.data], dx: [...x.grad!.data] };
    };
    const got = run();
    const want = withBackend("reference", run);
    assert.deepEqual(got.y, want.y);
    assert.deepEqual(got.dx, want.dx);
    assert.ok(
      got.dx.slice(-9 * 5).every((v) => v === 0),
      "the uncovered last row gets no gradient",
    );
  });

  test("max pooling: the first maximum takes the gradient on ties; NaN propagates", () => {
    const x = ts.tensor([2, 2, 1, 2], { shape: [1, 2, 2, 1], dtype: "float64" });
    x.requiresGrad = true;
    ts.backward(ts.sum(ts.mul(ts.maxPool2d(x, 2), 3)));
    assert.deepEqual([...x.grad!.data], [3, 0, 0, 0]);
    const withNaN = ts.tensor([1, Number.NaN, 5, 2], { shape: [1, 2, 2, 1] });
    assert.ok(Number.isNaN(ts.maxPool2d(withNaN, 2).data[0]!));
  });

  test("average pooling gradient: dy / (inside taps) to each tap; overlapping windows add", () => {
    const x = ts.zeros([1, 3, 3, 1], { dtype: "float64" });
    x.requiresGrad = true;
    ts.backward(ts.sum(ts.avgPool2d(x, 2, { strides: 1 })));
    // four 2x2 windows with weight 1/4 each: taps covered by 1, 2 or 4 windows
    assertClose(
      ts.reshape(x.grad!, [3, 3]),
      [
        [0.25, 0.5, 0.25],
        [0.5, 1, 0.5],
        [0.25, 0.5, 0.25],
      ],
      { tol: EXACT },
    );
    const y = ts.zeros([1, 3, 3, 1], { dtype: "float64" });
    y.requiresGrad = true;
    ts.backward(ts.sum(ts.avgPool2d(y, 2, { padding: "same" })));
    // windows of 4, 2, 2 and 1 inside taps: each tap receives 1 / its window's count
    assertClose(
      ts.reshape(y.grad!, [3, 3]),
      [
        [0.25, 0.25, 0.5],
        [0.25, 0.25, 0.5],
        [0.5, 0.5, 1],
      ],
      { tol: EXACT },
    );
  });

  test("rejects bad inputs", () => {
    assert.throws(() => ts.maxPool2d(ts.zeros([4, 4, 1]), 2), /expected x of rank 4/);
    assert.throws(() => ts.maxPool2d(ts.zeros([1, 1, 4, 1]), 2), /input size 1 is smaller than the window/);
    assert.throws(() => ts.avgPool2d(ts.zeros([1, 4, 4, 1]), 0), /poolSize must be a positive integer/);
    assert.throws(
      () => ts.maxPool1d(ts.zeros([1, 4, 1]), 2, { padding: "causal" as "same" }),
      /padding must be "valid" or "same"/,
    );
    assert.throws(() => ts.maxPool2d(ts.zeros([1, 4, 4, 1], { dtype: "int32" }), 2), ts.DTypeError);
  });
});
