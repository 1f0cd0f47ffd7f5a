// Second-order float64 gradchecks (reference backend) for the linear-algebra and fused ops: matmul,
// linear with each epilogue, layerNorm / rmsNorm, the softmax cross-entropies and attention. The
// fused ones have raw-kernel gradient rules; a createGraph pass differentiates their composed form.

import * as ts from "../../src/index.js";
import { awayFromZero64, type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const u = (shape: number[], seed: number, low = -1, high = 1) => uniform64(shape, low, high, seed);
const labels = ts.tensor([2, 0, 1], { dtype: "int32" });
const mask = ts.tensor([[true, false, true, true]]);

const cases: SecondOrderCase[] = [
  ["matmul", (a, b) => ts.square(ts.matmul(a, b)), [u([2, 3], 1), u([3, 2], 2)]],
  [
    "matmul (batched, transposes)",
    (a, b) => ts.square(ts.matmul(a, b, { transposeA: true, transposeB: true })),
    [u([2, 3, 2], 1), u([4, 3], 2)],
  ],
  ["dot / outer", (a, b) => ts.mul(ts.dot(a, b), ts.sum(ts.square(ts.outer(a, b)))), [u([3], 1), u([3], 2)]],
  ["linear", (x, w, b) => ts.square(ts.linear(x, w, b)), [u([3, 4], 1), u([4, 2], 2), u([2], 3)]],
  [
    "linear + relu",
    (x, w, b) => ts.square(ts.linear(x, w, b, "relu")),
    [u([3, 4], 1), u([4, 2], 2), u([2], 3)],
  ],
  ["linear + sigmoid", (x, w, b) => ts.linear(x, w, b, "sigmoid"), [u([3, 4], 1), u([4, 2], 2), u([2], 3)]],
  ["linear + tanh (no bias)", (x, w) => ts.linear(x, w, null, "tanh"), [u([2, 3, 4], 1), u([4, 2], 2)]],
  ["layerNorm", (x, g, b) => ts.layerNorm(x, g, b), [u([3, 4], 1, -2, 2), u([4], 2), u([4], 3)]],
  [
    "layerNorm (two axes, no params)",
    (x) => ts.layerNorm(x, null, null, { axis: [1, 2] }),
    [u([2, 2, 3], 1, -2, 2)],
  ],
  ["rmsNorm", (x, s) => ts.rmsNorm(x, s), [u([3, 4], 1, -2, 2), u([4], 2)]],
  ["sparseSoftmaxCrossentropy", (z) => ts.sparseSoftmaxCrossentropy(z, labels), [u([3, 4], 1, -2, 2)]],
  [
    "softmaxCrossentropy (logits and targets)",
    (z, t) => ts.softmaxCrossentropy(z, t),
    [u([3, 4], 1, -2, 2), u([3, 4], 2, 0.1, 1)],
  ],
  [
    "scaledDotProductAttention",
    (q, k, v) => ts.scaledDotProductAttention(q, k, v),
    [u([1, 2, 3, 2], 1, -2, 2), u([1, 2, 4, 2], 2, -2, 2), u([1, 2, 4, 3], 3)],
  ],
  [
    "scaledDotProductAttention (causal, mask)",
    (q, k, v) => ts.scaledDotProductAttention(q, k, v, { causal: true, mask }),
    [u([1, 1, 4, 2], 1, -2, 2), u([1, 1, 4, 2], 2, -2, 2), u([1, 1, 4, 2], 3)],
  ],
  [
    "scaledDotProductAttention (BTND, rank 4)",
    (q, k, v) => ts.scaledDotProductAttention(q, k, v, { layout: "BTND", scale: 0.7 }),
    [u([1, 3, 2, 2], 1, -2, 2), u([1, 2, 2, 2], 2, -2, 2), u([1, 2, 2, 3], 3)],
  ],
  [
    "scaledDotProductAttention (rank 3)",
    (q, k, v) => ts.scaledDotProductAttention(q, k, v),
    [u([2, 2, 3], 1, -2, 2), u([2, 3, 3], 2, -2, 2), u([2, 3, 2], 3)],
  ],
  [
    "attentionProbabilities",
    (q, k) => ts.attentionProbabilities(q, k, { causal: true }),
    [u([1, 1, 3, 2], 1, -2, 2), u([1, 1, 3, 2], 2)],
  ],
  ["relu of a product (kinks away from 0)", (a) => ts.relu(ts.mul(a, a)), [awayFromZero64([4], 0.5, 2, 5)]],
];

secondOrderSuite("linear algebra and fused ops", cases);
