// Tensor basics: creation functions (values, dtypes, shapes, *Like variants, ranges, eye),
// toArray / dataSync / item / at, and seeded random creation.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { Generator, Tensor } from "../../src/index.js";
import { assertClose, EXACT } from "../helpers/close.js";

describe("tensor()", () => {
  test("nested arrays: shape, default float32, booleans give bool", () => {
    const t = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, "float32");
    assert.ok(t.data instanceof Float32Array);
    assert.equal(t.size, 6);
    assert.equal(t.rank, 2);
    assert.deepEqual(t.toArray(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = ts.tensor([true, false]);
    assert.equal(b.dtype, "bool");
    assert.ok(b.data instanceof Uint8Array);
    assert.deepEqual(b.toArray(), [true, false]);
  });

  test("scalars, empty arrays and arrays with an empty inner axis", () => {
    const s = ts.tensor(3.5);
    assert.deepEqual(s.shape, []);
    assert.equal(s.toArray(), 3.5);
    assert.equal(s.item(), 3.5);
    assert.deepEqual(ts.tensor([]).shape, [0]);
    assert.deepEqual(ts.tensor([[], []]).shape, [2, 0]);
    assert.deepEqual(ts.tensor([[], []]).toArray(), [[], []]);
    assert.deepEqual(ts.scalar(true).dtype, "bool");
    assert.equal(ts.scalar(2.7, "int32").item(), 2);
  });

  test("explicit dtype converts values: int32 truncates, bool is != 0", () => {
    assert.deepEqual(ts.tensor([1.9, -1.9, 3], { dtype: "int32" }).toArray(), [1, -1, 3]);
    assert.deepEqual(ts.tensor([0, 2, -0.5], { dtype: "bool" }).toArray(), [false, true, true]);
    assert.deepEqual(ts.tensor([true, false], { dtype: "float64" }).toArray(), [1, 0]);
    const f = ts.tensor([0.1], { dtype: "float64" });
    assert.equal(f.data[0], 0.1);
    assert.equal(ts.tensor([0.1]).data[0], Math.fround(0.1));
  });

  test("typed arrays are used as is (no copy) with an optional shape", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = ts.tensor(data, { shape: [3, 2] });
    assert.equal(t.data, data);
    assert.equal(t.dtype, "float64");
    assert.deepEqual(t.toArray(), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.equal(ts.tensor(new Int32Array([1, 2])).dtype, "int32");
    assert.equal(ts.tensor(new Uint8Array([1, 0])).dtype, "bool");
    // a Uint8Array is bool storage: only 0/1 may be wrapped; bytes convert with a numeric dtype
    assert.throws(() => ts.tensor(new Uint8Array([0, 1, 255])), {
      name: "ValueError",
      message: /^tensor: a Uint8Array is read as bool and must hold only 0 and 1 \(got 255 at index 2\)/,
    });
    assert.deepEqual(ts.tensor(new Uint8Array([0, 7, 255]), { dtype: "int32" }).toArray(), [0, 7, 255]);
    const cast = ts.tensor(new Int32Array([1, 2]), { dtype: "float32" });
    assert.equal(cast.dtype, "float32");
    assert.deepEqual(cast.toArray(), [1, 2]);
  });

  test("a Tensor argument is copied; shape option reshapes", () => {
    const a = ts.tensor([1, 2, 3, 4]);
    const b = ts.tensor(a, { shape: [2, 2] });
    assert.notEqual(b.data, a.data);
    assert.deepEqual(b.toArray(), [
      [1, 2],
      [3, 4],
    ]);
    assert.equal(ts.tensor(a, { dtype: "int32" }).dtype, "int32");
  });

  test("requiresGrad option, only for float dtypes", () => {
    assert.equal(ts.tensor([1], { requiresGrad: true }).requiresGrad, true);
    assert.equal(ts.tensor([1]).requiresGrad, false);
    assert.equal(ts.zeros([2], { requiresGrad: true, dtype: "float64" }).requiresGrad, true);
    assert.throws(() => ts.tensor([1], { dtype: "int32", requiresGrad: true }), {
      name: "DTypeError",
      message: /^tensor: only floating-point tensors can require gradients \(got int32\)/,
    });
  });

  test("the Tensor constructor checks shape against data length and the dtype", () => {
    assert.throws(() => new Tensor(new Float32Array(3), [2, 2]), {
      name: "ShapeError",
      message: /^Tensor: shape \[2,2\] needs 4 elements \(got 3\)/,
    });
    assert.throws(() => new Tensor(new Float32Array(1), [1], "float64"), {
      name: "DTypeError",
      message: /^Tensor: data is a Float32Array but dtype float64 was given/,
    });
    assert.throws(() => new Tensor(new Float32Array(0), [-1 as number]), { name: "ShapeError" });
  });
});

describe("constant and range creation", () => {
  test("zeros, ones, full with dtypes and shapes", () => {
    assertClose(
      ts.zeros([2, 3]),
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      { dtype: "float32", tol: EXACT },
    );
    assertClose(ts.ones([2], { dtype: "int32" }), [1, 1], { dtype: "int32" });
    assertClose(ts.ones([3], { dtype: "bool" }), [true, true, true], { dtype: "bool" });
    assertClose(
      ts.full([2, 2], 7.5, { dtype: "float64" }),
      [
        [7.5, 7.5],
        [7.5, 7.5],
      ],
      { dtype: "float64" },
    );
    assertClose(ts.full([], -2), -2);
    assert.deepEqual(ts.zeros([0, 4]).shape, [0, 4]);
    assertClose(ts.full([2], Number.NaN), [Number.NaN, Number.NaN]);
  });

  test("*Like variants copy the shape and dtype, and accept overrides", () => {
    const x = ts.tensor([[1, 2]], { dtype: "float64" });
    const z = ts.zerosLike(x);
    assert.deepEqual([z.shape, z.dtype], [[1, 2], "float64"]);
    assertClose(ts.onesLike(x, { dtype: "int32" }), [[1, 1]], { dtype: "int32" });
    assertClose(ts.fullLike(x, 3), [[3, 3]], { dtype: "float64" });
    const r = ts.randLike(x, { generator: new Generator(1) });
    assert.deepEqual([r.shape, r.dtype], [[1, 2], "float64"]);
    assert.ok(r.data.every((v) => v >= 0 && v < 1));
    const n = ts.randnLike(ts.zeros([3, 3]), { generator: new Generator(1) });
    assert.deepEqual([n.shape, n.dtype], [[3, 3], "float32"]);
  });

  test("arange: one argument, start/stop, fractional and negative steps, empty ranges", () => {
    assert.deepEqual(ts.arange(5).toArray(), [0, 1, 2, 3, 4]);
    assert.deepEqual(ts.arange(2, 5).toArray(), [2, 3, 4]);
    assert.deepEqual(ts.arange(0, 1, 0.25).toArray(), [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(ts.arange(5, 0, -1).toArray(), [5, 4, 3, 2, 1]);
    assert.deepEqual(ts.arange(5, 0, -1.5).toArray(), [5, 3.5, 2, 0.5]);
    assert.deepEqual(ts.arange(-1, -7, -2).toArray(), [-1, -3, -5]);
    assert.deepEqual(ts.arange(3, 3).shape, [0]);
    assert.deepEqual(ts.arange(5, 0).shape, [0]);
    assert.deepEqual(ts.arange(0, 5, -1).shape, [0]);
    assert.equal(ts.arange(0, 1, 0.1).size, 10); // NumPy gives 10 values, not 11
    assert.equal(ts.arange(3, undefined, 1, { dtype: "int32" }).dtype, "int32");
    assert.throws(() => ts.arange(0, 5, 0), {
      name: "ValueError",
      message: /^arange: step must not be zero/,
    });
    assert.throws(() => ts.arange(0, Infinity), {
      name: "ValueError",
      message: /^arange: start, stop and step must be finite/,
    });
  });

  test("linspace includes both endpoints exactly", () => {
    const l = ts.linspace(0, 1, 5, { dtype: "float64" });
    assert.deepEqual(l.toArray(), [0, 0.25, 0.5, 0.75, 1]);
    const odd = ts.linspace(-1, 0.3, 7, { dtype: "float64" });
    assert.equal(odd.data[0], -1);
    assert.equal(odd.data[6], 0.3);
    assertClose(
      odd,
      Array.from({ length: 7 }, (_, i) => -1 + (i * 1.3) / 6),
    );
    assert.deepEqual(ts.linspace(3, 5, 1).toArray(), [3]);
    assert.deepEqual(ts.linspace(3, 5, 0).shape, [0]);
    assert.deepEqual(ts.linspace(5, 3, 3).toArray(), [5, 4, 3]);
    assert.throws(() => ts.linspace(0, 1, -1), {
      name: "ValueError",
      message: /^linspace: num must be a non-negative integer \(got -1\)/,
    });
  });

  test("eye: square, non-square both ways, dtype", () => {
    assert.deepEqual(ts.eye(2).toArray(), [
      [1, 0],
      [0, 1],
    ]);
    assert.deepEqual(ts.eye(2, 3).toArray(), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    assert.deepEqual(ts.eye(3, 2).toArray(), [
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    assert.equal(ts.eye(2, 2, { dtype: "int32" }).dtype, "int32");
    assert.deepEqual(ts.eye(0).shape, [0, 0]);
  });

  test("invalid shapes and unknown dtypes are rejected", () => {
    assert.throws(() => ts.zeros([2, -1]), {
      name: "ShapeError",
      message: /^zeros: dimensions must be non-negative integers \(got \[2,-1\]\)/,
    });
    assert.throws(() => ts.ones([1.5]), {
      name: "ShapeError",
      message: /^ones: dimensions must be non-negative integers/,
    });
    assert.throws(() => ts.zeros([2], { dtype: "float16" as ts.DType }), {
      name: "DTypeError",
      message: /^zeros: unknown dtype "float16" \(expected float32, float64, int32 or bool\)/,
    });
  });
});

describe("random creation", () => {
  test("the same seed gives the same tensors; a local generator is independent of the global one", () => {
    ts.seed(7);
    const a = [ts.rand([4]).toArray(), ts.randn([3, 2]).toArray(), ts.randint(0, 10, [5]).toArray()];
    ts.seed(7);
    const b = [ts.rand([4]).toArray(), ts.randn([3, 2]).toArray(), ts.randint(0, 10, [5]).toArray()];
    assert.deepEqual(a, b);
    ts.seed(7);
    const local = ts.rand([4], { generator: new Generator(99) });
    assert.deepEqual(ts.rand([4]).toArray(), a[0]); // the local draw did not advance the global stream
    assert.deepEqual(local.toArray(), ts.rand([4], { generator: new Generator(99) }).toArray());
  });

  test("ranges, dtypes and options of rand / randn / randint", () => {
    const g = new Generator(3);
    const u = ts.rand([1000], { low: -2, high: 3, generator: g, dtype: "float64" });
    assert.equal(u.dtype, "float64");
    assert.ok(u.data.every((v) => v >= -2 && v < 3));
    const n = ts.randn([2000], { mean: 5, std: 0.5, generator: g });
    const m = ts.mean(n).item();
    assert.ok(Math.abs(m - 5) < 0.05, `mean ${m}`);
    const i = ts.randint(-3, 3, [1000], { generator: g });
    assert.equal(i.dtype, "int32");
    assert.ok(i.data.every((v) => v >= -3 && v < 3));
    assert.deepEqual(new Set(i.data), new Set([-3, -2, -1, 0, 1, 2]));
    assert.equal(ts.rand([2], { requiresGrad: true }).requiresGrad, true);
    assert.throws(() => ts.rand([2], { dtype: "int32" }), {
      name: "DTypeError",
      message: /^rand: dtype must be float32 or float64 \(got int32\)/,
    });
    assert.throws(() => ts.rand([2], { low: 1, high: 0 }), {
      name: "ValueError",
      message: /^rand: expected low <= high/,
    });
    assert.throws(() => ts.randn([2], { std: -1 }), {
      name: "ValueError",
      message: /^randn: std must be non-negative/,
    });
    assert.throws(() => ts.randint(2, 2, [1]), {
      name: "ValueError",
      message: /^randint: expected integers low < high \(got 2 and 2\)/,
    });
    // a bool tensor must hold only 0 and 1; random integers cannot be bool
    assert.throws(() => ts.randint(0, 2, [1], { dtype: "bool" }), {
      name: "DTypeError",
      message: /^randint: dtype must be int32, float32 or float64 \(got bool\)/,
    });
  });
});

describe("reading tensors", () => {
  test("dataSync returns the storage itself; toArray nests; item needs one element", () => {
    const t = ts.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    assert.equal(t.dataSync(), t.data);
    assert.ok(t.dataSync() instanceof Int32Array);
    assert.deepEqual(t.toArray(), [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(ts.zeros([2, 0, 1]).toArray(), [[], []]);
    assert.deepEqual(ts.zeros([1, 1, 1]).toArray(), [[[0]]]);
    assert.equal(ts.tensor([[5]]).item(), 5);
    assert.throws(() => t.item(), {
      name: "ValueError",
      message: /^item: expected a tensor with one element \(got shape \[2,2\]\)/,
    });
  });

  test("at() reads one element with negative indices and checks ranges", () => {
    const t = ts.arange(6).reshape([2, 3]);
    assert.equal(t.at(1, 2), 5);
    assert.equal(t.at(-1, -3), 3);
    assert.equal(ts.scalar(4).at(), 4);
    assert.throws(() => t.at(2, 0), {
      name: "IndexError",
      message: /^at: index 2 is out of range for axis 0 of size 2/,
    });
    assert.throws(() => t.at(0, -4), {
      name: "IndexError",
      message: /^at: index -4 is out of range for axis 1 of size 3/,
    });
    assert.throws(() => t.at(0), { name: "IndexError", message: /^at: expected 2 indices \(got 1\)/ });
    assert.throws(() => t.at(0.5, 0), { name: "IndexError" });
  });
});
