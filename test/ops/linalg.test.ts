// Value tests for matmul (1-D, 2-D, batched with broadcasting, every transpose flag, odd and
// block-crossing sizes), dot, outer and the fused linear op with each epilogue, on every backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tensor } from "../../src/index.js";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, EXACT } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

/** Naive float64 product of row-major m x k and k x n arrays. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = acc;
    }
  return out;
}

/** Explicit transpose of a row-major r x c array. */
function transposed(x: ArrayLike<number>, r: number, c: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out.push(x[i * c + j]!);
  return out;
}

/** float32 GEMM tolerance that grows with k (rounding of k products). */
const gemmTol = (k: number) => ({ atol: 1e-6 * Math.max(1, Math.sqrt(k)) * 4, rtol: 1e-5 });

forEachBackend("matmul values", () => {
  test("hand-computed 2-D product", () => {
    const a = ts.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = ts.tensor([
      [1, 0, -1],
      [2, 1, 0],
    ]);
    assertClose(
      ts.matmul(a, b),
      [
        [5, 2, -1],
        [11, 4, -3],
        [17, 6, -5],
      ],
      { tol: EXACT },
    );
  });

  for (const [m, k, n] of [
    [1, 1, 1],
    [7, 33, 1],
    [1, 7, 33],
    [33, 7, 7],
    [5, 130, 9],
    [3, 9, 520],
    [64, 64, 64],
  ] as const) {
    test(`[${m},${k}] @ [${k},${n}] with every transpose flag, float32 and float64`, () => {
      const a = seeded([m, k], -1, 1, m * 100 + k);
      const b = seeded([k, n], -1, 1, k * 100 + n);
      const expected = ts.tensor(naive(a.data, b.data, m, k, n), { shape: [m, n], dtype: "float64" });
      const aT = ts.tensor(transposed(a.data, m, k), { shape: [k, m] });
      const bT = ts.tensor(transposed(b.data, k, n), { shape: [n, k] });
      assertClose(ts.matmul(a, b), expected, { tol: gemmTol(k) });
      assertClose(ts.matmul(aT, b, { transposeA: true }), expected, { tol: gemmTol(k) });
      assertClose(ts.matmul(a, bT, { transposeB: true }), expected, { tol: gemmTol(k) });
      assertClose(ts.matmul(aT, bT, { transposeA: true, transposeB: true }), expected, { tol: gemmTol(k) });
      const a64 = ts.cast(a, "float64");
      const b64 = ts.cast(b, "float64");
      assertClose(ts.matmul(a64, b64), expected, { dtype: "float64" });
      assertClose(
        ts.matmul(ts.cast(aT, "float64"), ts.cast(bT, "float64"), { transposeA: true, transposeB: true }),
        expected,
      );
    });
  }

  test("1-D operands: vector-vector, vector-matrix, matrix-vector, vector-batch", () => {
    const v = ts.tensor([1, 2, 3]);
    const m = ts.tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const y = ts.matmul(v, v);
    assert.deepEqual(y.shape, []);
    assertClose(y, 14);
    assertClose(ts.matmul(v, m), [4, 5]);
    assertClose(ts.matmul(ts.transpose(m), v), [4, 5]);
    const batch = ts.stack([m, ts.mul(m, 2)]); // [2, 3, 2]
    assertClose(ts.matmul(v, batch), [
      [4, 5],
      [8, 10],
    ]);
    assertClose(ts.matmul(ts.transpose(batch, [0, 2, 1]), v), [
      [4, 5],
      [8, 10],
    ]);
    // transpose flags do not apply to 1-D operands
    assertClose(ts.matmul(v, m, { transposeA: true }), [4, 5]);
  });

  test("batched with broadcast batch axes and transposes", () => {
    const a = seeded([2, 1, 3, 4], -1, 1, 1);
    const b = seeded([3, 4, 5], -1, 1, 2);
    const y = ts.matmul(a, b);
    assert.deepEqual(y.shape, [2, 3, 3, 5]);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const ai = a.data.subarray(i * 12, i * 12 + 12);
        const bj = b.data.subarray(j * 20, j * 20 + 20);
        const got = y.data.subarray((i * 3 + j) * 15, (i * 3 + j + 1) * 15);
        assertClose(ts.tensor(got), naive(ai, bj, 3, 4, 5), { message: `batch ${i},${j}` });
      }
    const bT = ts.transpose(b, [0, 2, 1]);
    assertClose(ts.matmul(a, bT, { transposeB: true }), y);
    const aT = ts.transpose(a, [0, 1, 3, 2]);
    assertClose(ts.matmul(aT, bT, { transposeA: true, transposeB: true }), y);
    // a 2-D operand against a batch, on either side
    const w = seeded([4, 5], -1, 1, 3);
    const yw = ts.matmul(ts.reshape(a, [2, 3, 4]), w);
    assertClose(
      ts.slice(yw, [1]),
      naive(a.data.subarray(12, 24), w.data, 3, 4, 5).reduce<number[][]>((rows, v, i) => {
        if (i % 5 === 0) rows.push([]);
        rows[rows.length - 1]!.push(v);
        return rows;
      }, []),
    );
    const left = seeded([3, 4], -1, 1, 4);
    const yl = ts.matmul(left, b);
    assert.deepEqual(yl.shape, [3, 3, 5]);
    assertClose(ts.slice(yl, [2]), ts.matmul(left, ts.slice(b, [2])));
    // a batch of size 1 against a batch of 3
    assertClose(ts.matmul(ts.reshape(left, [1, 3, 4]), b), yl);
  });

  test("zero-size m, n and k: empty results and zeros", () => {
    assert.deepEqual(ts.matmul(ts.zeros([0, 3]), ts.zeros([3, 2])).shape, [0, 2]);
    assert.deepEqual(ts.matmul(ts.zeros([2, 3]), ts.zeros([3, 0])).shape, [2, 0]);
    assertClose(
      ts.matmul(ts.zeros([2, 0]), ts.zeros([0, 3])),
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      { tol: EXACT },
    );
    assert.deepEqual(ts.matmul(ts.zeros([0, 2, 3]), ts.zeros([3, 4])).shape, [0, 2, 4]);
  });

  test("NaN and Inf propagate and large values overflow in float32", () => {
    const a = ts.tensor([
      [Number.NaN, 0],
      [1, 1],
    ]);
    const b = ts.tensor([
      [1, 1],
      [1, 1],
    ]);
    assertClose(ts.matmul(a, b), [
      [Number.NaN, Number.NaN],
      [2, 2],
    ]);
    assertClose(ts.matmul(ts.tensor([[1e30, 1e30]]), ts.tensor([[1e30], [1]])), [[Infinity]]);
    assertClose(ts.matmul(ts.tensor([[Infinity, 1]]), ts.tensor([[1], [0]])), [[Infinity]]);
  });

  test("int32 and mixed dtypes are rejected; shapes that do not fit are ShapeErrors", () => {
    const i = ts.tensor([[1]], { dtype: "int32" });
    assert.throws(() => ts.matmul(i, i), {
      name: "DTypeError",
      message: /^matmul: expected a floating-point tensor \(got int32\)/,
    });
    assert.throws(() => ts.matmul(ts.zeros([1, 1]), ts.zeros([1, 1], { dtype: "float64" })), {
      name: "DTypeError",
      message: /^matmul: dtypes differ \(got float32 and float64\)/,
    });
    assert.throws(() => ts.matmul(ts.zeros([2, 3]), ts.zeros([4, 5])), {
      name: "ShapeError",
      message: /^matmul: inner dimensions differ \(got \[2,3\] and \[4,5\]\)$/,
    });
    assert.throws(() => ts.matmul(ts.zeros([2, 3]), ts.zeros([3, 2]), { transposeA: true }), {
      name: "ShapeError",
      message:
        /^matmul: inner dimensions differ \(got \[2,3\] and \[3,2\], transposeA=true, transposeB=false\)/,
    });
    assert.throws(() => ts.matmul(ts.zeros([3]), ts.zeros([4])), {
      name: "ShapeError",
      message: /^matmul: inner dimensions differ \(got \[3\] and \[4\]\)$/,
    });
    assert.throws(() => ts.matmul(ts.zeros([2, 2, 3]), ts.zeros([3, 3, 1])), {
      name: "ShapeError",
      message: /^matmul: shapes cannot be broadcast together \(got \[2\] and \[3\]\)/,
    });
    assert.throws(() => ts.matmul(ts.scalar(1), ts.zeros([1])), {
      name: "ShapeError",
      message: /^matmul: operands must have at least one dimension/,
    });
  });
});

forEachBackend("dot, outer and linear values", () => {
  test("dot and outer", () => {
    assertClose(ts.dot(ts.tensor([1, 2, 3]), ts.tensor([4, -5, 6])), 12);
    assertClose(ts.outer(ts.tensor([1, 2]), ts.tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    assert.throws(() => ts.dot(ts.zeros([2, 2]), ts.zeros([2])), {
      name: "ShapeError",
      message: /^dot: expected two 1-D tensors \(got \[2,2\] and \[2\]\)/,
    });
    assert.throws(() => ts.outer(ts.zeros([2]), ts.scalar(1)), {
      name: "ShapeError",
      message: /^outer: expected two 1-D tensors/,
    });
  });

  const activations: [string, (v: number) => number][] = [
    ["none", (v) => v],
    ["relu", (v) => Math.max(v, 0)],
    ["sigmoid", (v) => 1 / (1 + Math.exp(-v))],
    ["tanh", Math.tanh],
  ];
  for (const [activation, f] of activations) {
    test(`linear with activation ${activation}: with bias, without bias, 3-D input, 1-D input`, () => {
      const x = seeded([2, 7, 33], -1, 1, 1);
      const w = seeded([33, 5], -1, 1, 2);
      const b = seeded([5], -1, 1, 3);
      const z = naive(x.data, w.data, 14, 33, 5);
      const withBias = z.map((v, i) => f(v + b.data[i % 5]!));
      const act = activation as "none" | "relu" | "sigmoid" | "tanh";
      assertClose(ts.linear(x, w, b, act), ts.tensor(withBias, { shape: [2, 7, 5], dtype: "float64" }), {
        tol: gemmTol(33),
      });
      assertClose(ts.linear(x, w, null, act), ts.tensor(z.map(f), { shape: [2, 7, 5], dtype: "float64" }), {
        tol: gemmTol(33),
      });
      const v = ts.slice(x, [0, 0]);
      const y1 = ts.linear(v, w, b, act);
      assert.deepEqual(y1.shape, [5]);
      assertClose(y1, withBias.slice(0, 5), { tol: gemmTol(33) });
      const x64 = ts.cast(x, "float64");
      assertClose(
        ts.linear(x64, ts.cast(w, "float64"), ts.cast(b, "float64"), act),
        ts.tensor(withBias, { shape: [2, 7, 5], dtype: "float64" }),
      );
    });
  }

  test("linear with large pre-activations saturates sigmoid/tanh without NaN", () => {
    const x = ts.tensor([[1e30, -1e30]]);
    const w = ts.tensor([[1], [0]]);
    assertClose(ts.linear(x, w, ts.tensor([0]), "sigmoid"), [[1]]);
    assertClose(ts.linear(ts.neg(x), w, null, "tanh"), [[-1]]);
    assertClose(ts.linear(ts.neg(x), w, null, "relu"), [[0]]);
  });

  test("linear validates shapes, dtypes and the activation name", () => {
    const x = ts.zeros([2, 3]);
    assert.throws(() => ts.linear(x, ts.zeros([4, 2])), {
      name: "ShapeError",
      message: /^linear: x \[\.\.\., in\] and kernel \[in, units\] do not fit \(got \[2,3\] and \[4,2\]\)/,
    });
    assert.throws(() => ts.linear(x, ts.zeros([3, 2]), ts.zeros([3])), {
      name: "ShapeError",
      message: /^linear: bias must have shape \[2\] \(got \[3\]\)/,
    });
    assert.throws(() => ts.linear(x, ts.zeros([3, 2], { dtype: "float64" })), {
      name: "DTypeError",
      message: /^linear: dtypes differ/,
    });
    assert.throws(() => ts.linear(x, ts.zeros([3, 2]), null, "gelu" as "relu"), {
      name: "ValueError",
      message: /^linear: unknown activation "gelu"/,
    });
  });
});

// matmul with a non-contiguous (transposed) operand fed into a further op
forEachBackend("matmul of transposed intermediates", () => {
  test("(A^T) B equals matmul(A, B, transposeA) and feeds a reduction", () => {
    const a = seeded([33, 7], -1, 1, 1);
    const b = seeded([33, 9], -1, 1, 2);
    const viaCopy: Tensor = ts.matmul(ts.transpose(a), b);
    assertClose(viaCopy, ts.matmul(a, b, { transposeA: true }), { tol: gemmTol(33) });
    assertClose(ts.sum(viaCopy, 0), ts.sum(ts.matmul(a, b, { transposeA: true }), 0), {
      tol: gemmTol(33 * 7),
    });
  });
});
