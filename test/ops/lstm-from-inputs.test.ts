// lstmFromInputs(x, W, b, U, h0, c0) against its definition lstmSequence(linear(x, W, b), U, h0, c0)
// on every backend: values and the gradient of every input, with and without a bias, finalStates,
// goBackwards, step masks (the composed path), odd batch sizes; a second backward through one
// graph after another call reused the private projection; float64 gradcheck; argument errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { lstmFromInputs } from "../../src/ops/lstm-from-inputs.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, FLOAT32_TOL } from "../helpers/close.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

const T = 4;
const F = 3;
const H = 5;

interface Case {
  batch: number;
  bias: boolean;
  finalStates: boolean;
  goBackwards: boolean;
  masked: boolean;
}

const CASES: Case[] = [
  { batch: 1, bias: true, finalStates: true, goBackwards: false, masked: false },
  { batch: 7, bias: true, finalStates: false, goBackwards: false, masked: false },
  { batch: 17, bias: false, finalStates: true, goBackwards: true, masked: false },
  { batch: 6, bias: true, finalStates: false, goBackwards: true, masked: false },
  { batch: 5, bias: true, finalStates: true, goBackwards: false, masked: true },
];

/** Fresh leaves of one case's inputs (same values for the same seed). */
function leaves(c: Case, seed: number): ts.Tensor[] {
  ts.seed(seed);
  const make = (shape: number[], scale: number) => {
    const t = ts.mul(ts.randn(shape), scale);
    t.requiresGrad = true;
    return t;
  };
  const out = [make([T, c.batch, F], 1), make([F, 4 * H], 0.6)];
  if (c.bias) out.push(make([4 * H], 0.3));
  out.push(make([H, 4 * H], 0.5), make([c.batch, H], 0.5), make([c.batch, H], 0.5));
  return out;
}

/** The op under test (fused) or its definition, on the same leaves. */
function evaluate(c: Case, inputs: ts.Tensor[], fused: boolean, mask: ts.Tensor | null): ts.Tensor {
  const [x, w, ...rest] = inputs as [ts.Tensor, ts.Tensor, ...ts.Tensor[]];
  const b = c.bias ? rest.shift()! : null;
  const [u, h0, c0] = rest as [ts.Tensor, ts.Tensor, ts.Tensor];
  const options = { finalStates: c.finalStates, goBackwards: c.goBackwards, mask };
  return fused
    ? lstmFromInputs(x, w, b, u, h0, c0, options)
    : ts.lstmSequence(ts.linear(x, w, b), u, h0, c0, options);
}

forEachBackend("lstmFromInputs", () => {
  test("equals lstmSequence(linear(x, W, b), ...) in value and every gradient", () => {
    for (const c of CASES) {
      const tag = JSON.stringify(c);
      const mask = c.masked ? ts.greater(ts.rand([c.batch, T]), 0.3) : null;
      const outShape = c.finalStates ? [2, c.batch, H] : [2, T, c.batch, H];
      ts.seed(99);
      const weight = ts.randn(outShape);
      const run = (fused: boolean) => {
        const inputs = leaves(c, 1);
        const y = evaluate(c, inputs, fused, mask);
        assert.deepEqual(y.shape, outShape, tag);
        ts.backward(ts.sum(ts.mul(y, weight)));
        return { y, grads: inputs.map((t) => t.grad!) };
      };
      const want = run(false);
      const got = run(true);
      assertClose(got.y, want.y, { tol: FLOAT32_TOL, message: tag });
      got.grads.forEach((g, i) => {
        assertClose(g, want.grads[i]!, { tol: FLOAT32_TOL, message: `${tag} gradient ${i}` });
      });
    }
  });

  test("a second backward recomputes the projection another call has reused", () => {
    const c = CASES[0]!;
    const inputs = leaves(c, 2);
    const loss = ts.sum(evaluate(c, inputs, true, null));
    ts.backward(loss);
    const first = inputs.map((t) => t.grad!.clone());
    ts.backward(ts.sum(evaluate(c, leaves(c, 3), true, null))); // overwrites the private arrays
    for (const t of inputs) t.grad = null;
    ts.backward(loss);
    inputs.forEach((t, i) => {
      assertClose(t.grad!, first[i]!, { tol: FLOAT32_TOL, message: `input ${i}` });
    });
  });

  test("inputs that need no gradient get none, and the others are still right", () => {
    const c = CASES[1]!;
    const inputs = leaves(c, 4);
    inputs[0]!.requiresGrad = false; // x: data, as in a training step
    ts.backward(ts.sum(evaluate(c, inputs, true, null)));
    assert.equal(inputs[0]!.grad, null);
    const want = leaves(c, 4);
    want[0]!.requiresGrad = false;
    ts.backward(ts.sum(evaluate(c, want, false, null)));
    for (let i = 1; i < inputs.length; i++)
      assertClose(inputs[i]!.grad!, want[i]!.grad!, { tol: FLOAT32_TOL });
  });

  test("rejects inputs that do not fit", () => {
    const u = ts.zeros([2, 8]);
    const h = ts.zeros([3, 2]);
    assert.throws(
      () => lstmFromInputs(ts.zeros([4, 3, 5]), ts.zeros([6, 8]), null, u, h, h),
      /lstmFromInputs: x \(T, B, F\) and input kernel \(F, 4H\) do not fit \(got \[4,3,5\] and \[6,8\]\)/,
    );
    assert.throws(
      () => lstmFromInputs(ts.zeros([4, 3, 5]), ts.zeros([5, 8]), ts.zeros([7]), u, h, h),
      /lstmFromInputs: bias must have shape \[8\] \(got \[7\]\)/,
    );
    assert.throws(
      () => lstmFromInputs(ts.zeros([4, 3, 5]), ts.zeros([5, 8], { dtype: "float64" }), null, u, h, h),
      /lstmFromInputs: dtypes differ/,
    );
    assert.throws(
      () => lstmFromInputs(ts.zeros([4, 3, 5]), ts.zeros([5, 8]), null, u, ts.zeros([2, 2]), h),
      /initial states must be \(3, 2\)/,
    );
  });
});

test("lstmFromInputs gradients match central differences (float64)", () => {
  for (const finalStates of [false, true]) {
    gradcheck(
      (x, w, b, u, h0, c0) =>
        lstmFromInputs(x!, w!, b!, u!, h0!, c0!, { finalStates, goBackwards: finalStates }),
      [
        uniform64([3, 2, 3], -1, 1, 51),
        uniform64([3, 8], -0.8, 0.8, 52),
        uniform64([8], -0.3, 0.3, 53),
        uniform64([2, 8], -0.8, 0.8, 54),
        uniform64([2, 2], -0.5, 0.5, 55),
        uniform64([2, 2], -0.5, 0.5, 56),
      ],
    );
  }
});
