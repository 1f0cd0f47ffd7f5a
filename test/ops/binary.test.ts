// Value tests for the arithmetic binaries on every backend: broadcasting, odd sizes, int32 rules
// (true division gives float32), floored mod, pow, NaN / Inf, mixing dtypes, non-contiguous inputs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { ODD_SIZES, seeded } from "../helpers/data.js";

type Op = (a: Tensor | number, b: Tensor | number) => Tensor;

const floorMod = (a: number, b: number) => a - b * Math.floor(a / b);

const ops: [string, Op, (a: number, b: number) => number][] = [
  ["add", ts.add, (a, b) => a + b],
  ["sub", ts.sub, (a, b) => a - b],
  ["mul", ts.mul, (a, b) => a * b],
  ["div", ts.div, (a, b) => a / b],
  ["pow", ts.pow, (a, b) => a ** b],
  ["maximum", ts.maximum, Math.max],
  ["minimum", ts.minimum, Math.min],
  ["mod", ts.mod, floorMod],
  ["atan2", ts.atan2, Math.atan2],
];

/** Expected values of op(a, b) broadcast to `shape`, computed by explicit index arithmetic. */
function broadcastExpected(
  a: Tensor,
  b: Tensor,
  shape: number[],
  f: (x: number, y: number) => number,
): number[] {
  const out: number[] = [];
  const size = shape.reduce((p, d) => p * d, 1);
  const read = (t: Tensor, index: number[]) => {
    let flat = 0;
    const offset = shape.length - t.rank;
    for (let d = 0; d < t.rank; d++) flat = flat * t.shape[d]! + (t.shape[d] === 1 ? 0 : index[d + offset]!);
    return t.data[flat]!;
  };
  for (let i = 0; i < size; i++) {
    const index: number[] = [];
    let rest = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    out.push(f(read(a, index), read(b, index)));
  }
  return out;
}

const shapeCases: [number[], number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4], [3, 4]],
  [
    [3, 1],
    [1, 4],
    [3, 4],
  ],
  [
    [2, 1, 5],
    [3, 1],
    [2, 3, 5],
  ],
  [[], [2, 3], [2, 3]],
  [[2, 3], [], [2, 3]],
  [[0, 3], [3], [0, 3]],
  [
    [1, 0],
    [4, 1],
    [4, 0],
  ],
];

forEachBackend("arithmetic binary values", () => {
  ops.forEach(([name, op, f], i) => {
    test(`${name}: odd sizes, then broadcast shapes`, () => {
      for (const n of ODD_SIZES) {
        const a = seeded([n], 0.5, 4, 10 * i + n);
        const b = seeded([n], 0.5, 3, 20 * i + n);
        assertClose(op(a, b), broadcastExpected(a, b, [n], f), { dtype: "float32", message: `n=${n}` });
      }
      for (const [sa, sb, out] of shapeCases) {
        const a = seeded(sa, 0.5, 4, i);
        const b = seeded(sb, -3, -0.5, i + 1);
        const y = op(a, b);
        assert.deepEqual(y.shape, out, `${name} [${sa}] with [${sb}]`);
        assertClose(y, ts.tensor(broadcastExpected(a, b, out, f), { shape: out, dtype: "float64" }), {
          tol: { atol: 1e-5, rtol: 1e-5 },
          message: `${name} [${sa}] with [${sb}]`,
        });
      }
    });
  });

  test("float64 arithmetic is done in float64", () => {
    const a = ts.tensor([1, 2], { dtype: "float64" });
    const y = ts.add(a, 1e-12);
    assert.equal(y.dtype, "float64");
    assert.equal(y.data[0], 1 + 1e-12);
    assertClose(ts.div(a, 3), [1 / 3, 2 / 3]);
  });

  test("hand-computed broadcast: a column plus a row", () => {
    assertClose(
      ts.add(ts.tensor([[1], [2], [3]]), ts.tensor([10, 20])),
      [
        [11, 21],
        [12, 22],
        [13, 23],
      ],
      { tol: EXACT },
    );
    assertClose(
      ts.mul(
        ts.tensor([
          [1, 2],
          [3, 4],
        ]),
        ts.tensor([-1, 2]),
      ),
      [
        [-1, 4],
        [-3, 8],
      ],
      { tol: EXACT },
    );
    assertClose(ts.sub(5, ts.tensor([1, 2])), [4, 3], { tol: EXACT });
    assertClose(ts.div(1, ts.tensor([4, -8])), [0.25, -0.125], { tol: EXACT });
  });

  test("mod is floored (result has the divisor's sign) for floats and int32", () => {
    const a = ts.tensor([5, -5, 5, -5, 5.5, -0.5]);
    const b = ts.tensor([3, 3, -3, -3, 2, 2]);
    assertClose(ts.mod(a, b), [2, 1, -1, -2, 1.5, 1.5], { tol: EXACT });
    const ai = ts.tensor([5, -5, 5, -5, 7], { dtype: "int32" });
    const bi = ts.tensor([3, 3, -3, -3, 7], { dtype: "int32" });
    assertClose(ts.mod(ai, bi), [2, 1, -1, -2, 0], { dtype: "int32" });
  });

  test("pow: fractional and negative exponents, negative bases, 0^0", () => {
    assertClose(ts.pow(ts.tensor([4, 8, 2, -2, 0, -8]), ts.tensor([0.5, -1 / 3, -2, 3, 0, 1 / 3])), [
      2,
      0.5,
      0.25,
      -8,
      1,
      Number.NaN,
    ]);
  });

  test("int32 arithmetic stays int32 except true division, which gives float32", () => {
    const a = ts.tensor([7, -7, 9], { dtype: "int32" });
    const b = ts.tensor([2, 2, 3], { dtype: "int32" });
    assertClose(ts.add(a, b), [9, -5, 12], { dtype: "int32" });
    assertClose(ts.sub(a, b), [5, -9, 6], { dtype: "int32" });
    assertClose(ts.mul(a, b), [14, -14, 27], { dtype: "int32" });
    assertClose(ts.maximum(a, b), [7, 2, 9], { dtype: "int32" });
    assertClose(ts.pow(b, 3), [8, 8, 27], { dtype: "int32" });
    assertClose(ts.div(a, b), [3.5, -3.5, 3], { dtype: "float32" });
    assertClose(ts.div(a, 0), [Infinity, -Infinity, Infinity], { dtype: "float32" });
  });

  test("int32 overflow wraps (two's complement) exactly, like C and NumPy", () => {
    const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));
    const av = [123456789, 65536, 2147483647, -2147483648, 46341, -7];
    const bv = [987654321, 65536, 2, 3, 46341, 11];
    const a = ts.tensor(av, { dtype: "int32" });
    const b = ts.tensor(bv, { dtype: "int32" });
    assertClose(
      ts.mul(a, b),
      av.map((x, i) => wrap(BigInt(x) * BigInt(bv[i]!))),
      { dtype: "int32" },
    );
    assertClose(
      ts.add(a, b),
      av.map((x, i) => wrap(BigInt(x) + BigInt(bv[i]!))),
      { dtype: "int32" },
    );
    assertClose(
      ts.sub(a, b),
      av.map((x, i) => wrap(BigInt(x) - BigInt(bv[i]!))),
      { dtype: "int32" },
    );
    assertClose(
      ts.square(a),
      av.map((x) => wrap(BigInt(x) * BigInt(x))),
      { dtype: "int32" },
    );
    const e = ts.tensor([3, 7, 2, -5, 10], { dtype: "int32" });
    const p = ts.tensor([40, 20, 31, 3, 0], { dtype: "int32" });
    assertClose(ts.pow(e, p), [wrap(3n ** 40n), wrap(7n ** 20n), wrap(2n ** 31n), -125, 1], {
      dtype: "int32",
    });
  });

  test("an int32 tensor with a JS number: integers keep int32, fractions give float32", () => {
    const a = ts.tensor([1, 2], { dtype: "int32" });
    assertClose(ts.add(a, 3), [4, 5], { dtype: "int32" });
    assertClose(ts.add(a, 0.5), [1.5, 2.5], { dtype: "float32" });
    assertClose(ts.mul(2.5, a), [2.5, 5], { dtype: "float32" });
  });

  test("a float64 tensor with a JS number stays float64", () => {
    assertClose(ts.mul(ts.tensor([1], { dtype: "float64" }), 0.1), [0.1], { dtype: "float64" });
  });

  test("mixing tensor dtypes is a DTypeError naming both", () => {
    const f32 = ts.tensor([1]);
    const f64 = ts.tensor([1], { dtype: "float64" });
    const i32 = ts.tensor([1], { dtype: "int32" });
    assert.throws(() => ts.add(f32, f64), {
      name: "DTypeError",
      message: /^add: dtypes differ \(got float32 and float64\)/,
    });
    assert.throws(() => ts.mul(i32, f32), {
      name: "DTypeError",
      message: /^mul: dtypes differ \(got int32 and float32\)/,
    });
    assert.throws(() => ts.add(ts.tensor([true]), ts.tensor([true])), {
      name: "DTypeError",
      message: /^add: .*bool/,
    });
  });

  test("NaN and infinities propagate", () => {
    const a = ts.tensor([Number.NaN, 1, Infinity, Infinity, -Infinity, 1]);
    const b = ts.tensor([1, Number.NaN, 1, -Infinity, -Infinity, 0]);
    assertClose(ts.add(a, b), [Number.NaN, Number.NaN, Infinity, Number.NaN, -Infinity, 1]);
    assertClose(ts.mul(a, b), [Number.NaN, Number.NaN, Infinity, -Infinity, Infinity, 0]);
    assertClose(ts.div(a, b), [Number.NaN, Number.NaN, Infinity, Number.NaN, Number.NaN, Infinity]);
    assertClose(ts.maximum(a, b), [Number.NaN, Number.NaN, Infinity, Infinity, -Infinity, 1]);
    assertClose(ts.minimum(a, b), [Number.NaN, Number.NaN, 1, -Infinity, -Infinity, 0]);
    assertClose(ts.mod(ts.tensor([1, Infinity]), ts.tensor([0, 2])), [Number.NaN, Number.NaN]);
  });

  test("large values: float32 overflows to Inf, float64 does not", () => {
    assertClose(ts.mul(ts.tensor([1e30, -1e30]), 1e30), [Infinity, -Infinity]);
    assertClose(ts.mul(ts.tensor([1e30], { dtype: "float64" }), 1e30), [1e60]);
    assertClose(ts.sub(ts.tensor([1e30]), ts.tensor([1e30])), [0]);
  });

  test("non-contiguous inputs (materialised transposes) broadcast correctly", () => {
    const x = seeded([7, 33], -2, 2, 3);
    const xt = ts.transpose(x); // [33, 7]
    const row = seeded([7], -1, 1, 4);
    const expected: number[] = [];
    for (let j = 0; j < 33; j++)
      for (let i = 0; i < 7; i++) expected.push(x.data[i * 33 + j]! * row.data[i]!);
    assertClose(ts.mul(xt, row), ts.tensor(expected, { shape: [33, 7], dtype: "float64" }));
    assertClose(ts.add(xt, ts.transpose(x)), ts.mul(xt, 2), { tol: EXACT });
  });

  test("methods match the free functions", () => {
    const a = seeded([2, 3], 1, 2, 5);
    assertClose(
      a.add(1).mul(a).sub(2).div(a).pow(2),
      ts.pow(ts.div(ts.sub(ts.mul(ts.add(a, 1), a), 2), a), 2),
      {
        tol: EXACT,
      },
    );
    assertClose(a.maximum(1.5).minimum(1.7).mod(1), ts.mod(ts.minimum(ts.maximum(a, 1.5), 1.7), 1), {
      tol: EXACT,
    });
  });
});
