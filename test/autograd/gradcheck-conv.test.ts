// Float64 finite-difference gradchecks (reference backend) for the window ops: im2col/col2im,
// conv1d/conv2d (padding, strides, dilation, groups, bias, every activation), depthwise, separable
// and transposed convolutions, and max/average pooling (distinct values, so no ties straddle eps).
import { before, describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { setBackend } from "../../src/index.js";
import { axisWindow, col2im, im2col, makeGeometry } from "../../src/ops/window.js";
import { awayFromZero64, distinct64, gradcheck, uniform64 } from "../helpers/gradcheck.js";

before(() => setBackend("reference"));

describe("gradcheck: im2col and col2im", () => {
  const rows = axisWindow("t", 5, 3, 2, 1, "same");
  const cols = axisWindow("t", 4, 2, 1, 2, "same");
  const g = makeGeometry([2, 5, 4, 3], [3, 2], [2, 1], [1, 2], rows, cols);
  test("im2col (padding, stride, dilation)", () => {
    gradcheck((x) => im2col(x, g), [uniform64([2, 5, 4, 3], -1, 1, 1)]);
  });
  test("col2im (the adjoint, overlapping patches add)", () => {
    const R = g.batch * g.outH * g.outW;
    gradcheck((c) => col2im(c, g), [uniform64([R, g.kernelH * g.kernelW * g.channels], -1, 1, 2)]);
  });
});

describe("gradcheck: convolutions", () => {
  test("conv2d valid, same with strides, dilation", () => {
    const w = uniform64([3, 3, 2, 3], -1, 1, 3);
    gradcheck((x, k) => ts.conv2d(x, k), [uniform64([2, 5, 5, 2], -1, 1, 4), w]);
    gradcheck(
      (x, k) => ts.conv2d(x, k, { strides: 2, padding: "same" }),
      [uniform64([1, 6, 5, 2], -1, 1, 5), w],
    );
    gradcheck(
      (x, k) => ts.conv2d(x, k, { dilationRate: [2, 1], padding: "same" }),
      [uniform64([1, 5, 4, 2], -1, 1, 6), w],
    );
  });

  test("conv2d with bias and each fused activation (ungrouped) or composed one (grouped)", () => {
    const x = awayFromZero64([1, 4, 4, 4], 0.1, 1, 7);
    for (const activation of ["none", "relu", "sigmoid", "tanh"] as const) {
      gradcheck(
        (xx, k, b) => ts.conv2d(xx, k, { padding: "same", bias: b, activation }),
        [x, uniform64([2, 2, 4, 3], -1, 1, 8), uniform64([3], -1, 1, 9)],
      );
      gradcheck(
        (xx, k, b) => ts.conv2d(xx, k, { bias: b, activation }),
        [x, uniform64([2, 3, 2, 4], -1, 1, 10), uniform64([4], -1, 1, 11)],
      );
    }
  });

  test("conv2d 1x1 (the reshape path) and 1x1 with stride", () => {
    const w = uniform64([1, 1, 3, 2], -1, 1, 12);
    gradcheck((x, k) => ts.conv2d(x, k), [uniform64([2, 3, 3, 3], -1, 1, 13), w]);
    gradcheck((x, k) => ts.conv2d(x, k, { strides: 2 }), [uniform64([1, 5, 5, 3], -1, 1, 14), w]);
  });

  test("conv1d valid, same, causal with dilation, groups", () => {
    const x = uniform64([2, 7, 4], -1, 1, 15);
    gradcheck(
      (xx, k) => ts.conv1d(xx, k, { padding: "same", strides: 2 }),
      [x, uniform64([3, 4, 2], -1, 1, 16)],
    );
    gradcheck(
      (xx, k) => ts.conv1d(xx, k, { padding: "causal", dilationRate: 2 }),
      [x, uniform64([3, 4, 2], -1, 1, 17)],
    );
    gradcheck(
      (xx, k, b) => ts.conv1d(xx, k, { bias: b }),
      [x, uniform64([2, 2, 4], -1, 1, 18), uniform64([4], -1, 1, 19)],
    );
  });

  test("depthwiseConv2d and separableConv2d", () => {
    const x = uniform64([1, 5, 5, 3], -1, 1, 20);
    gradcheck(
      (xx, k) => ts.depthwiseConv2d(xx, k, { strides: 2, padding: "same" }),
      [x, uniform64([3, 3, 3, 2], -1, 1, 21)],
    );
    gradcheck(
      (xx, dw, pw, b) => ts.separableConv2d(xx, dw, pw, { padding: "same", bias: b, activation: "tanh" }),
      [x, uniform64([2, 2, 3, 1], -1, 1, 22), uniform64([1, 1, 3, 2], -1, 1, 23), uniform64([2], -1, 1, 24)],
    );
  });

  test("conv2dTranspose valid, same, outputPadding, dilation, bias", () => {
    const x = uniform64([1, 3, 3, 2], -1, 1, 25);
    const w = uniform64([3, 3, 2, 2], -1, 1, 26);
    gradcheck((xx, k) => ts.conv2dTranspose(xx, k, { strides: 2 }), [x, w]);
    gradcheck(
      (xx, k) => ts.conv2dTranspose(xx, k, { strides: 2, padding: "same", outputPadding: 0 }),
      [x, w],
    );
    gradcheck(
      (xx, k, b) => ts.conv2dTranspose(xx, k, { dilationRate: 2, bias: b, activation: "sigmoid" }),
      [x, w, uniform64([2], -1, 1, 27)],
    );
  });
});

describe("gradcheck: pooling", () => {
  test("maxPool2d valid, same, overlapping windows", () => {
    const x = distinct64([2, 5, 5, 2], 28);
    gradcheck((xx) => ts.maxPool2d(xx, 2), [x]);
    gradcheck((xx) => ts.maxPool2d(xx, 3, { strides: 2, padding: "same" }), [x]);
    gradcheck((xx) => ts.maxPool2d(xx, [2, 3], { strides: 1 }), [x]);
  });

  test("avgPool2d valid, same (padding not counted), overlapping windows", () => {
    const x = uniform64([2, 5, 5, 2], -1, 1, 29);
    gradcheck((xx) => ts.avgPool2d(xx, 2), [x]);
    gradcheck((xx) => ts.avgPool2d(xx, 3, { strides: 2, padding: "same" }), [x]);
    gradcheck((xx) => ts.avgPool2d(xx, [2, 3], { strides: 1 }), [x]);
  });

  test("maxPool1d and avgPool1d", () => {
    gradcheck((xx) => ts.maxPool1d(xx, 3, { strides: 2, padding: "same" }), [distinct64([2, 7, 3], 30)]);
    gradcheck((xx) => ts.avgPool1d(xx, 2, { padding: "same" }), [uniform64([2, 7, 3], -1, 1, 31)]);
  });
});
