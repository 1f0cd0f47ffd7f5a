// Value tests for conv2dTranspose: a hand-computed stride-2 upsampling, scatter-loop references
// (test/helpers/conv-reference) over Keras's output lengths with and without outputPadding, the
// adjoint identity with conv2d, bias/activation and errors, on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { directConv2dTranspose } from "../helpers/conv-reference.js";
import { uniform64 } from "../helpers/gradcheck.js";

const CONV_TOL = { atol: 1e-12, rtol: 1e-10 };

forEachBackend("conv2dTranspose values", () => {
  test("hand-computed: a 2x2 ones kernel with stride 2 copies each pixel into a 2x2 block", () => {
    const x = ts.tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    const y = ts.conv2dTranspose(x, ts.ones([2, 2, 1, 1]), { strides: 2 });
    assertClose(
      ts.reshape(y, [4, 4]),
      [
        [1, 1, 2, 2],
        [1, 1, 2, 2],
        [3, 3, 4, 4],
        [3, 3, 4, 4],
      ],
      { tol: EXACT },
    );
  });

  const cases = [
    // Keras lengths: valid size*s + max(span - s, 0); same size*s; with outputPadding (size-1)*s + span - 2*(span//2) + op
    {
      name: "3x3 valid stride 2",
      x: [1, 3, 3, 2],
      w: [3, 3, 4, 2],
      s: 2,
      d: 1,
      padding: "valid",
      op: null,
      out: 7,
      pad: 0,
    },
    {
      name: "3x3 same stride 2",
      x: [2, 3, 3, 2],
      w: [3, 3, 2, 2],
      s: 2,
      d: 1,
      padding: "same",
      op: null,
      out: 6,
      pad: 0,
    },
    {
      name: "4x4 same stride 2",
      x: [1, 3, 3, 1],
      w: [4, 4, 2, 1],
      s: 2,
      d: 1,
      padding: "same",
      op: null,
      out: 6,
      pad: 1,
    },
    {
      name: "2x2 valid dilation 2",
      x: [1, 3, 3, 2],
      w: [2, 2, 3, 2],
      s: 1,
      d: 2,
      padding: "valid",
      op: null,
      out: 5,
      pad: 0,
    },
    {
      name: "3x3 same stride 2 outputPadding 0",
      x: [1, 3, 3, 1],
      w: [3, 3, 1, 1],
      s: 2,
      d: 1,
      padding: "same",
      op: 0,
      out: 5,
      pad: 1,
    },
    {
      name: "3x3 valid stride 3 outputPadding 2",
      x: [1, 2, 2, 1],
      w: [3, 3, 2, 1],
      s: 3,
      d: 1,
      padding: "valid",
      op: 2,
      out: 8,
      pad: 0,
    },
  ] as const;
  for (const c of cases) {
    test(`matches the scatter loops: ${c.name}`, () => {
      const x = uniform64(c.x, -1, 1, 16);
      const w = uniform64(c.w, -1, 1, 17);
      const y = ts.conv2dTranspose(x, w, {
        strides: c.s,
        dilationRate: c.d,
        padding: c.padding,
        outputPadding: c.op,
      });
      assert.deepEqual([...y.shape], [c.x[0], c.out, c.out, c.w[2]]);
      const expected = directConv2dTranspose(
        x.data,
        c.x,
        w.data,
        c.w,
        [c.s, c.s],
        [c.d, c.d],
        [c.pad, c.pad],
        [c.out, c.out],
      );
      assertClose(ts.reshape(y, [-1]), expected, { tol: CONV_TOL });
    });
  }

  test("is the adjoint of conv2d: <conv2d(u, W), v> = <u, conv2dTranspose(v, W)>", () => {
    const w = uniform64([3, 3, 2, 3], -1, 1, 18); // conv2d: 2 -> 3 channels; transpose: 3 -> 2
    const u = uniform64([1, 8, 8, 2], -1, 1, 19);
    const v = uniform64([1, 4, 4, 3], -1, 1, 20);
    const lhs = ts.sum(ts.mul(ts.conv2d(u, w, { strides: 2, padding: "same" }), v)).item();
    const rhs = ts.sum(ts.mul(u, ts.conv2dTranspose(v, w, { strides: 2, padding: "same" }))).item();
    assert.ok(Math.abs(lhs - rhs) < 1e-10, `${lhs} vs ${rhs}`);
  });

  test("bias, activation and errors", () => {
    const x = uniform64([1, 2, 2, 1], -1, 1, 21);
    const w = uniform64([2, 2, 2, 1], -1, 1, 22);
    const b = ts.tensor([0.5, -0.5], { dtype: "float64" });
    const plain = ts.conv2dTranspose(x, w, { strides: 2 });
    const y = ts.conv2dTranspose(x, w, { strides: 2, bias: b, activation: "tanh" });
    assertClose(
      ts.reshape(y, [-1]),
      Array.from(plain.data, (v, i) => Math.tanh(v + b.data[i % 2]!)),
      { tol: CONV_TOL },
    );
    assert.throws(
      () => ts.conv2dTranspose(x, w, { strides: 2, outputPadding: 2 }),
      /outputPadding must be non-negative integers smaller than the strides/,
    );
    assert.throws(
      () => ts.conv2dTranspose(x, uniform64([2, 2, 2, 3], -1, 1, 1)),
      /expected a kernel of shape \(KH, KW, F, 1\)/,
    );
  });
});
