import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../index.js";
import { adadelta, adagrad } from "./index.js";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

describe("adagrad", () => {
  it("has Keras defaults", () => {
    const opt = adagrad();
    assert.deepEqual([opt.learningRate, opt.initialAccumulatorValue, opt.epsilon], [0.001, 0.1, 1e-7]);
  });

  it("acc += g^2 from 0.1; p -= lr g / sqrt(acc + eps)", () => {
    const p = tensor([3], { dtype: "float64" });
    const opt = adagrad({ learningRate: 0.5, params: [p] });
    assert.equal(opt.stateDict().state["0"]!.accumulator![0], 0.1);
    p.grad = tensor([2], { dtype: "float64" });
    opt.step();
    const p1 = 3 - (0.5 * 2) / Math.sqrt(0.1 + 4 + 1e-7);
    close(p.data[0]!, p1);
    p.grad = tensor([-1], { dtype: "float64" });
    opt.step();
    close(p.data[0]!, p1 + 0.5 / Math.sqrt(4.1 + 1 + 1e-7));
  });

  it("accepts the snake_case accumulator option and validates it", () => {
    assert.equal(adagrad({ initial_accumulator_value: 0.5 }).initialAccumulatorValue, 0.5);
    assert.throws(
      () => adagrad({ initialAccumulatorValue: -1 }),
      /Invalid initialAccumulatorValue value: -1/,
    );
  });
});

describe("adadelta", () => {
  it("has Keras defaults", () => {
    const opt = adadelta();
    assert.deepEqual([opt.learningRate, opt.rho, opt.epsilon], [0.001, 0.95, 1e-7]);
  });

  it("follows Zeiler's rule scaled by the learning rate", () => {
    const p = tensor([1], { dtype: "float64" });
    const rho = 0.9;
    const eps = 1e-2;
    const opt = adadelta({ learningRate: 2, rho, epsilon: eps, params: [p] });
    let expected = 1;
    let eg = 0;
    let ed = 0;
    for (const g of [1, -0.5]) {
      p.grad = tensor([g], { dtype: "float64" });
      opt.step();
      eg = rho * eg + (1 - rho) * g * g;
      const delta = -(Math.sqrt(ed + eps) / Math.sqrt(eg + eps)) * g;
      ed = rho * ed + (1 - rho) * delta * delta;
      expected += 2 * delta;
      close(p.data[0]!, expected);
      // first step worked on paper: Eg = 0.1, delta = -sqrt(0.01) / sqrt(0.11) = -0.301511, p = 0.396977
      if (g === 1) close(p.data[0]!, 0.396977, 1e-6);
    }
  });
});
