import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../index.js";
import { sgd } from "./index.js";

const TOL = 1e-12;

function param(values: number[]): Tensor {
  const p = tensor(values, { dtype: "float64" });
  p.requiresGrad = true;
  return p;
}

function setGrad(p: Tensor, values: number[]): void {
  p.grad = tensor(values, { dtype: "float64" });
}

function assertClose(actual: ArrayLike<number>, expected: number[], tol = TOL): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe("sgd", () => {
  it("has Keras defaults", () => {
    const opt = sgd();
    assert.equal(opt.learningRate, 0.01);
    assert.equal(opt.momentum, 0);
    assert.equal(opt.nesterov, false);
  });

  it("plain step: p -= lr * g", () => {
    const p = param([1, -2]);
    const opt = sgd({ learningRate: 0.1, params: [p] });
    setGrad(p, [0.5, -4]);
    opt.step();
    assertClose(p.data, [1 - 0.1 * 0.5, -2 - 0.1 * -4]);
    setGrad(p, [1, 1]);
    opt.step();
    assertClose(p.data, [0.95 - 0.1, -1.6 - 0.1]);
    assert.equal(opt.iterations, 2);
  });

  it("momentum: m = mu*m - lr*g; p += m", () => {
    const p = param([1]);
    const opt = sgd({ learningRate: 0.1, momentum: 0.9, params: [p] });
    setGrad(p, [2]);
    opt.step();
    const m1 = 0.9 * 0 - 0.1 * 2; // -0.2
    assertClose(p.data, [1 + m1]);
    setGrad(p, [-1]);
    opt.step();
    const m2 = 0.9 * m1 - 0.1 * -1; // -0.08
    assertClose(p.data, [1 + m1 + m2]);
  });

  it("nesterov: p += mu*m - lr*g with the updated m", () => {
    const p = param([1]);
    const opt = sgd({ learning_rate: 0.1, momentum: 0.9, nesterov: true, params: [p] });
    setGrad(p, [2]);
    opt.step();
    const m1 = -0.1 * 2;
    const p1 = 1 + (0.9 * m1 - 0.1 * 2); // 1 - 0.18 - 0.2 = 0.62
    assertClose(p.data, [p1]);
    setGrad(p, [-1]);
    opt.step();
    const m2 = 0.9 * m1 + 0.1;
    assertClose(p.data, [p1 + 0.9 * m2 + 0.1]);
  });

  it("rejects momentum outside [0, 1]", () => {
    assert.throws(() => sgd({ momentum: -0.1 }), /sgd: Invalid momentum value: -0.1/);
    assert.throws(() => sgd({ momentum: 1.5 }), /Invalid momentum value: 1.5/);
  });
});
