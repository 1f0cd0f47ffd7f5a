// lstmSequence hands its saved gates back after its backward rule ran, and the next call's forward
// reuses them (ops/recurrent-shared takeSpare / giveSpare). These tests pin down that no graph ever
// reads gates another call has overwritten: a second backward through the same graph recomputes
// them, graphs alive at the same time keep their own, and an unrecorded forward leaves the spare
// usable. Every backend; gradients compared with a graph built and differentiated alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, FLOAT32_TOL } from "../helpers/close.js";

const T = 5;
const B = 3;
const H = 4;

interface Inputs {
  x: ts.Tensor; // (T, B, 4H)
  u: ts.Tensor; // (H, 4H)
  h0: ts.Tensor; // (B, H)
  c0: ts.Tensor; // (B, H)
  weight: ts.Tensor; // (2, T, B, H): the loss is sum(states * weight)
}

function inputs(seed: number): Inputs {
  ts.seed(seed);
  const leaf = (shape: number[], scale: number) => {
    const t = ts.mul(ts.randn(shape), scale);
    t.requiresGrad = true;
    return t;
  };
  return {
    x: leaf([T, B, 4 * H], 1),
    u: leaf([H, 4 * H], 0.5),
    h0: leaf([B, H], 0.5),
    c0: leaf([B, H], 0.5),
    weight: ts.randn([2, T, B, H]),
  };
}

function loss(p: Inputs): ts.Tensor {
  return ts.sum(ts.mul(ts.lstmSequence(p.x, p.u, p.h0, p.c0), p.weight));
}

function grads(p: Inputs): ts.Tensor[] {
  return [p.x, p.u, p.h0, p.c0].map((t) => {
    assert.ok(t.grad !== null);
    return t.grad.clone();
  });
}

function clearGrads(p: Inputs): void {
  for (const t of [p.x, p.u, p.h0, p.c0]) t.grad = null;
}

/** The gradients of a graph built and differentiated on its own. */
function alone(seed: number): ts.Tensor[] {
  const p = inputs(seed);
  ts.backward(loss(p));
  return grads(p);
}

function assertGrads(actual: ts.Tensor[], expected: ts.Tensor[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i]!, expected[i]!, { tol: FLOAT32_TOL });
}

forEachBackend("lstmSequence saved-gate reuse", () => {
  test("a second backward through one graph gives the same gradients again", () => {
    const want = alone(1);
    const p = inputs(1);
    const l = loss(p);
    ts.backward(l);
    assertGrads(grads(p), want);
    // another call's forward takes the gates the first backward gave back, and overwrites them
    const other = inputs(2);
    loss(other);
    clearGrads(p);
    ts.backward(l);
    assertGrads(grads(p), want);
  });

  test("graphs alive at the same time each keep their own gates", () => {
    const wantA = alone(3);
    const wantB = alone(4);
    const a = inputs(3);
    const b = inputs(4);
    const la = loss(a);
    const lb = loss(b);
    ts.backward(lb); // B's gates become the spare ...
    const c = inputs(5);
    const lc = loss(c); // ... and C's forward overwrites them
    ts.backward(la);
    assertGrads(grads(a), wantA);
    assertGrads(grads(b), wantB);
    ts.backward(lc);
    assertGrads(grads(c), alone(5));
  });

  test("an unrecorded forward leaves the spare to the next recorded call", () => {
    const want = alone(6);
    const p = inputs(6);
    const plain = ts.noGrad(() => ts.lstmSequence(p.x, p.u, p.h0, p.c0));
    assert.equal(plain.gradNode, null);
    const l = loss(p);
    assertClose(ts.lstmSequence(p.x, p.u, p.h0, p.c0), plain, { tol: FLOAT32_TOL });
    ts.backward(l);
    assertGrads(grads(p), want);
  });
});
