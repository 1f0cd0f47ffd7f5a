// Second-order float64 gradchecks (reference backend) for the elementwise ops: every unary op, every
// binary op (both inputs, broadcast), where, clip and the composite activations. Each case checks
// d/dx <dL/dx, s> against central differences of first-order gradients (test/helpers/gradcheck2).

import * as ts from "../../src/index.js";
import { awayFromZero64, type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const x = (low: number, high: number, seed = 1) => uniform64([2, 3], low, high, seed);
const away = (seed = 1) => awayFromZero64([2, 3], 0.3, 2, seed);

const cases: SecondOrderCase[] = [
  ["neg", (a) => ts.mul(ts.neg(a), a), [x(-2, 2)]],
  ["abs", (a) => ts.square(ts.abs(a)), [away()]],
  ["exp", ts.exp, [x(-2, 2)]],
  ["log", ts.log, [x(0.5, 3)]],
  ["log1p", ts.log1p, [x(-0.5, 2)]],
  ["expm1", ts.expm1, [x(-2, 2)]],
  ["sqrt", ts.sqrt, [x(0.5, 3)]],
  ["rsqrt", ts.rsqrt, [x(0.5, 3)]],
  ["square", ts.square, [x(-2, 2)]],
  ["reciprocal", ts.reciprocal, [x(0.5, 3)]],
  ["sin", ts.sin, [x(-3, 3)]],
  ["cos", ts.cos, [x(-3, 3)]],
  ["tan", ts.tan, [x(-1, 1)]],
  ["tanh", ts.tanh, [x(-2, 2)]],
  ["sigmoid", ts.sigmoid, [x(-3, 3)]],
  ["relu", (a) => ts.mul(ts.relu(a), a), [away()]],
  ["softplus", ts.softplus, [x(-3, 3)]],
  ["erf", ts.erf, [x(-2, 2)]],
  [
    "sign/floor/ceil/round (zero curvature)",
    (a) => ts.mul(ts.add(ts.floor(a), ts.sign(a)), a),
    [away()],
    { zeroCurvature: true },
  ],
  ["add", (a, b) => ts.square(ts.add(a, b)), [x(-2, 2), uniform64([3], -2, 2, 2)]],
  ["sub", (a, b) => ts.square(ts.sub(a, b)), [x(-2, 2), uniform64([1, 3], -2, 2, 2)]],
  ["mul", ts.mul, [x(-2, 2), uniform64([3], -2, 2, 2)]],
  ["div", ts.div, [x(-2, 2), uniform64([2, 1], 0.5, 2, 2)]],
  ["pow", ts.pow, [x(0.5, 2), x(-1.5, 2, 2)]],
  ["maximum", (a, b) => ts.square(ts.maximum(a, b)), [x(-2, 2), x(-2, 2, 2)]],
  ["minimum", (a, b) => ts.square(ts.minimum(a, b)), [x(-2, 2), x(-2, 2, 2)]],
  ["mod", (a, b) => ts.square(ts.mod(a, b)), [x(0.1, 0.9), x(1.1, 2, 2)]],
  ["atan2", ts.atan2, [x(-2, 2), away(2)]],
  ["where", (a, b) => ts.square(ts.where(ts.greater(a, 0), a, ts.mul(b, a))), [away(), x(-2, 2, 2)]],
  ["clip", (a) => ts.square(ts.clip(a, -1, 1)), [awayFromZero64([2, 3], 0.2, 0.8, 3)]],
  ["leakyRelu", (a) => ts.mul(ts.leakyRelu(a), a), [away()]],
  ["elu", (a) => ts.elu(a), [away()]],
  ["selu", ts.selu, [away()]],
  ["gelu", (a) => ts.gelu(a), [x(-3, 3)]],
  ["gelu (tanh approximation)", (a) => ts.gelu(a, true), [x(-3, 3)]],
  ["softsign", ts.softsign, [away()]],
  ["swish", ts.swish, [x(-3, 3)]],
  ["relu6", (a) => ts.square(ts.relu6(a)), [x(0.5, 5)]],
  ["hardSigmoid", (a) => ts.square(ts.hardSigmoid(a)), [x(-2, 2)]],
  ["hardSwish", ts.hardSwish, [x(-2.5, 2.5)]],
  ["mish", ts.mish, [x(-3, 3)]],
  ["logSigmoid", ts.logSigmoid, [x(-3, 3)]],
];

secondOrderSuite("elementwise", cases);
