// Value tests for the activations and softmax / logSoftmax on every backend: formulas against
// float64 math at odd sizes, stability for large inputs, axes, NaN and -Inf rows.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { mapValues, ODD_SIZES, seeded } from "../helpers/data.js";
import { erfReference, sigmoidReference, softplusReference } from "../helpers/reference-math.js";

const sigmoid = sigmoidReference;
const softplus = softplusReference;
const erf = erfReference;
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const hardSigmoid = (v: number) => Math.min(Math.max(v / 6 + 0.5, 0), 1);

const cases: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
  ["leakyRelu (alpha 0.2)", (x) => ts.leakyRelu(x), (v) => (v > 0 ? v : 0.2 * v)],
  ["leakyRelu alpha 0.01", (x) => ts.leakyRelu(x, 0.01), (v) => (v > 0 ? v : 0.01 * v)],
  ["elu", (x) => ts.elu(x), (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ["elu alpha 2", (x) => ts.elu(x, 2), (v) => (v > 0 ? v : 2 * (Math.exp(v) - 1))],
  ["selu", ts.selu, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1))],
  ["gelu exact", (x) => ts.gelu(x), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  [
    "gelu tanh",
    (x) => ts.gelu(x, true),
    (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  ],
  ["softsign", ts.softsign, (v) => v / (1 + Math.abs(v))],
  ["swish", ts.swish, (v) => v * sigmoid(v)],
  ["silu", ts.silu, (v) => v * sigmoid(v)],
  ["relu6", ts.relu6, (v) => Math.min(Math.max(v, 0), 6)],
  ["hardSigmoid", ts.hardSigmoid, hardSigmoid],
  ["hardSwish", ts.hardSwish, (v) => v * hardSigmoid(v)],
  ["mish", ts.mish, (v) => v * Math.tanh(softplus(v))],
  ["logSigmoid", ts.logSigmoid, (v) => -softplus(-v)],
  ["clip [-1, 2]", (x) => ts.clip(x, -1, 2), (v) => Math.min(Math.max(v, -1), 2)],
];

forEachBackend("activation values", () => {
  cases.forEach(([name, op, f], i) => {
    test(`${name} at odd sizes on [-8, 8], and float64`, () => {
      for (const n of ODD_SIZES) {
        const x = seeded([n], -8, 8, 100 * i + n);
        assertClose(op(x), mapValues(x, f), {
          dtype: "float32",
          tol: { atol: 2e-6, rtol: 1e-5 },
          message: `n=${n}`,
        });
      }
      const x64 = seeded([4, 5], -4, 4, i, "float64");
      assertClose(op(x64), ts.tensor(mapValues(x64, f), { shape: [4, 5], dtype: "float64" }), {
        dtype: "float64",
      });
    });
  });

  test("large inputs stay finite where the function is bounded", () => {
    const x = ts.tensor([1e30, -1e30, 1000, -1000]);
    assertClose(ts.elu(x), [1e30, -1, 1000, -1]);
    assertClose(ts.gelu(x), [1e30, -0, 1000, -0]);
    assertClose(ts.softsign(x), [1, -1, 1000 / 1001, -1000 / 1001]);
    assertClose(ts.logSigmoid(x), [0, -1e30, 0, -1000]);
    assertClose(ts.swish(ts.tensor([1000, -1000])), [1000, -0]);
    assertClose(ts.hardSwish(x), [1e30, -0, 1000, -0]);
  });

  test("NaN propagates through composite activations", () => {
    for (const [name, op] of cases) {
      const y = op(ts.tensor([Number.NaN]));
      assert.ok(Number.isNaN(y.data[0]!), `${name}(NaN) = ${y.data[0]}`);
    }
  });

  test("float-only activations reject int32 with their own name; clip and relu6 accept int32", () => {
    const i = ts.tensor([-2, 0, 3, 9], { dtype: "int32" });
    const floatOnly: [string, (x: Tensor) => Tensor][] = [
      ["leakyRelu", (x) => ts.leakyRelu(x)],
      ["elu", (x) => ts.elu(x)],
      ["selu", ts.selu],
      ["gelu", (x) => ts.gelu(x)],
      ["softsign", ts.softsign],
      ["swish", ts.swish],
      ["hardSigmoid", ts.hardSigmoid],
      ["hardSwish", ts.hardSwish],
      ["mish", ts.mish],
      ["logSigmoid", ts.logSigmoid],
    ];
    for (const [name, op] of floatOnly) {
      assert.throws(() => op(i), {
        name: "DTypeError",
        message: new RegExp(`^${name}: expected a floating-point tensor \\(got int32\\)`),
      });
    }
    assertClose(ts.relu6(i), [0, 0, 3, 6], { dtype: "int32" });
    assertClose(ts.clip(i, -1, 4), [-1, 0, 3, 4], { dtype: "int32" });
    // fractional bounds widen int32 to float32, as arithmetic with a fractional number does
    assertClose(ts.clip(i, 0.5, 2.5), [0.5, 0.5, 2.5, 2.5], { dtype: "float32" });
    assert.throws(() => ts.clip(ts.tensor([true]), 0, 1), {
      name: "DTypeError",
      message: /^clip: arithmetic on bool/,
    });
  });

  test("methods match the free functions", () => {
    const x = seeded([7], -3, 3, 1);
    assertClose(x.leakyRelu(0.1), ts.leakyRelu(x, 0.1));
    assertClose(x.elu(), ts.elu(x));
    assertClose(x.selu(), ts.selu(x));
    assertClose(x.gelu(true), ts.gelu(x, true));
    assertClose(x.softsign(), ts.softsign(x));
    assertClose(x.swish(), ts.swish(x));
    assertClose(x.silu(), ts.swish(x));
    assertClose(x.clip(-1, 1), ts.clip(x, -1, 1));
  });
});

function softmaxRows(x: number[], size: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / size; r++) {
    const row = x.slice(r * size, (r + 1) * size);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((p, v) => p + v, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

forEachBackend("softmax and logSoftmax values", () => {
  test("softmax rows sum to one and match exp(x)/sum(exp(x)) at odd widths", () => {
    for (const n of ODD_SIZES) {
      const x = seeded([3, n], -5, 5, n);
      const expected = softmaxRows(Array.from(x.data), n);
      const y = ts.softmax(x);
      assertClose(y, ts.tensor(expected, { shape: [3, n], dtype: "float64" }), { message: `n=${n}` });
      assertClose(ts.sum(y, -1), [1, 1, 1], { tol: { atol: 1e-5, rtol: 0 } });
      assertClose(ts.logSoftmax(x), ts.tensor(expected.map(Math.log), { shape: [3, n], dtype: "float64" }), {
        tol: { atol: 1e-5, rtol: 1e-5 },
      });
    }
  });

  test("softmax along axis 0 and the middle axis equals softmax of the transposed tensor", () => {
    const x = seeded([4, 7, 3], -3, 3, 1);
    const mid = ts.softmax(x, 1);
    const viaLast = ts.transpose(ts.softmax(ts.transpose(x, [0, 2, 1]), -1), [0, 2, 1]);
    assertClose(mid, viaLast);
    assertClose(ts.softmax(x, 0), ts.transpose(ts.softmax(ts.transpose(x, [1, 2, 0])), [2, 0, 1]));
    assertClose(ts.logSoftmax(x, -2), ts.log(mid), { tol: { atol: 1e-5, rtol: 1e-5 } });
  });

  test("large values are stable (1000, 1e30) and shift-invariant", () => {
    const big = ts.tensor([
      [1000, 1001, 1002],
      [-1000, -1001, -1002],
    ]);
    const expected = softmaxRows([0, 1, 2, 0, -1, -2], 3);
    assertClose(ts.softmax(big), [expected.slice(0, 3), expected.slice(3)]);
    assertClose(ts.logSoftmax(big), [expected.slice(0, 3).map(Math.log), expected.slice(3).map(Math.log)]);
    assertClose(ts.softmax(ts.tensor([1e30, 0, -1e30])), [1, 0, 0]);
    assertClose(ts.logSoftmax(ts.tensor([1e30, 0])), [0, -1e30]);
    assertClose(ts.softmax(ts.tensor([[1e4, 1e4]], { dtype: "float64" })), [[0.5, 0.5]]);
  });

  test("-Inf entries get probability 0; NaN poisons only its row", () => {
    assertClose(ts.softmax(ts.tensor([Number.NEGATIVE_INFINITY, 0, 0])), [0, 0.5, 0.5]);
    assertClose(ts.logSoftmax(ts.tensor([Number.NEGATIVE_INFINITY, 0])), [Number.NEGATIVE_INFINITY, 0]);
    const y = ts.softmax(
      ts.tensor([
        [Number.NaN, 1],
        [1, 1],
      ]),
    );
    assertClose(y, [
      [Number.NaN, Number.NaN],
      [0.5, 0.5],
    ]);
  });

  test("softmax of a single element, a 0-size axis and float64", () => {
    assertClose(ts.softmax(ts.tensor([[3], [-7]])), [[1], [1]]);
    assert.deepEqual(ts.softmax(ts.zeros([2, 0])).shape, [2, 0]);
    assertClose(ts.softmax(ts.tensor([0, Math.log(3)], { dtype: "float64" })), [0.25, 0.75], {
      dtype: "float64",
    });
  });

  test("softmax rejects int32 and an out-of-range axis", () => {
    assert.throws(() => ts.softmax(ts.tensor([1], { dtype: "int32" })), {
      name: "DTypeError",
      message: /^softmax: expected a floating-point tensor/,
    });
    assert.throws(() => ts.logSoftmax(ts.zeros([2]), 1), {
      name: "IndexError",
      message: /^logSoftmax: axis 1 is out of range for a tensor of rank 1/,
    });
  });
});
