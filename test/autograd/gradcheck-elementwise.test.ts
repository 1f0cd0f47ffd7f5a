// Float64 finite-difference gradchecks (reference backend) for every differentiable elementwise
// op: unary math, composite activations, arithmetic binaries with broadcasting, where and cast.
import { before, describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { setBackend, type Tensor } from "../../src/index.js";
import { awayFromZero64, gradcheck, uniform64 } from "../helpers/gradcheck.js";

before(() => setBackend("reference"));

type Unary = (x: Tensor) => Tensor;

// [name, function, low, high]: inputs are drawn where the op is smooth. A low >= 0 draws from
// [low, high); a negative low draws magnitudes in [-low, high) with random signs (away from 0).
const unaryCases: [string, Unary, number, number][] = [
  ["neg", ts.neg, -2, 2],
  ["abs", ts.abs, -0.1, 2],
  ["exp", ts.exp, -0.01, 2],
  ["log", ts.log, 0.2, 3],
  ["log1p", ts.log1p, 0, 3],
  ["expm1", ts.expm1, -0.01, 2],
  ["sqrt", ts.sqrt, 0.2, 3],
  ["rsqrt", ts.rsqrt, 0.2, 3],
  ["square", ts.square, -0.01, 2],
  ["reciprocal", ts.reciprocal, -0.3, 2],
  ["sin", ts.sin, -0.01, 3],
  ["cos", ts.cos, -0.01, 3],
  ["tan", ts.tan, -0.01, 1.2],
  ["tanh", ts.tanh, -0.01, 2.5],
  ["sigmoid", ts.sigmoid, -0.01, 4],
  ["relu", ts.relu, -0.1, 2],
  ["softplus", ts.softplus, -0.01, 4],
  ["erf", ts.erf, -0.01, 2.8],
  ["sign (zero gradient)", ts.sign, -0.1, 2],
  ["floor (zero gradient)", ts.floor, 0.1, 0.9],
  ["ceil (zero gradient)", ts.ceil, 0.1, 0.9],
  ["round (zero gradient)", ts.round, 0.1, 0.4],
  ["leakyRelu default alpha", (x) => ts.leakyRelu(x), -0.1, 2],
  ["leakyRelu alpha 0.01", (x) => ts.leakyRelu(x, 0.01), -0.1, 2],
  ["elu", (x) => ts.elu(x), -0.1, 3],
  ["elu alpha 0.5", (x) => ts.elu(x, 0.5), -0.1, 3],
  ["selu", ts.selu, -0.1, 3],
  ["gelu exact", (x) => ts.gelu(x), -0.01, 3],
  ["gelu tanh", (x) => ts.gelu(x, true), -0.01, 3],
  ["softsign", ts.softsign, -0.1, 3],
  ["swish", ts.swish, -0.01, 4],
  ["silu", ts.silu, -0.01, 4],
  ["relu6", ts.relu6, 0.1, 5.8],
  ["hardSigmoid", ts.hardSigmoid, -0.1, 2.9],
  ["hardSwish", ts.hardSwish, -0.1, 2.9],
  ["mish", ts.mish, -0.01, 3],
  ["logSigmoid", ts.logSigmoid, -0.01, 5],
  ["clip", (x) => ts.clip(x, -0.5, 0.7), 0.1, 0.45],
  ["clip (outside the range)", (x) => ts.clip(x, -0.5, 0.7), 0.8, 2],
];

describe("gradcheck: unary math and activations", () => {
  unaryCases.forEach(([name, f, low, high], i) => {
    test(name, () => {
      const x = low >= 0 ? uniform64([2, 3], low, high, 10 + i) : awayFromZero64([2, 3], -low, high, 10 + i);
      gradcheck(f, [x]);
    });
  });

  test("relu6 above 6 and hardSigmoid beyond +-3 have zero gradient", () => {
    gradcheck(ts.relu6, [uniform64([5], 6.5, 9, 1)]);
    gradcheck(ts.hardSigmoid, [awayFromZero64([5], 3.2, 6, 2)]);
  });

  test("unary ops on a 0-d tensor and on a zero-size tensor", () => {
    gradcheck(ts.exp, [uniform64([], -1, 1, 3)]);
    gradcheck(ts.tanh, [uniform64([0, 3], -1, 1, 4)]);
    gradcheck((x) => ts.gelu(x), [uniform64([2, 0], -1, 1, 5)]);
  });

  test("Tensor methods record the same gradients", () => {
    gradcheck((x) => x.exp().sin().mul(x.sigmoid()).add(2).sqrt().log(), [uniform64([7], 0.1, 2, 6)]);
  });
});

type Binary = (a: Tensor, b: Tensor) => Tensor;

const binaryCases: [string, Binary, [number, number], [number, number]][] = [
  ["add", ts.add, [-2, 2], [-2, 2]],
  ["sub", ts.sub, [-2, 2], [-2, 2]],
  ["mul", ts.mul, [-2, 2], [-2, 2]],
  ["div", ts.div, [-2, 2], [0.5, 2]],
  ["pow", ts.pow, [0.3, 2], [-1.5, 2.5]],
  ["maximum", ts.maximum, [-2, 2], [-2, 2]],
  ["minimum", ts.minimum, [-2, 2], [-2, 2]],
  ["mod", ts.mod, [0.1, 0.9], [1.5, 2.5]],
  ["atan2", ts.atan2, [-2, 2], [0.3, 2]],
];

// broadcast pairs: same shape, trailing vector, outer product, scalar on either side, rank mismatch
const shapePairs: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 3],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  [
    [4, 1, 3],
    [2, 1],
  ],
];

describe("gradcheck: arithmetic binaries with broadcasting", () => {
  binaryCases.forEach(([name, f, [alo, ahi], [blo, bhi]], i) => {
    shapePairs.forEach(([sa, sb], j) => {
      test(`${name} [${sa}] and [${sb}]`, () => {
        gradcheck(f, [uniform64(sa, alo, ahi, 100 * i + j), uniform64(sb, blo, bhi, 100 * i + j + 50)]);
      });
    });
    test(`${name} with a zero-size dimension`, () => {
      gradcheck(f, [uniform64([0, 3], alo, ahi, i), uniform64([3], blo, bhi, i + 1)]);
    });
  });

  test("mod with negative operands (floored: the result takes the divisor's sign)", () => {
    gradcheck(ts.mod, [
      ts.tensor([-3.3, 2.2, -0.7], { dtype: "float64" }),
      ts.tensor([2, -1.5, 1.3], { dtype: "float64" }),
    ]);
  });

  test("pow at a zero base with exponent >= 1 (d/db taken as 0)", () => {
    gradcheck(ts.pow, [
      ts.tensor([0, 0, 1.5], { dtype: "float64" }),
      ts.tensor([2, 3, 2], { dtype: "float64" }),
    ]);
  });

  test("maximum and minimum split the gradient evenly at ties", () => {
    const a = ts.tensor([1, 2, 3], { dtype: "float64" });
    const b = ts.tensor([1, 0, 3], { dtype: "float64" });
    gradcheck(ts.maximum, [a, b]);
    gradcheck(ts.minimum, [a, b]);
  });

  test("a JS number operand and the same tensor on both sides", () => {
    gradcheck((x) => ts.add(ts.mul(x, 3), ts.div(2, x)), [uniform64([2, 2], 0.5, 2, 7)]);
    gradcheck((x) => ts.mul(x, x), [uniform64([3], -2, 2, 8)]);
    gradcheck((x) => ts.pow(x, x), [uniform64([3], 0.5, 2, 9)]);
    gradcheck((x) => ts.sub(x, x.exp()), [uniform64([3], -1, 1, 10)]);
  });
});

describe("gradcheck: where and cast", () => {
  test("where with a broadcast condition and broadcast branches", () => {
    const cond = ts.tensor([[true], [false]]);
    gradcheck((a, b) => ts.where(cond, a, b), [uniform64([2, 3], -1, 1, 1), uniform64([3], -1, 1, 2)]);
    gradcheck(
      (a, b) => ts.where(ts.tensor([true, false, true]), a, b),
      [uniform64([2, 1], -1, 1, 3), uniform64([], -1, 1, 4)],
    );
  });

  test("where with a JS number branch", () => {
    gradcheck((a) => ts.where(ts.greater(a, 0), a, 0), [awayFromZero64([7], 0.1, 2, 5)]);
  });

  test("cast float64 -> float32 -> float64", () => {
    gradcheck((x) => ts.cast(ts.cast(x, "float32"), "float64"), [uniform64([2, 3], -1, 1, 6)], {
      eps: 1e-2,
      atol: 1e-4,
      rtol: 1e-4,
    });
  });

  test("cast float32 -> float64 sends a float32 gradient back", () => {
    const x = ts.tensor([1, 2, 3], { requiresGrad: true });
    const y = ts.sum(ts.square(ts.cast(x, "float64")));
    y.backward();
    if (x.grad === null) throw new Error("no gradient");
    if (x.grad.dtype !== "float32") throw new Error(`gradient dtype ${x.grad.dtype}`);
    gradcheck((z) => ts.mul(ts.cast(ts.cast(z, "float32"), "float64"), z), [uniform64([4], -1, 1, 7)], {
      eps: 1e-2,
      atol: 1e-4,
      rtol: 1e-4,
    });
  });

  test("clone passes the gradient through", () => {
    gradcheck((x) => ts.mul(ts.clone(x), x), [uniform64([3], -1, 1, 8)]);
  });
});
