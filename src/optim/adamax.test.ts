import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../index.js";
import { adamax, nadam } from "./index.js";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

describe("adamax", () => {
  it("has Keras defaults", () => {
    const opt = adamax();
    assert.deepEqual([opt.learningRate, opt.beta1, opt.beta2, opt.epsilon], [0.001, 0.9, 0.999, 1e-7]);
  });

  it("m += (g - m)(1 - b1); u = max(b2 u, |g|); p -= lr m / ((1 - b1^t)(u + eps))", () => {
    const p = tensor([1], { dtype: "float64" });
    const opt = adamax({ learningRate: 0.1, params: [p] });
    p.grad = tensor([0.5], { dtype: "float64" });
    opt.step();
    const p1 = 1 - (0.1 * 0.05) / ((1 - 0.9) * (0.5 + 1e-7)); // about 0.9
    close(p.data[0]!, p1);
    assert.ok(Math.abs(p1 - 0.9) < 1e-6);
    p.grad = tensor([-0.2], { dtype: "float64" });
    opt.step();
    const m2 = 0.9 * 0.05 + 0.1 * -0.2; // 0.025
    const u2 = Math.max(0.999 * 0.5, 0.2); // 0.4995
    close(p.data[0]!, p1 - (0.1 * m2) / ((1 - 0.81) * (u2 + 1e-7)));
  });
});

describe("nadam", () => {
  it("has Keras defaults", () => {
    const opt = nadam();
    assert.deepEqual([opt.learningRate, opt.beta1, opt.beta2, opt.epsilon], [0.001, 0.9, 0.999, 1e-7]);
  });

  it("follows Dozat's rule with the momentum schedule mu_t = b1 (1 - 0.5 * 0.96^t)", () => {
    const lr = 0.05;
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-7;
    const p = tensor([2], { dtype: "float64" });
    const opt = nadam({ learningRate: lr, params: [p] });
    const mu = (t: number): number => b1 * (1 - 0.5 * 0.96 ** t);
    let expected = 2;
    let m = 0;
    let v = 0;
    let product = 1; // mu_1 * ... * mu_t
    [0.4, -0.3, 0.8].forEach((g, k) => {
      const t = k + 1;
      p.grad = tensor([g], { dtype: "float64" });
      opt.step();
      product *= mu(t);
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      const mHat = (mu(t + 1) * m) / (1 - product * mu(t + 1)) + ((1 - mu(t)) * g) / (1 - product);
      const vHat = v / (1 - b2 ** t);
      expected -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      close(p.data[0]!, expected);
    });
    close(opt.stateDict().globals.uProduct!, product);
  });

  it("resumes the momentum-cache product from a stateDict", () => {
    const run = (steps: number[], resumeAt: number | null): number => {
      const p = tensor([1], { dtype: "float64" });
      let opt = nadam({ learningRate: 0.01, params: [p] });
      steps.forEach((g, k) => {
        if (k === resumeAt) {
          const saved = opt.stateDict();
          opt = nadam({ learningRate: 0.01, params: [p] });
          opt.loadStateDict(saved);
        }
        p.grad = tensor([g], { dtype: "float64" });
        opt.step();
      });
      return p.data[0]!;
    };
    const grads = [0.1, -0.4, 0.3, 0.2];
    assert.equal(run(grads, 2), run(grads, null));
  });
});
