import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { mul, square, sub, sum, type Tensor, tensor } from "../index.js";
import { adam, getOptimizer, schedules, sgd } from "./index.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { readOptions } from "./options.js";

const TOL = 1e-12;

function param(values: number[]): Tensor {
  const p = tensor(values, { dtype: "float64" });
  p.requiresGrad = true;
  return p;
}

function grad(values: number[]): Tensor {
  return tensor(values, { dtype: "float64" });
}

function assertClose(actual: ArrayLike<number>, expected: number[], tol = TOL): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe("Optimizer argument validation", () => {
  it("rejects a negative or non-finite learning rate", () => {
    assert.throws(() => sgd({ learningRate: -1 }), /sgd: Invalid learning rate: -1/);
    assert.throws(() => adam({ learningRate: Number.NaN }), /adam: Invalid learning rate: NaN/);
    assert.throws(() => adam({ learningRate: "0.1" as unknown as number }), /Invalid learning rate: 0.1/);
  });

  it("rejects negative clipping and weight decay values", () => {
    assert.throws(() => sgd({ clipNorm: -1 }), /sgd: Invalid clipNorm value: -1/);
    assert.throws(() => sgd({ clipvalue: -2 }), /Invalid clipValue value: -2/);
    assert.throws(() => adam({ weightDecay: -0.1 }), /adam: Invalid weight decay value: -0.1/);
  });

  it("accepts only one clipping option", () => {
    assert.throws(
      () => adam({ clipNorm: 1, clipValue: 0.5 }),
      /Only one of clipNorm, clipValue and globalClipNorm can be set \(got clipNorm=1, clipValue=0.5\)/,
    );
  });

  it("rejects unknown options and names given twice", () => {
    assert.throws(() => adam({ lr: 0.1 } as never), /adam: unknown option "lr"/);
    assert.throws(
      () => adam({ learningRate: 0.1, learning_rate: 0.2 }),
      /option "learningRate" given twice \(as "learningRate" and "learning_rate"\)/,
    );
  });

  it("rejects non-float and repeated parameters", () => {
    assert.throws(() => sgd({ params: [tensor([1, 2], { dtype: "int32" })] }), /params\[0\] must be float32/);
    const p = param([1]);
    assert.throws(() => sgd({ params: [p, p] }), /params\[1\] appears more than once/);
  });
});

describe("Optimizer step mechanics", () => {
  it("skips parameters without a gradient and counts iterations", () => {
    const a = param([1]);
    const b = param([5]);
    const opt = sgd({ learningRate: 0.5, params: [a, b] });
    a.grad = grad([2]);
    opt.step();
    assertClose(a.data, [1 - 0.5 * 2]);
    assertClose(b.data, [5]);
    assert.equal(opt.iterations, 1);
    opt.zeroGrad();
    assert.equal(a.grad, null);
  });

  it("clipNorm scales each gradient to at most that L2 norm", () => {
    const a = param([0, 0]);
    const b = param([0]);
    const opt = sgd({ learningRate: 1, clipNorm: 1, params: [a, b] });
    a.grad = grad([3, 4]); // norm 5 -> scaled by 1/5
    b.grad = grad([0.5]); // norm 0.5 -> unchanged
    opt.step();
    assertClose(a.data, [-3 / 5, -4 / 5]);
    assertClose(b.data, [-0.5]);
    assertClose(a.grad.data, [3, 4]); // the gradient itself is left alone
  });

  it("globalClipNorm scales all gradients by the joint norm", () => {
    const a = param([0, 0]);
    const b = param([0]);
    const opt = sgd({ learningRate: 1, globalClipNorm: 6.5, params: [a, b] });
    a.grad = grad([3, 4]);
    b.grad = grad([12]); // joint norm sqrt(9 + 16 + 144) = 13
    opt.step();
    const s = 6.5 / 13;
    assertClose(a.data, [-3 * s, -4 * s]);
    assertClose(b.data, [-12 * s]);
  });

  it("clipValue clamps each element", () => {
    const a = param([0, 0, 0]);
    const opt = sgd({ learningRate: 1, clip_value: 0.5, params: [a] } as never);
    a.grad = grad([-2, 0.25, 9]);
    opt.step();
    assertClose(a.data, [0.5, -0.25, -0.5]);
  });

  it("weight decay uses the step's learning rate and honours exclusions", () => {
    const w = param([2]);
    const bias = param([2]);
    const opt = sgd({ learningRate: 0.1, weightDecay: 0.5, params: [w, bias] });
    opt.excludeFromWeightDecay([bias]);
    w.grad = grad([1]);
    bias.grad = grad([1]);
    opt.step();
    assertClose(w.data, [2 - 2 * 0.5 * 0.1 - 0.1 * 1]);
    assertClose(bias.data, [2 - 0.1 * 1]);
  });

  it("evaluates a schedule at iterations and lets setLearningRate replace it", () => {
    const p = param([0]);
    const lr = schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 });
    const opt = sgd({ learningRate: lr, params: [p] });
    const deltas: number[] = [];
    for (let k = 0; k < 3; k++) {
      const before = p.data[0]!;
      p.grad = grad([1]);
      opt.step();
      deltas.push(before - p.data[0]!);
    }
    assertClose(deltas, [1, 0.5, 0.25]);
    assert.equal(opt.learningRate, 0.125);
    opt.setLearningRate(0.01);
    assert.equal(opt.learningRate, 0.01);
    assert.throws(() => opt.setLearningRate(-1), /Invalid learning rate: -1/);
  });
});

describe("attach", () => {
  it("keeps the slots of parameters attached before and starts new ones fresh", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = sgd({ learningRate: 0.1, momentum: 0.5, params: [a] });
    a.grad = grad([1]);
    opt.step();
    opt.attach([b, a]);
    const state = opt.stateDict().state;
    assert.equal(state["0"]!.momentum![0], 0);
    assert.ok(Math.abs(state["1"]!.momentum![0]! - -0.1) < 1e-15);
  });
});

describe("custom training loop", () => {
  it("loss.backward(); step(); zeroGrad() lowers a quadratic to its minimum", () => {
    const target = tensor([3, -1], { dtype: "float64" });
    const w = param([0, 0]);
    const opt = adam({ learningRate: 0.1, params: [w] });
    const loss = (): Tensor => sum(square(sub(w, target)));
    const first = loss().item();
    for (let k = 0; k < 300; k++) {
      const l = loss();
      l.backward();
      opt.step();
      opt.zeroGrad();
    }
    const last = loss().item();
    assert.ok(first === 10 && last < 1e-4, `loss ${first} -> ${last}`);
    assertClose(w.data, [3, -1], 1e-2);
  });
});

describe("stateDict", () => {
  function train(opt: Optimizer, w: Tensor, steps: number): void {
    for (let k = 0; k < steps; k++) {
      const l = sum(mul(square(sub(w, 1)), tensor([1, 3], { dtype: "float64" })));
      l.backward();
      opt.step();
      opt.zeroGrad();
    }
  }

  it("round-trips and resumes identically", () => {
    const wA = param([4, -2]);
    const optA = adam({ learningRate: 0.05, amsgrad: true, params: [wA] });
    train(optA, wA, 5);
    const saved = optA.stateDict();
    const savedW = Array.from(wA.data);
    assert.equal(saved.iterations, 5);
    assert.deepEqual(Object.keys(saved.state["0"]!), ["momentum", "velocity", "velocityHat"]);
    train(optA, wA, 5);

    const wB = param(savedW);
    const optB = adam({ learningRate: 0.05, amsgrad: true, params: [wB] });
    optB.loadStateDict(structuredClone(saved));
    train(optB, wB, 5);
    assert.deepEqual(Array.from(wB.data), Array.from(wA.data));
    assert.equal(optB.iterations, 10);
  });

  it("is a snapshot, and can be loaded before the parameters are attached", () => {
    const w = param([1]);
    const opt = sgd({ learningRate: 0.1, momentum: 0.9, params: [w] });
    train(opt, w, 2);
    const saved = opt.stateDict();
    const momentum = saved.state["0"]!.momentum![0]!;
    train(opt, w, 1);
    assert.equal(saved.state["0"]!.momentum![0], momentum);

    const fresh = sgd({ learningRate: 0.1, momentum: 0.9 });
    fresh.loadStateDict(saved);
    assert.equal(fresh.iterations, 2);
    const w2 = param([1]);
    fresh.attach([w2]);
    assert.equal(fresh.stateDict().state["0"]!.momentum![0], momentum);
  });

  it("restores a learning rate changed by a callback", () => {
    const opt = adam({ learningRate: 0.1 });
    opt.setLearningRate(0.025);
    const other = adam({ learningRate: 0.1 });
    other.loadStateDict(opt.stateDict());
    assert.equal(other.learningRate, 0.025);
  });

  it("rejects state for another optimizer or other parameters", () => {
    const w = param([1, 2]);
    const opt = adam({ params: [w] });
    assert.throws(
      () => sgd({ params: [param([1])] }).loadStateDict(opt.stateDict()),
      /state is for Adam, not SGD/,
    );
    const other = adam({ params: [param([1, 2, 3])] });
    assert.throws(() => other.loadStateDict(opt.stateDict()), /slot "momentum" of parameter 0 has 2 values/);
  });
});

describe("getOptimizer and getConfig", () => {
  it("builds fresh optimizers with Keras defaults by name", () => {
    assert.equal(getOptimizer("adam").learningRate, 0.001);
    assert.equal(getOptimizer("SGD").learningRate, 0.01);
    assert.equal(getOptimizer("AdamW").weightDecay, 0.004);
    assert.notEqual(getOptimizer("adam"), getOptimizer("adam"));
    assert.throws(() => getOptimizer("adamx"), /getOptimizer: unknown optimizer "adamx"/);
  });

  it("returns an instance unchanged and round-trips a config with a schedule", () => {
    const opt = adam({ learningRate: 0.01 });
    assert.equal(getOptimizer(opt), opt);
    const lr = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    const withSchedule = adam({ learningRate: lr, beta1: 0.8, clipNorm: 2 });
    const config = withSchedule.getConfig();
    assert.equal(config.className, "Adam");
    assert.deepEqual(config.config.learningRate, {
      className: "CosineDecay",
      config: {
        initialLearningRate: 0.1,
        decaySteps: 100,
        alpha: 0,
        warmupTarget: null,
        warmupSteps: 0,
        name: "CosineDecay",
      },
    });
    const rebuilt = getOptimizer(JSON.parse(JSON.stringify(config)));
    assert.deepEqual(rebuilt.getConfig(), config);
    assert.equal(rebuilt.learningRate, 0.1);
  });

  it("accepts Keras snake_case config keys", () => {
    const opt = getOptimizer({
      className: "Adam",
      config: { learning_rate: 0.02, beta_1: 0.5, clipnorm: 1 },
    });
    assert.equal(opt.learningRate, 0.02);
    assert.equal((opt.getConfig().config as { beta1: number }).beta1, 0.5);
    assert.equal(opt.clipNorm, 1);
  });
});

describe("an optimizer subclass that does not fuse weight decay", () => {
  // Plain gradient descent written as a user would: the base class must apply the decoupled
  // weight decay (p -= p lr wd) before calling updateParam, and pass it decay 0.
  class PlainDescent extends Optimizer {
    readonly className = "PlainDescent";
    readonly decays: number[] = [];
    constructor(options: OptimizerOptions = {}) {
      super("plainDescent", readOptions("plainDescent", options, BASE_OPTION_ALIASES), { learningRate: 0.1 });
      this.attachPending();
    }
    protected slotSpecs(): readonly SlotSpec[] {
      return [];
    }
    protected updateParam(
      p: FloatArray,
      g: TypedArray,
      _slots: FloatArray[],
      lr: number,
      decay: number,
    ): void {
      this.decays.push(decay);
      for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * g[i]!;
    }
    protected hyperConfig(): Record<string, unknown> {
      return {};
    }
  }

  it("applies p -= p lr wd itself, then the subclass's update", () => {
    const p = param([1, -2, 4]);
    const opt = new PlainDescent({ learningRate: 0.1, weightDecay: 0.5, params: [p] });
    p.grad = grad([1, 1, -1]);
    opt.step();
    // decay factor 0.1 * 0.5 = 0.05: p (1 - 0.05) - 0.1 g
    assertClose(p.data, [0.95 - 0.1, -1.9 - 0.1, 3.8 + 0.1]);
    assert.deepEqual(opt.decays, [0]);
  });
});
