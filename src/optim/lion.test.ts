// Lion: Keras defaults and option checks, the update rule against values worked out by hand
// (float64 and float32, weight decay, Math.sign on zeros), the same step through the active
// backend (native where built) as through the rule, and compile({ optimizer: "lion" }) training a
// small regression. The native copy's bit-for-bit parity is in native-update.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tinyRegressionData, tinyRegressor } from "../../test/helpers/tiny-regression.js";
import { ValueError } from "../core/errors.js";
import { getOptimizer, tensor } from "../index.js";
import { lion, lionRule } from "./lion.js";

describe("lion", () => {
  it("has Keras defaults and checks its options", () => {
    const opt = lion();
    assert.deepEqual([opt.learningRate, opt.beta1, opt.beta2], [0.001, 0.9, 0.99]);
    assert.equal(lion({ beta_1: 0.8 }).beta1, 0.8);
    assert.throws(() => lion({ beta2: 1.5 }), ValueError);
    assert.equal(getOptimizer("Lion").className, "Lion");
    assert.equal((getOptimizer("lion") as ReturnType<typeof lion>).beta2, 0.99);
  });

  it("c = b1 m + (1 - b1) g; p -= lr sign(c); m = b2 m + (1 - b2) g", () => {
    const p = new Float64Array([1, -2, 0.5, 3]);
    const g = new Float64Array([0.3, -0.1, 0, 0]);
    const m = new Float64Array([0, 0, 0.2, 0]);
    lionRule(p, g, m, { lr: 0.1, beta1: 0.9, beta2: 0.99, weightDecay: 0 });
    // c = [0.03, -0.01, 0.18, 0]: signs 1, -1, 1 and 0 (a zero c leaves the weight alone)
    assert.deepEqual([...p], [1 - 0.1, -2 + 0.1, 0.5 - 0.1, 3]);
    assert.deepEqual([...m], [(1 - 0.99) * 0.3, (1 - 0.99) * -0.1, 0.99 * 0.2, 0]);
  });

  it("decays first (p - p * decay) and computes float32 parameters in float32", () => {
    const p = new Float32Array([2, -1]);
    const m = new Float32Array([0.5, 0.5]);
    lionRule(p, new Float32Array([1, -1]), m, { lr: 0.01, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
    const f = Math.fround;
    // decayed: p - p * f(0.1); then c = 0.45 + 0.1 g > 0 for both, so each moves by -lr
    const decayed = (v: number) => f(v - f(v * f(0.1)));
    assert.deepEqual([...p], [f(decayed(2) - f(0.01)), f(decayed(-1) - f(0.01))]);
    const momentum = (g: number) => f(f(f(0.99) * 0.5) + f(f(1 - 0.99) * g));
    assert.deepEqual([...m], [momentum(1), momentum(-1)]);
  });

  it("an optimizer step through the active backend equals the rule", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const start = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 2);
      const grads = Array.from({ length: 37 }, (_, i) => Math.cos(3 * i));
      const p = tensor(start, { dtype });
      const opt = lion({ learningRate: 0.05, weightDecay: 0.01, params: [p] });
      const want = (dtype === "float32" ? Float32Array : Float64Array).from(start);
      const m = new (dtype === "float32" ? Float32Array : Float64Array)(37);
      for (let step = 0; step < 3; step++) {
        p.grad = tensor(grads, { dtype });
        opt.step();
        lionRule(want, p.grad.data as Float64Array, m, {
          lr: 0.05,
          beta1: 0.9,
          beta2: 0.99,
          weightDecay: 0.05 * 0.01,
        });
      }
      assert.deepEqual([...p.data], [...want], dtype);
    }
  });

  it('trains by name: compile({ optimizer: "lion" })', async () => {
    const { x, y } = tinyRegressionData();
    const model = tinyRegressor(8, "relu", getOptimizer("lion"));
    model.compile({ optimizer: "lion", loss: "mse" });
    const history = await model.fit(x, y, { epochs: 60, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    // Keras's default lr 0.001 moves each weight by 0.001 a step: slow, but steadily down
    assert.ok(losses.at(-1)! < 0.75 * losses[0]!, `loss ${losses[0]} -> ${losses.at(-1)}`);
  });
});
