// Second-order float64 gradchecks (reference backend) for convolutions and pooling: the fused
// conv2d / depthwise kernels, grouped and 1-D convolutions, conv2dTranspose and max / average
// pooling, whose raw-kernel rules a createGraph pass replaces by their im2col-based composed form.

import * as ts from "../../src/index.js";
import { distinct64, type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const u = (shape: number[], seed: number, low = -1, high = 1) => uniform64(shape, low, high, seed);

const cases: SecondOrderCase[] = [
  [
    "conv2d (same, bias, tanh)",
    (x, w, b) => ts.conv2d(x, w, { padding: "same", bias: b, activation: "tanh" }),
    [u([1, 4, 4, 2], 1), u([3, 3, 2, 2], 2), u([2], 3)],
  ],
  [
    "conv2d (valid, strides 2, dilation)",
    (x, w) => ts.square(ts.conv2d(x, w, { strides: [2, 1], dilationRate: [1, 2] })),
    [u([1, 5, 5, 1], 1), u([2, 2, 1, 2], 2)],
  ],
  ["conv2d (1x1)", (x, w) => ts.square(ts.conv2d(x, w)), [u([1, 2, 2, 3], 1), u([1, 1, 3, 2], 2)]],
  [
    "conv2d (2 groups)",
    (x, w) => ts.square(ts.conv2d(x, w, { padding: "same" })),
    [u([1, 3, 3, 4], 1), u([2, 2, 2, 2], 2)],
  ],
  [
    "depthwiseConv2d (multiplier 2, sigmoid)",
    (x, w) => ts.depthwiseConv2d(x, w, { padding: "same", activation: "sigmoid" }),
    [u([1, 3, 3, 2], 1, -2, 2), u([2, 2, 2, 2], 2)],
  ],
  [
    "separableConv2d",
    (x, d, p) => ts.square(ts.separableConv2d(x, d, p)),
    [u([1, 3, 3, 2], 1), u([2, 2, 2, 1], 2), u([1, 1, 2, 2], 3)],
  ],
  [
    "conv1d (causal, relu)",
    (x, w) => ts.square(ts.conv1d(x, w, { padding: "causal", activation: "relu" })),
    [u([1, 5, 2], 1), u([3, 2, 2], 2)],
  ],
  [
    "conv2dTranspose (strides 2, same)",
    (x, w) => ts.square(ts.conv2dTranspose(x, w, { strides: 2, padding: "same" })),
    [u([1, 2, 2, 2], 1), u([3, 3, 1, 2], 2)],
  ],
  [
    "conv2dTranspose (valid, outputPadding, bias)",
    (x, w, b) => ts.square(ts.conv2dTranspose(x, w, { strides: 2, outputPadding: 1, bias: b })),
    [u([1, 2, 2, 1], 1), u([2, 2, 2, 1], 2), u([2], 3)],
  ],
  [
    "maxPool2d (same)",
    (x) => ts.square(ts.maxPool2d(x, 2, { padding: "same" })),
    [distinct64([1, 3, 3, 2], 1, 0.21)],
  ],
  [
    "maxPool2d (strides 1)",
    (x) => ts.square(ts.maxPool2d(x, 2, { strides: 1 })),
    [distinct64([1, 3, 3, 1], 2, 0.21)],
  ],
  ["avgPool2d (same)", (x) => ts.square(ts.avgPool2d(x, [2, 3], { padding: "same" })), [u([1, 3, 4, 2], 1)]],
  [
    "maxPool1d / avgPool1d",
    (x) => ts.mul(ts.maxPool1d(x, 2), ts.avgPool1d(x, 2)),
    [distinct64([1, 4, 2], 3, 0.21)],
  ],
];

secondOrderSuite("convolution and pooling", cases);
