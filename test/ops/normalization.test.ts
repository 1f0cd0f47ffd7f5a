// layerNorm, rmsNorm (fused ops) and gelu: values against a naive float64 definition on every
// backend, agreement with the composed form they replace, float64 gradchecks (x, gamma, beta,
// scale; parameters left out or not requiring gradients) and argument errors.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

/** Naive layer norm (or RMS norm when `rms`) of each row of a [rows, cols] view, in float64. */
function naiveNorm(
  x: ts.Tensor,
  cols: number,
  epsilon: number,
  rms: boolean,
  gamma?: ts.Tensor | null,
  beta?: ts.Tensor | null,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.size / cols; r++) {
    const row = Array.from(x.data.subarray(r * cols, (r + 1) * cols));
    const mu = rms ? 0 : row.reduce((p, v) => p + v, 0) / cols;
    const meanSquare = row.reduce((p, v) => p + (v - mu) ** 2, 0) / cols;
    row.forEach((v, c) => {
      const y = (v - mu) / Math.sqrt(meanSquare + epsilon);
      out.push(y * (gamma ? gamma.data[c]! : 1) + (beta ? beta.data[c]! : 0));
    });
  }
  return out;
}

/** The composed layer norm the layers used before the fused op (and still use for other axes). */
function composedLayerNorm(x: ts.Tensor, gamma: ts.Tensor, beta: ts.Tensor, epsilon: number): ts.Tensor {
  const m = ts.mean(x, -1, { keepDims: true });
  const v = ts.variance(x, -1, { keepDims: true });
  return ts.add(ts.mul(ts.mul(ts.sub(x, m), ts.rsqrt(ts.add(v, epsilon))), gamma), beta);
}

forEachBackend("layerNorm and rmsNorm values", () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`${dtype}: odd widths, with and without gamma/beta, one and two trailing axes`, () => {
      for (const [rows, cols] of [
        [1, 1],
        [3, 7],
        [5, 33],
        [2, 130],
      ] as const) {
        const x = seeded([rows, cols], -3, 5, rows * cols, dtype);
        const gamma = seeded([cols], 0.5, 1.5, 2, dtype);
        const beta = seeded([cols], -1, 1, 3, dtype);
        const expect = (rms: boolean, g: ts.Tensor | null, b: ts.Tensor | null) =>
          ts.tensor(naiveNorm(x, cols, 1e-3, rms, g, b), { dtype }).reshape([rows, cols]);
        assertClose(ts.layerNorm(x, gamma, beta, { epsilon: 1e-3 }), expect(false, gamma, beta));
        assertClose(ts.layerNorm(x, null, beta, { epsilon: 1e-3 }), expect(false, null, beta));
        assertClose(ts.layerNorm(x, gamma, null, { epsilon: 1e-3 }), expect(false, gamma, null));
        assertClose(ts.layerNorm(x, null, null, { epsilon: 1e-3 }), expect(false, null, null));
        assertClose(ts.rmsNorm(x, gamma, { epsilon: 1e-3 }), expect(true, gamma, null));
        assertClose(ts.rmsNorm(x, null, { epsilon: 1e-3 }), expect(true, null, null));
      }
      // two trailing axes: each [3, 4] block is one row of 12
      const x = seeded([2, 3, 4], -2, 2, 9, dtype);
      const gamma = seeded([3, 4], 0.5, 1.5, 10, dtype);
      const got = ts.layerNorm(x, gamma, null, { axis: [-2, -1], epsilon: 1e-5 });
      assertClose(got, ts.tensor(naiveNorm(x, 12, 1e-5, false, gamma), { dtype }).reshape([2, 3, 4]));
      const rms = ts.rmsNorm(x, gamma, { axis: [1, 2] });
      assertClose(rms, ts.tensor(naiveNorm(x, 12, 1e-6, true, gamma), { dtype }).reshape([2, 3, 4]));
    });
  }

  test("matches the composed form (1e-6 float32, 1e-12 float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = seeded([6, 128], -4, 4, 21, dtype);
      const gamma = seeded([128], 0.5, 1.5, 22, dtype);
      const beta = seeded([128], -1, 1, 23, dtype);
      const tol = dtype === "float32" ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-12, rtol: 1e-12 };
      assertClose(ts.layerNorm(x, gamma, beta, { epsilon: 1e-5 }), composedLayerNorm(x, gamma, beta, 1e-5), {
        tol,
      });
      const rms = ts.mul(
        ts.mul(x, ts.rsqrt(ts.add(ts.mean(ts.square(x), -1, { keepDims: true }), 1e-6))),
        gamma,
      );
      assertClose(ts.rmsNorm(x, gamma), rms, { tol });
    }
  });

  test("a constant row normalises to beta; a zero row with epsilon 0 gives NaN like the composition", () => {
    const x = ts.tensor([
      [2, 2, 2],
      [1, 2, 3],
    ]);
    const beta = ts.tensor([0.5, -0.5, 1]);
    const y = ts.layerNorm(x, null, beta, { epsilon: 1e-5 });
    assert.deepEqual(Array.from(y.data.subarray(0, 3)), [0.5, -0.5, 1]); // (x - mean) is exactly 0
    const zero = ts.rmsNorm(ts.zeros([1, 2]), null, { epsilon: 0 });
    assert.ok(Number.isNaN(zero.data[0]!));
  });
});

forEachBackend("gelu values", () => {
  test("exact and tanh forms match the composed definitions", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = seeded([1031], -6, 6, 5, dtype);
      const tol = dtype === "float32" ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-12, rtol: 1e-12 };
      const exact = ts.mul(ts.mul(x, 0.5), ts.add(ts.erf(ts.mul(x, Math.SQRT1_2)), 1));
      assertClose(ts.gelu(x), exact, { tol });
      const inner = ts.mul(ts.add(x, ts.mul(ts.mul(ts.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
      assertClose(ts.gelu(x, true), ts.mul(ts.mul(x, 0.5), ts.add(ts.tanh(inner), 1)), { tol });
    }
  });

  test("gradients far out are 0 (negative side) and 1 (positive side), not NaN", () => {
    for (const approximate of [false, true]) {
      const x = ts.tensor([-1e30, -50, 50, 1e30]);
      x.requiresGrad = true;
      ts.sum(ts.gelu(x, approximate)).backward();
      assertClose(x.grad!, [0, 0, 1, 1]);
    }
  });
});

forEachBackend("gradcheck: layerNorm, rmsNorm, gelu (float64)", () => {
  test("layerNorm in x, gamma and beta; parameters left out", () => {
    const x = uniform64([3, 5], -2, 2, 1);
    const gamma = uniform64([5], 0.5, 1.5, 2);
    const beta = uniform64([5], -1, 1, 3);
    gradcheck((a, g, b) => ts.layerNorm(a, g, b, { epsilon: 1e-3 }), [x, gamma, beta]);
    gradcheck((a) => ts.layerNorm(a, null, null), [x]);
    gradcheck((a, b) => ts.layerNorm(a, null, b), [x, beta]);
    const x3 = uniform64([2, 2, 3], -2, 2, 4);
    const g3 = uniform64([2, 3], 0.5, 1.5, 5);
    gradcheck((a, g) => ts.layerNorm(a, g, null, { axis: [1, 2] }), [x3, g3]);
  });

  test("rmsNorm in x and scale", () => {
    const x = uniform64([4, 6], -2, 2, 6);
    const scale = uniform64([6], 0.5, 1.5, 7);
    gradcheck((a, s) => ts.rmsNorm(a, s, { epsilon: 1e-4 }), [x, scale]);
    gradcheck((a) => ts.rmsNorm(a), [x]);
  });

  test("gelu exact and tanh", () => {
    const x = uniform64([17], -4, 4, 8);
    gradcheck((a) => ts.gelu(a), [x]);
    gradcheck((a) => ts.gelu(a, true), [x]);
  });

  test("a parameter that needs no gradient gets none, and x alone still gets its own", () => {
    const x = uniform64([2, 3], -1, 1, 9);
    x.requiresGrad = true;
    const gamma = ts.ones([3], { dtype: "float64" });
    ts.sum(ts.mul(ts.layerNorm(x, gamma, null), ts.tensor([1, 2, 3], { dtype: "float64" }))).backward();
    assert.equal(gamma.grad, null);
    const plain = uniform64([2, 3], -1, 1, 9);
    plain.requiresGrad = true;
    ts.sum(ts.mul(ts.layerNorm(plain), ts.tensor([1, 2, 3], { dtype: "float64" }))).backward();
    assertClose(x.grad!, plain.grad!);
  });
});

describe("layerNorm and rmsNorm argument errors", () => {
  test("non-trailing axes, wrong parameter shapes, dtypes and ranks", () => {
    withBackend("reference", () => {
      const x = ts.zeros([2, 3, 4]);
      assert.throws(
        () => ts.layerNorm(x, null, null, { axis: 1 }),
        /layerNorm: the normalised axes must be the trailing/,
      );
      assert.throws(
        () => ts.rmsNorm(x, null, { axis: [0, 2] }),
        /rmsNorm: the normalised axes must be the trailing/,
      );
      assert.throws(() => ts.layerNorm(x, ts.ones([3])), /layerNorm: parameters must have shape \[4\]/);
      assert.throws(
        () => ts.layerNorm(x, null, ts.ones([4], { dtype: "float64" })),
        /layerNorm: dtypes differ/,
      );
      assert.throws(
        () => ts.rmsNorm(ts.zeros([2], { dtype: "int32" })),
        /rmsNorm: expected a floating-point/,
      );
      assert.throws(() => ts.layerNorm(ts.scalar(1)), /layerNorm: expected a tensor of rank >= 1/);
      assert.throws(
        () => ts.layerNorm(x, null, null, { epsilon: Number.NaN }),
        /epsilon must be a finite number/,
      );
      // 1-D parameters of the block's size are accepted for a two-axis block
      assert.deepEqual(ts.layerNorm(x, ts.ones([12]), null, { axis: [-2, -1] }).shape, [2, 3, 4]);
    });
  });
});
