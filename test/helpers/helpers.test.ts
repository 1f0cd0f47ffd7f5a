// Tests of the test helpers themselves: gradcheck must fail on a wrong gradient rule, assertClose
// must fail outside its tolerance, and forEachBackend must select each backend in turn.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { record } from "../../src/autograd/backward.js";
import * as ts from "../../src/index.js";
import { getBackend, listBackends, type Tensor } from "../../src/index.js";
import { forEachBackend } from "./backends.js";
import { assertClose, FLOAT32_TOL } from "./close.js";
import { gradcheck, uniform64 } from "./gradcheck.js";

/** y = x^2 recorded with a deliberately wrong rule (3x instead of 2x). */
function badSquare(x: Tensor): Tensor {
  const y = ts.noGrad(() => ts.square(x));
  return record("badSquare", y, [x], (dy) => [ts.mul(dy, ts.mul(x, 3))]);
}

/** y = x^2 recorded with a rule that forgets one element's gradient. */
function leakySquare(x: Tensor): Tensor {
  const y = ts.noGrad(() => ts.square(x));
  return record("leakySquare", y, [x], (dy) => {
    const dx = ts.mul(dy, ts.mul(x, 2));
    dx.data[dx.size - 1] = 0;
    return [dx];
  });
}

describe("gradcheck helper", () => {
  test("passes a correct rule and fails wrong ones, naming the element", () => {
    gradcheck((x) => ts.square(x), [uniform64([3], -1, 1, 1)]);
    assert.throws(
      () => gradcheck(badSquare, [uniform64([3], 0.5, 1, 1)]),
      /gradcheck: input 0 \(shape \[3\]\) element 0/,
    );
    assert.throws(() => gradcheck(leakySquare, [uniform64([4], 0.5, 1, 2)]), /element 3: autograd 0/);
  });

  test("fails when an input's gradient is missing entirely", () => {
    const cut = (x: Tensor) => ts.mul(ts.detach(x), x);
    assert.throws(() => gradcheck(cut, [uniform64([2], 0.5, 1, 3)]), /gradcheck: input 0/);
  });

  test("leaves the caller's inputs untouched and ignores non-float64 inputs", () => {
    const x = uniform64([3], -1, 1, 4);
    const before = Array.from(x.data);
    gradcheck((a, i) => ts.gather(a, i), [x, ts.tensor([2, 0], { dtype: "int32" })]);
    assert.deepEqual(Array.from(x.data), before);
    assert.equal(x.grad, null);
  });
});

describe("assertClose helper", () => {
  test("accepts values within tolerance, NaN for NaN, equal infinities", () => {
    assertClose(ts.tensor([1, Number.NaN, Infinity]), [1 + 1e-7, Number.NaN, Infinity]);
  });

  test("rejects values, shapes and dtypes that differ", () => {
    assert.throws(() => assertClose(ts.tensor([1]), [1.001]), /element 0: got 1, expected 1.001/);
    assert.throws(() => assertClose(ts.tensor([1, 2]), [[1, 2]]), /shape/);
    assert.throws(() => assertClose(ts.tensor([Number.NaN]), [1]), /element 0/);
    assert.throws(() => assertClose(ts.tensor([1]), [Number.NaN]), /element 0/);
    assert.throws(() => assertClose(ts.tensor([Infinity]), [-Infinity]), /element 0/);
    assert.throws(() => assertClose(ts.tensor([1]), [1], { dtype: "float64" }), /dtype/);
    assert.ok(FLOAT32_TOL.rtol > 0);
  });
});

const seen: string[] = [];
forEachBackend("forEachBackend helper", (name) => {
  test("runs the body with that backend selected", () => {
    assert.equal(getBackend(), name);
    seen.push(name);
  });
});

test("forEachBackend visited every registered backend", () => {
  assert.deepEqual([...seen].sort(), [...listBackends()].sort());
});
