import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../index.js";
import { adam, adamw } from "./index.js";

const TOL64 = 1e-12;
const TOL32 = 1e-6;

function param(values: number[], dtype: "float32" | "float64" = "float64"): Tensor {
  const p = tensor(values, { dtype });
  p.requiresGrad = true;
  return p;
}

function assertClose(actual: ArrayLike<number>, expected: number[], tol = TOL64): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

// Adam by hand for one scalar (Kingma & Ba with Keras's epsilon placement), written out step by step.
function adamByHand(p0: number, grads: number[], lr: number, b1: number, b2: number, eps: number): number[] {
  let p = p0;
  let m = 0;
  let v = 0;
  const out: number[] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    // Keras folds the bias corrections into the step: lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps)
    p = p - (lr * mHat) / (Math.sqrt(vHat) + eps * Math.sqrt(1 / (1 - b2 ** t)));
    out.push(p);
  });
  return out;
}

describe("adam", () => {
  it("has Keras 3 defaults", () => {
    const opt = adam();
    assert.equal(opt.learningRate, 0.001);
    assert.equal(opt.beta1, 0.9);
    assert.equal(opt.beta2, 0.999);
    assert.equal(opt.epsilon, 1e-7);
    assert.equal(opt.amsgrad, false);
    assert.equal(opt.weightDecay, null);
  });

  it("first step moves each coordinate by about lr against the gradient sign", () => {
    const p = param([1, -2]);
    const opt = adam({ learningRate: 0.1, params: [p] });
    p.grad = tensor([0.5, -4], { dtype: "float64" });
    opt.step();
    // step 1: m = 0.1 g, v = 0.001 g^2, alpha = 0.1 * sqrt(0.001) / 0.1
    const alpha = (0.1 * Math.sqrt(1 - 0.999)) / (1 - 0.9);
    const expected = [0.5, -4].map(
      (g, i) => [1, -2][i]! - (alpha * 0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7),
    );
    assertClose(p.data, expected);
    assert.ok(Math.abs(p.data[0]! - 0.9) < 1e-5 && Math.abs(p.data[1]! - -1.9) < 1e-5);
  });

  it("matches the published rule over three steps", () => {
    const grads = [0.3, -0.2, 0.7];
    const p = param([2]);
    const opt = adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, params: [p] });
    const expected = adamByHand(2, grads, 0.05, 0.8, 0.99, 1e-3);
    grads.forEach((g, k) => {
      p.grad = tensor([g], { dtype: "float64" });
      opt.step();
      assertClose(p.data, [expected[k]!]);
    });
  });

  it("float32 parameters update in place with float32 slots", () => {
    const p = param([1], "float32");
    const data = p.data;
    const opt = adam({ learningRate: 0.1, params: [p] });
    p.grad = tensor([0.5], { dtype: "float32" });
    opt.step();
    assert.equal(p.data, data);
    assertClose(p.data, [0.9], TOL32);
    assert.ok(opt.stateDict().state["0"]!.momentum instanceof Float32Array);
  });

  it("amsgrad divides by the running maximum of v", () => {
    const p = param([0]);
    const opt = adam({ learningRate: 0.1, amsgrad: true, epsilon: 0, params: [p] });
    p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    const m1 = 0.1;
    const v1 = 0.001;
    const p1 = 0 - ((0.1 * Math.sqrt(1 - 0.999)) / (1 - 0.9)) * (m1 / Math.sqrt(v1));
    assertClose(p.data, [p1]);
    p.grad = tensor([0.01], { dtype: "float64" });
    opt.step();
    const m2 = 0.9 * m1 + 0.1 * 0.01;
    const v2 = 0.999 * v1 + 0.001 * 0.0001; // smaller than v1, so vHat stays v1
    assert.ok(v2 < v1);
    const alpha2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    assertClose(p.data, [p1 - (alpha2 * m2) / Math.sqrt(v1)]);
    const state = opt.stateDict().state["0"]!;
    assertClose(state.velocityHat!, [v1]);
    assertClose(state.velocity!, [v2]);
  });

  it("rejects betas outside [0, 1) and a negative epsilon", () => {
    assert.throws(() => adam({ beta1: 1 }), /adam: Invalid beta1 value: 1/);
    assert.throws(() => adam({ beta_2: -0.5 }), /Invalid beta2 value: -0.5/);
    assert.throws(() => adam({ epsilon: -1 }), /Invalid epsilon value: -1/);
  });
});

describe("adamw", () => {
  it("defaults weightDecay to 0.004 and decays before the Adam update", () => {
    assert.equal(adamw().weightDecay, 0.004);
    const p = param([2]);
    const opt = adamw({ learningRate: 0.1, weightDecay: 0.5, params: [p] });
    p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    const decayed = 2 - 2 * 0.5 * 0.1; // 1.9
    const alpha = (0.1 * Math.sqrt(0.001)) / 0.1;
    assertClose(p.data, [decayed - (alpha * 0.1) / (Math.sqrt(0.001) + 1e-7)]);
    assert.equal(opt.getConfig().className, "AdamW");
  });

  it("refuses a null weightDecay", () => {
    assert.throws(() => adamw({ weightDecay: null }), /adamw: weightDecay must be a number/);
  });
});
