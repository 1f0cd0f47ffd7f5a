// Autograd behaviour: accumulation into .grad, repeated use of a tensor, upstream gradients,
// the non-scalar error, noGrad / enableGrad, detach, grad() / valueAndGrad(), zeroGrad, and
// that gradients never alias each other or the caller's tensors.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { GradError, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/close.js";

function gradOf(t: Tensor): Tensor {
  assert.ok(t.grad !== null, "expected a gradient");
  return t.grad;
}

describe("autograd: accumulation and graph walking", () => {
  test("two backward calls accumulate into .grad; zeroGrad clears it", () => {
    const w = ts.tensor([1, -2, 3], { requiresGrad: true });
    ts.sum(ts.square(w)).backward();
    assertClose(gradOf(w), [2, -4, 6]);
    ts.sum(ts.mul(w, 3)).backward();
    assertClose(gradOf(w), [5, -1, 9]);
    w.zeroGrad();
    assert.equal(w.grad, null);
    const v = ts.tensor([1], { requiresGrad: true });
    ts.sum(v).backward();
    ts.zeroGrad([w, v]);
    assert.equal(v.grad, null);
  });

  test("x * x and x used in two branches sum both paths", () => {
    const x = ts.tensor([2, -3], { dtype: "float64", requiresGrad: true });
    ts.sum(ts.mul(x, x)).backward();
    assertClose(gradOf(x), [4, -6]);
    const u = ts.tensor([0.5, 2], { dtype: "float64", requiresGrad: true });
    const shared = ts.mul(u, 2); // an intermediate used twice
    ts.sum(ts.add(ts.exp(shared), ts.mul(shared, u))).backward();
    // d/du [e^{2u} + 2u^2] = 2 e^{2u} + 4u
    assertClose(gradOf(u), [2 * Math.exp(1) + 2, 2 * Math.exp(4) + 8]);
  });

  test("a diamond-shaped graph visits the shared node once", () => {
    const x = ts.tensor([1.5], { dtype: "float64", requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20; i++) y = ts.add(ts.mul(y, 0.5), ts.mul(y, 0.5)); // y stays x
    ts.sum(y).backward();
    assertClose(gradOf(x), [1]);
  });

  test("a deep chain does not overflow the stack", () => {
    const x = ts.tensor([1], { dtype: "float64", requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = ts.add(y, 1e-3);
    ts.sum(y).backward();
    assertClose(gradOf(x), [1]);
  });

  test("backward with an upstream gradient weights each output", () => {
    const x = ts.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const y = ts.mul(x, x);
    y.backward(
      ts.tensor([
        [1, 0],
        [-1, 0.5],
      ]),
    );
    assertClose(gradOf(x), [
      [2, 0],
      [-6, 4],
    ]);
  });

  test("backward on a leaf sets its gradient to ones", () => {
    const x = ts.tensor([3.5], { requiresGrad: true });
    x.backward();
    assertClose(gradOf(x), [1]);
  });

  test("backward on a non-scalar without an upstream gradient is a GradError naming the shape", () => {
    const x = ts.tensor([1, 2], { requiresGrad: true });
    assert.throws(
      () => ts.mul(x, 2).backward(),
      (e: unknown) => {
        assert.ok(e instanceof GradError);
        assert.match(
          e.message,
          /^backward: a gradient can only be implied for a scalar output \(got shape \[2\]\)/,
        );
        return true;
      },
    );
  });

  test("only tensors that require a gradient receive one", () => {
    const a = ts.tensor([1, 2], { requiresGrad: true });
    const b = ts.tensor([3, 4]);
    ts.sum(ts.mul(a, b)).backward();
    assertClose(gradOf(a), [3, 4]);
    assert.equal(b.grad, null);
  });

  test("gradients of different leaves and of the upstream gradient are separate arrays", () => {
    // in-place updates of one .grad (clipping, optimizers) must not change another
    const a = ts.tensor([1, 2], { requiresGrad: true });
    const b = ts.tensor([3, 4], { requiresGrad: true });
    ts.sum(ts.add(a, b)).backward();
    assert.notEqual(gradOf(a).data, gradOf(b).data);
    const x = ts.tensor([1, 2], { requiresGrad: true });
    const upstream = ts.tensor([5, 6]);
    ts.reshape(ts.reshape(x, [2, 1]), [2]).backward(upstream);
    assert.notEqual(gradOf(x).data, upstream.data);
    gradOf(x).data[0] = 100;
    assert.deepEqual(upstream.toArray(), [5, 6]);
  });
});

describe("autograd: modes, detach and functional transforms", () => {
  test("noGrad records nothing and restores the mode, even after a throw", () => {
    const x = ts.tensor([1, 2], { requiresGrad: true });
    const y = ts.noGrad(() => ts.mul(x, 2));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradNode, null);
    assert.throws(() =>
      ts.noGrad(() => {
        throw new Error("boom");
      }),
    );
    assert.equal(ts.isGradEnabled(), true);
    const z = ts.noGrad(() => ts.enableGrad(() => ts.mul(x, 2)));
    assert.equal(z.requiresGrad, true);
  });

  test("detach shares data and cuts the graph", () => {
    const x = ts.tensor([1, 2], { requiresGrad: true });
    const y = ts.mul(x, 3);
    const d = y.detach();
    assert.equal(d.requiresGrad, false);
    assert.equal(d.gradNode, null);
    assert.equal(d.data, y.data);
    const out = ts.sum(ts.add(ts.mul(d, x), y));
    out.backward();
    // d is a constant [3, 6]: d/dx (d*x + 3x) = d + 3
    assertClose(gradOf(x), [6, 9]);
  });

  test("grad() returns one gradient per argument without touching the arguments", () => {
    const f = ts.grad((a: Tensor, b: Tensor) => ts.sum(ts.mul(ts.square(a), b)));
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([3, -1]);
    const [da, db] = f(a, b);
    assertClose(da!, [6, -4]);
    assertClose(db!, [1, 4]);
    assert.equal(a.requiresGrad, false);
    assert.equal(a.grad, null);
  });

  test("valueAndGrad returns the value (detached) and works inside noGrad", () => {
    const f = ts.valueAndGrad((x: Tensor) => ts.sum(ts.exp(x)));
    const { value, grads } = ts.noGrad(() => f(ts.tensor([0, 1], { dtype: "float64" })));
    assertClose(value, 1 + Math.E);
    assert.equal(value.requiresGrad, false);
    assertClose(grads[0]!, [1, Math.E]);
  });

  test("valueAndGrad raises for an argument the value does not depend on, zeros with allowUnused", () => {
    const body = (x: Tensor, _y: Tensor) => ts.sum(x);
    assert.throws(() => ts.valueAndGrad(body)(ts.tensor([1, 2]), ts.tensor([[1, 2, 3]])), {
      name: "GradError",
      message:
        /valueAndGrad: cannot differentiate with respect to argument 1 \(shape \[1,3\]\): the output does not depend on it; pass \{ allowUnused: true \}/,
    });
    const { grads } = ts.valueAndGrad(body, { allowUnused: true })(ts.tensor([1, 2]), ts.tensor([[1, 2, 3]]));
    assertClose(grads[0]!, [1, 1]);
    assertClose(grads[1]!, [[0, 0, 0]]);
  });

  test("grad() and valueAndGrad() leave the .grad of closed-over parameters alone", () => {
    // a function of x that closes over a trainable weight: only d/dx is asked for
    const w = ts.tensor([1, 2], { requiresGrad: true });
    const f = ts.valueAndGrad((x: Tensor) => ts.sum(ts.mul(ts.square(x), w)));
    const { grads } = f(ts.tensor([3, 4]));
    assertClose(grads[0]!, [6, 16]);
    assert.equal(w.grad, null);
    ts.grad((x: Tensor) => ts.sum(ts.mul(x, w)))(ts.tensor([1, 1]));
    assert.equal(w.grad, null);
  });

  test("valueAndGrad rejects a non-scalar result and integer arguments", () => {
    assert.throws(() => ts.valueAndGrad((x: Tensor) => ts.mul(x, 2))(ts.tensor([1, 2])), {
      name: "GradError",
      message: /valueAndGrad: the function must return a tensor with exactly one element/,
    });
    assert.throws(() => ts.grad((x: Tensor) => ts.sum(x))(ts.tensor([1], { dtype: "int32" })), {
      name: "GradError",
      message: /grad: argument 0 must be a floating-point tensor \(got int32\)/,
    });
  });

  test("integer and bool results never require a gradient", () => {
    const x = ts.tensor([1.5, -2], { requiresGrad: true });
    assert.equal(ts.greater(x, 0).requiresGrad, false);
    assert.equal(ts.argmax(x).requiresGrad, false);
    assert.equal(ts.cast(x, "int32").requiresGrad, false);
  });
});
