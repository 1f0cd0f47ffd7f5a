// lstmSequence hands its saved gates (and, with finalStates, its saved states) back after its
// backward rule ran, and the next call's forward reuses them (ops/recurrent-shared takeSpare /
// giveSpare). These tests pin down that no graph ever reads arrays another call has overwritten: a
// second backward through the same graph recomputes them, graphs alive at the same time keep their
// own, and an unrecorded forward leaves the spare usable; and that finalStates (2, B, H) equals the
// last step of the full result, in value and gradient (float64 gradcheck too), with and without
// masks, forwards and backwards, odd batch sizes. Every backend; gradients compared with a graph
// built and differentiated alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose, FLOAT32_TOL } from "../helpers/close.js";
import { gradcheck, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

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

/** sum(states * weight), states from the full op, or with `finalStates` from the final-states form. */
function loss(p: Inputs, finalStates = false): ts.Tensor {
  if (!finalStates) return ts.sum(ts.mul(ts.lstmSequence(p.x, p.u, p.h0, p.c0), p.weight));
  const finals = ts.lstmSequence(p.x, p.u, p.h0, p.c0, { finalStates: true }); // (2, B, H)
  return ts.sum(ts.mul(finals, ts.slice(p.weight, [null, T - 1])));
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
function alone(seed: number, finalStates = false): ts.Tensor[] {
  const p = inputs(seed);
  ts.backward(loss(p, finalStates));
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

  test("with finalStates: backward twice and graphs alive at once keep their own states", () => {
    const wantA = alone(7, true);
    const wantB = alone(8, true);
    const a = inputs(7);
    const b = inputs(8);
    const la = loss(a, true);
    const lb = loss(b, true);
    ts.backward(lb); // B's gates and states become the spares ...
    loss(inputs(9), true); // ... and this forward overwrites them
    ts.backward(la);
    assertGrads(grads(a), wantA);
    assertGrads(grads(b), wantB);
    clearGrads(b);
    ts.backward(lb); // recomputed
    assertGrads(grads(b), wantB);
  });

  test("calls of other lengths in between neither take nor spoil a spare", () => {
    const want = alone(10, true);
    const p = inputs(10);
    const l = loss(p, true);
    // a shorter sequence (2 steps) between the forward and the backward, and after it
    const short = (seed: number) => {
      const q = inputs(seed);
      const x = ts.slice(q.x, [[0, 2]]);
      ts.backward(ts.sum(ts.lstmSequence(x, q.u, q.h0, q.c0, { finalStates: true })));
    };
    short(11);
    ts.backward(l);
    short(12);
    assertGrads(grads(p), want);
    const again = inputs(10);
    ts.backward(loss(again, true)); // takes the spares the first graph gave back
    assertGrads(grads(again), want);
  });

  test("finalStates equals the last processed step of every step's states, value and gradient", () => {
    for (const goBackwards of [false, true]) {
      for (const batch of [1, 5, 17]) {
        for (const masked of [false, true]) {
          ts.seed(batch);
          const x = ts.randn([T, batch, 4 * H]);
          const u = ts.mul(ts.randn([H, 4 * H]), 0.5);
          const h0 = ts.mul(ts.randn([batch, H]), 0.5);
          const c0 = ts.mul(ts.randn([batch, H]), 0.5);
          const mask = masked ? ts.greater(ts.rand([batch, T]), 0.3) : null;
          const w = ts.randn([2, batch, H]);
          const last = goBackwards ? 0 : T - 1;
          const tag = `goBackwards ${goBackwards}, B ${batch}, mask ${masked}`;
          const run = (finalStates: boolean) => {
            const leaves = [x, u, h0, c0].map((t) => {
              const leaf = t.clone();
              leaf.requiresGrad = true;
              return leaf;
            });
            const [xl, ul, hl, cl] = leaves as [ts.Tensor, ts.Tensor, ts.Tensor, ts.Tensor];
            const opts = { goBackwards, mask, finalStates };
            const out = ts.lstmSequence(xl, ul, hl, cl, opts);
            const finals = finalStates ? out : ts.slice(out, [null, last]);
            assert.deepEqual(finals.shape, [2, batch, H], tag);
            ts.backward(ts.sum(ts.mul(finals, w)));
            return { finals, grads: leaves.map((l) => l.grad!) };
          };
          const want = run(false);
          const got = run(true);
          assertClose(got.finals, want.finals, { tol: FLOAT32_TOL, message: tag });
          got.grads.forEach((g, i) => {
            assertClose(g, want.grads[i]!, { tol: FLOAT32_TOL, message: `${tag} gradient ${i}` });
          });
        }
      }
    }
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

test("finalStates gradients match central differences (float64)", () => {
  for (const goBackwards of [false, true]) {
    gradcheck(
      (x, u, h0, c0) => ts.lstmSequence(x!, u!, h0!, c0!, { goBackwards, finalStates: true }),
      [
        uniform64([4, 3, 8], -1, 1, 31),
        uniform64([2, 8], -0.8, 0.8, 32),
        uniform64([3, 2], -0.5, 0.5, 33),
        uniform64([3, 2], -0.5, 0.5, 34),
      ],
    );
  }
});

// a createGraph pass differentiates the composed form, cut to the final states the same way
secondOrderSuite("lstmSequence finalStates", [
  [
    "lstmSequence (finalStates)",
    (x, k, h0, c0) => ts.lstmSequence(x, k, h0, c0, { finalStates: true }),
    [
      uniform64([3, 2, 8], -0.8, 0.8, 41),
      uniform64([2, 8], -0.8, 0.8, 42),
      uniform64([2, 2], -0.8, 0.8, 43),
      uniform64([2, 2], -0.8, 0.8, 44),
    ],
  ],
  [
    "lstmSequence (finalStates, goBackwards)",
    (x, k, h0, c0) => ts.lstmSequence(x, k, h0, c0, { finalStates: true, goBackwards: true }),
    [
      uniform64([3, 2, 8], -0.8, 0.8, 45),
      uniform64([2, 8], -0.8, 0.8, 46),
      uniform64([2, 2], -0.8, 0.8, 47),
      uniform64([2, 2], -0.8, 0.8, 48),
    ],
  ],
]);
