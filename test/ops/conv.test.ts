// Value tests for conv2d, conv1d (with causal padding), depthwiseConv2d and separableConv2d: small
// hand-computed cases, and direct-loop references (test/helpers/conv-reference) over strides,
// "same"/"valid" padding with hand-derived pad amounts, dilation and groups, on every backend.
// conv2dTranspose has its own file.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { directConv2d } from "../helpers/conv-reference.js";
import { uniform64 } from "../helpers/gradcheck.js";

type Quad = [number, number, number, number];
const CONV_TOL = { atol: 1e-12, rtol: 1e-10 };

interface Case {
  name: string;
  x: Quad;
  w: Quad;
  strides: [number, number];
  dilation: [number, number];
  padding: "valid" | "same";
  // hand-derived: "same" pads max((out - 1) * s + span - size, 0) in total, the smaller half first
  pads: [number, number];
  out: [number, number];
}

const CASES: Case[] = [
  {
    name: "3x3 valid",
    x: [2, 5, 5, 3],
    w: [3, 3, 3, 4],
    strides: [1, 1],
    dilation: [1, 1],
    padding: "valid",
    pads: [0, 0],
    out: [3, 3],
  },
  // H: out 3, total 2*2+3-5 = 2 -> top 1; W: out 3, total 2*2+3-6 = 1 -> left 0
  {
    name: "3x3 same stride 2",
    x: [1, 5, 6, 2],
    w: [3, 3, 2, 3],
    strides: [2, 2],
    dilation: [1, 1],
    padding: "same",
    pads: [1, 0],
    out: [3, 3],
  },
  // span 5, out 7, total 4 -> 2
  {
    name: "3x3 same dilation 2",
    x: [1, 7, 7, 2],
    w: [3, 3, 2, 2],
    strides: [1, 1],
    dilation: [2, 2],
    padding: "same",
    pads: [2, 2],
    out: [7, 7],
  },
  // even kernel: total 3 -> top/left 1, bottom/right 2
  {
    name: "4x4 same (asymmetric padding)",
    x: [1, 4, 4, 1],
    w: [4, 4, 1, 2],
    strides: [1, 1],
    dilation: [1, 1],
    padding: "same",
    pads: [1, 1],
    out: [4, 4],
  },
  {
    name: "2 groups",
    x: [2, 4, 5, 4],
    w: [2, 3, 2, 6],
    strides: [1, 1],
    dilation: [1, 1],
    padding: "valid",
    pads: [0, 0],
    out: [3, 3],
  },
  // spans (2, 5): H floor((6-2)/2)+1 = 3, W floor((7-5)/1)+1 = 3
  {
    name: "strides (2,1) with dilation (1,2)",
    x: [1, 6, 7, 2],
    w: [2, 3, 2, 2],
    strides: [2, 1],
    dilation: [1, 2],
    padding: "valid",
    pads: [0, 0],
    out: [3, 3],
  },
  {
    name: "1x1 (no im2col)",
    x: [2, 3, 3, 4],
    w: [1, 1, 4, 5],
    strides: [1, 1],
    dilation: [1, 1],
    padding: "valid",
    pads: [0, 0],
    out: [3, 3],
  },
  {
    name: "1x1 stride 2",
    x: [1, 5, 5, 2],
    w: [1, 1, 2, 3],
    strides: [2, 2],
    dilation: [1, 1],
    padding: "valid",
    pads: [0, 0],
    out: [3, 3],
  },
  {
    name: "3 groups of 1 channel, same",
    x: [1, 4, 4, 3],
    w: [3, 3, 1, 6],
    strides: [1, 1],
    dilation: [1, 1],
    padding: "same",
    pads: [1, 1],
    out: [4, 4],
  },
];

forEachBackend("conv2d values", () => {
  test("hand-computed 2x2 kernel, valid and same", () => {
    const x = ts.reshape(ts.arange(1, 10), [1, 3, 3, 1]);
    // [[1, 0], [0, -1]]: out = x[i, j] - x[i + 1, j + 1] = -4 everywhere
    const w = ts.reshape(ts.tensor([1, 0, 0, -1]), [2, 2, 1, 1]);
    assertClose(
      ts.conv2d(x, w),
      [
        [
          [[-4], [-4]],
          [[-4], [-4]],
        ],
      ],
      { tol: EXACT },
    );
    // 3x3 ones with "same" padding: each output sums the 3x3 neighbourhood inside the image
    const ones = ts.ones([3, 3, 1, 1]);
    const y = ts.conv2d(x, ones, { padding: "same" });
    assertClose(
      ts.reshape(y, [3, 3]),
      [
        [12, 21, 16],
        [27, 45, 33],
        [24, 39, 28],
      ],
      { tol: EXACT },
    );
  });

  for (const c of CASES) {
    test(`matches the direct loops: ${c.name}`, () => {
      for (const dtype of ["float64", "float32"] as const) {
        const x = ts.cast(uniform64(c.x, -1, 1, 1), dtype);
        const w = ts.cast(uniform64(c.w, -1, 1, 2), dtype);
        const y = ts.conv2d(x, w, { strides: c.strides, dilationRate: c.dilation, padding: c.padding });
        const expected = directConv2d({
          x: x.data,
          xShape: c.x,
          w: w.data,
          wShape: c.w,
          strides: c.strides,
          dilation: c.dilation,
          pads: c.pads,
          out: c.out,
        });
        assert.deepEqual([...y.shape], [c.x[0], ...c.out, c.w[3]]);
        assertClose(ts.reshape(y, [-1]), expected, {
          tol: dtype === "float64" ? CONV_TOL : { atol: 1e-5, rtol: 1e-5 },
        });
      }
    });
  }

  test("bias and the fused or composed activations", () => {
    const x = uniform64([2, 4, 4, 4], -1, 1, 3);
    const b = uniform64([4], -1, 1, 4);
    for (const [wShape, name] of [
      [[3, 3, 4, 4], "ungrouped"],
      [[3, 3, 2, 4], "2 groups"],
    ] as const) {
      const w = uniform64(wShape, -1, 1, 5);
      const plain = directConv2d({
        x: x.data,
        xShape: [2, 4, 4, 4],
        w: w.data,
        wShape,
        strides: [1, 1],
        dilation: [1, 1],
        pads: [1, 1],
        out: [4, 4],
      });
      const withBias = plain.map((v, i) => v + b.data[i % 4]!);
      for (const activation of ["none", "relu", "sigmoid", "tanh"] as const) {
        const f = {
          none: (v: number) => v,
          relu: (v: number) => Math.max(v, 0),
          sigmoid: (v: number) => 1 / (1 + Math.exp(-v)),
          tanh: Math.tanh,
        }[activation];
        const y = ts.conv2d(x, w, { padding: "same", bias: b, activation });
        assertClose(ts.reshape(y, [-1]), withBias.map(f), {
          tol: CONV_TOL,
          message: `${name} ${activation}`,
        });
      }
    }
  });

  test("depthwise: channel c convolved with kernel[:, :, c, m] into output c * M + m", () => {
    // two channels, multiplier 2: kernels (ones, -ones) on channel 0 and (2 * ones, identity tap) on 1
    const x = ts.tensor([1, 10, 2, 20, 3, 30, 4, 40], { shape: [1, 2, 2, 2] });
    const w = ts.zeros([2, 2, 2, 2]);
    const k = w.data;
    for (let t = 0; t < 4; t++) {
      k[t * 4 + 0] = 1; // (tap t, c 0, m 0)
      k[t * 4 + 1] = -1; // (tap t, c 0, m 1)
      k[t * 4 + 2] = 2; // (tap t, c 1, m 0)
    }
    k[0 * 4 + 3] = 1; // c 1, m 1: only the top-left tap
    assertClose(ts.depthwiseConv2d(x, w), [[[[10, -10, 200, 10]]]], { tol: EXACT });
    const xs = uniform64([2, 5, 5, 3], -1, 1, 6);
    const ws = uniform64([3, 3, 3, 2], -1, 1, 7);
    const y = ts.depthwiseConv2d(xs, ws, { strides: 2, padding: "same" });
    // as a grouped convolution with kernel (3, 3, 1, 6): same memory order
    const expected = directConv2d({
      x: xs.data,
      xShape: [2, 5, 5, 3],
      w: ws.data,
      wShape: [3, 3, 1, 6],
      strides: [2, 2],
      dilation: [1, 1],
      pads: [1, 1],
      out: [3, 3],
    });
    assertClose(ts.reshape(y, [-1]), expected, { tol: CONV_TOL });
  });

  test("separableConv2d is depthwise then 1x1, bias and activation last", () => {
    const x = uniform64([1, 5, 5, 2], -1, 1, 8);
    const dw = uniform64([3, 3, 2, 2], -1, 1, 9);
    const pw = uniform64([1, 1, 4, 3], -1, 1, 10);
    const b = uniform64([3], -1, 1, 11);
    const y = ts.separableConv2d(x, dw, pw, { padding: "same", bias: b, activation: "relu" });
    const mid = directConv2d({
      x: x.data,
      xShape: [1, 5, 5, 2],
      w: dw.data,
      wShape: [3, 3, 1, 4],
      strides: [1, 1],
      dilation: [1, 1],
      pads: [1, 1],
      out: [5, 5],
    });
    const out = directConv2d({
      x: mid,
      xShape: [1, 5, 5, 4],
      w: pw.data,
      wShape: [1, 1, 4, 3],
      strides: [1, 1],
      dilation: [1, 1],
      pads: [0, 0],
      out: [5, 5],
    });
    assertClose(
      ts.reshape(y, [-1]),
      out.map((v, i) => Math.max(v + b.data[i % 3]!, 0)),
      { tol: CONV_TOL },
    );
    assert.throws(
      () => ts.separableConv2d(x, dw, uniform64([1, 1, 2, 3], -1, 1, 1)),
      /pointwise kernel of shape \[1,1,4,F\]/,
    );
  });

  test("rejects bad shapes, dtypes and options", () => {
    const x = ts.zeros([1, 4, 4, 3]);
    assert.throws(
      () => ts.conv2d(x, ts.zeros([3, 3, 2, 4])),
      /input channels 3 are not a multiple of the kernel's input channels 2/,
    );
    assert.throws(
      () => ts.conv2d(ts.zeros([1, 4, 4, 4]), ts.zeros([3, 3, 2, 3])),
      /filters 3 are not a multiple of the 2 groups/,
    );
    assert.throws(() => ts.conv2d(x, ts.zeros([5, 5, 3, 1])), /input size 4 is smaller than the window/);
    assert.throws(
      () => ts.conv2d(x, ts.zeros([3, 3, 3, 1]), { padding: "causal" }),
      /only defined for conv1d/,
    );
    assert.throws(() => ts.conv2d(x, ts.zeros([3, 3, 3, 1], { dtype: "float64" })), ts.DTypeError);
    assert.throws(() => ts.conv2d(ts.zeros([4, 4, 3]), ts.zeros([3, 3, 3, 1])), /expected x of rank 4/);
    assert.throws(
      () => ts.conv2d(x, ts.zeros([3, 3, 3, 1]), { strides: [1, 0] }),
      /strides must be a positive integer or a list of 2/,
    );
    assert.throws(
      () => ts.conv2d(x, ts.zeros([3, 3, 3, 2]), { bias: ts.zeros([3]) }),
      /bias must have shape \[2\]/,
    );
    assert.throws(
      () => ts.depthwiseConv2d(x, ts.zeros([3, 3, 2, 1])),
      /kernel channels 2 differ from input channels 3/,
    );
  });
});

forEachBackend("conv1d values", () => {
  test("matches the direct loops (valid, same, strides, dilation, groups)", () => {
    const x = uniform64([2, 9, 4], -1, 1, 12);
    for (const [w, opts, pad, out] of [
      [[3, 4, 5], { padding: "valid" }, 0, 7],
      [[3, 4, 5], { padding: "same", strides: 2 }, 1, 5], // out 5, total 4*2+3-9 = 2
      [[2, 2, 4], { padding: "valid", dilationRate: 3 }, 0, 6], // span 4
      [[4, 4, 2], { padding: "same" }, 1, 9], // total 3: 1 before, 2 after
    ] as const) {
      const k = uniform64(w, -1, 1, 13);
      const y = ts.conv1d(x, k, opts);
      const s = "strides" in opts ? opts.strides : 1;
      const d = "dilationRate" in opts ? opts.dilationRate : 1;
      const expected = directConv2d({
        x: x.data,
        xShape: [2, 1, 9, 4],
        w: k.data,
        wShape: [1, ...w],
        strides: [1, s],
        dilation: [1, d],
        pads: [0, pad],
        out: [1, out],
      });
      assert.deepEqual([...y.shape], [2, out, w[2]]);
      assertClose(ts.reshape(y, [-1]), expected, { tol: CONV_TOL });
    }
  });

  test('"causal" pads the start only: output t sees inputs up to t', () => {
    const x = uniform64([1, 6, 2], -1, 1, 14);
    const w = uniform64([3, 2, 3], -1, 1, 15);
    const y = ts.conv1d(x, w, { padding: "causal", dilationRate: 2 });
    // span 5: pad 4 before, none after, output length 6
    const expected = directConv2d({
      x: x.data,
      xShape: [1, 1, 6, 2],
      w: w.data,
      wShape: [1, 3, 2, 3],
      strides: [1, 1],
      dilation: [1, 2],
      pads: [0, 4],
      out: [1, 6],
    });
    assertClose(ts.reshape(y, [-1]), expected, { tol: CONV_TOL });
    const changed = ts.clone(x);
    changed.data[3 * 2] = 100; // time step 3, channel 0
    const y2 = ts.conv1d(changed, w, { padding: "causal", dilationRate: 2 });
    for (let i = 0; i < 3 * 3; i++)
      assert.equal(y2.data[i], y.data[i], `output ${i} (before step 3) unchanged`);
    assert.notEqual(y2.data[3 * 3], y.data[3 * 3]);
  });
});
