import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../index.js";
import { rmsprop } from "./index.js";

function param(v: number): Tensor {
  const p = tensor([v], { dtype: "float64" });
  p.requiresGrad = true;
  return p;
}
function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${actual} vs ${expected}`);
}

describe("rmsprop", () => {
  it("has Keras defaults", () => {
    const opt = rmsprop();
    assert.deepEqual(
      [opt.learningRate, opt.rho, opt.momentum, opt.epsilon, opt.centered],
      [0.001, 0.9, 0, 1e-7, false],
    );
  });

  it("plain: v = rho v + (1 - rho) g^2; p -= lr g / sqrt(v + eps)", () => {
    const p = param(1);
    const opt = rmsprop({ learningRate: 0.01, params: [p] });
    p.grad = tensor([0.5], { dtype: "float64" });
    opt.step();
    const v1 = 0.1 * 0.25;
    const p1 = 1 - (0.01 * 0.5) / Math.sqrt(v1 + 1e-7);
    close(p.data[0]!, p1);
    p.grad = tensor([-1], { dtype: "float64" });
    opt.step();
    const v2 = 0.9 * v1 + 0.1 * 1;
    close(p.data[0]!, p1 + 0.01 / Math.sqrt(v2 + 1e-7));
  });

  it("centered subtracts the squared mean gradient", () => {
    const p = param(1);
    const opt = rmsprop({ learningRate: 0.01, centered: true, params: [p] });
    p.grad = tensor([0.5], { dtype: "float64" });
    opt.step();
    const v = 0.1 * 0.25; // 0.025
    const a = 0.1 * 0.5; // 0.05
    close(p.data[0]!, 1 - (0.01 * 0.5) / Math.sqrt(v - a * a + 1e-7));
    assert.deepEqual(Object.keys(opt.stateDict().state["0"]!), ["velocity", "averageGradient"]);
  });

  it("momentum accumulates the scaled steps", () => {
    const p = param(0);
    const opt = rmsprop({ learningRate: 0.1, momentum: 0.5, epsilon: 0, params: [p] });
    p.grad = tensor([2], { dtype: "float64" });
    opt.step();
    const inc1 = (0.1 * 2) / Math.sqrt(0.1 * 4);
    close(p.data[0]!, -inc1);
    p.grad = tensor([2], { dtype: "float64" });
    opt.step();
    const inc2 = (0.1 * 2) / Math.sqrt(0.9 * 0.4 + 0.1 * 4);
    close(p.data[0]!, -inc1 - (0.5 * inc1 + inc2));
  });

  it("validates rho, momentum and epsilon", () => {
    assert.throws(() => rmsprop({ rho: 1.1 }), /rmsprop: Invalid rho value: 1.1/);
    assert.throws(() => rmsprop({ momentum: -1 }), /Invalid momentum value: -1/);
    assert.throws(() => rmsprop({ epsilon: -1e-7 }), /Invalid epsilon value: -1e-7/);
  });
});
