import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deserializeSchedule, schedules } from "./index.js";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

describe("exponentialDecay", () => {
  it("lr * rate^(step / steps), floored with staircase", () => {
    const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    close(s(0), 0.1);
    close(s(10), 0.05);
    close(s(5), 0.1 * Math.SQRT1_2);
    const stairs = schedules.exponentialDecay({
      initial_learning_rate: 0.1,
      decay_steps: 10,
      decay_rate: 0.5,
      staircase: true,
    } as never);
    close(stairs(9), 0.1);
    close(stairs(25), 0.025);
  });

  it("requires its arguments and a positive decaySteps", () => {
    assert.throws(
      () => schedules.exponentialDecay({ decaySteps: 1, decayRate: 0.5 } as never),
      /exponentialDecay: initialLearningRate is required/,
    );
    assert.throws(
      () => schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 }),
      /decaySteps must be a finite number > 0 \(got 0\)/,
    );
  });
});

describe("piecewiseConstantDecay", () => {
  it("switches after each boundary (inclusive on the left piece)", () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
    assert.deepEqual([s(0), s(100), s(101), s(200), s(201), s(10_000)], [1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it("needs one more value than boundaries, and increasing boundaries", () => {
    assert.throws(
      () => schedules.piecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }),
      /values must have one more entry than boundaries \(got 2 boundaries and 2 values\)/,
    );
    assert.throws(
      () => schedules.piecewiseConstantDecay({ boundaries: [5, 2], values: [1, 2, 3] }),
      /boundaries must be increasing/,
    );
  });
});

describe("polynomialDecay", () => {
  it("decays to endLearningRate and stays there", () => {
    const s = schedules.polynomialDecay({
      initialLearningRate: 1,
      decaySteps: 10,
      endLearningRate: 0.1,
      power: 2,
    });
    close(s(0), 1);
    close(s(5), (1 - 0.1) * 0.25 + 0.1);
    close(s(10), 0.1);
    close(s(50), 0.1);
    close(
      schedules.polynomialDecay({ initialLearningRate: 1, decaySteps: 4 })(2),
      (1 - 0.0001) * 0.5 + 0.0001,
    );
  });

  it("cycle stretches decaySteps to the next multiple above the step", () => {
    const s = schedules.polynomialDecay({
      initialLearningRate: 1,
      decaySteps: 10,
      endLearningRate: 0,
      cycle: true,
    });
    close(s(0), 1);
    close(s(10), 0);
    close(s(15), 1 - 15 / 20); // decay steps become 20
    close(s(21), 1 - 21 / 30);
  });
});

describe("inverseTimeDecay", () => {
  it("lr / (1 + rate * step / steps)", () => {
    const s = schedules.inverseTimeDecay({ initialLearningRate: 0.5, decaySteps: 2, decayRate: 1 });
    close(s(0), 0.5);
    close(s(1), 0.5 / 1.5);
    close(s(4), 0.5 / 3);
    const stairs = schedules.inverseTimeDecay({
      initialLearningRate: 0.5,
      decaySteps: 2,
      decayRate: 1,
      staircase: true,
    });
    close(stairs(3), 0.5 / 2);
  });
});

describe("cosineDecay", () => {
  it("half cosine from the initial rate down to alpha times it", () => {
    const s = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    close(s(0), 1);
    close(s(50), 0.9 * 0.5 + 0.1);
    close(s(100), 0.1);
    close(s(1000), 0.1);
    close(s(25), 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1);
  });

  it("warms up linearly to warmupTarget, then decays from it", () => {
    const s = schedules.cosineDecay({
      initialLearningRate: 0,
      decaySteps: 10,
      warmupTarget: 0.2,
      warmupSteps: 4,
    });
    close(s(0), 0);
    close(s(2), 0.1);
    close(s(4), 0.2);
    close(s(9), 0.2 * 0.5 * (1 + Math.cos(Math.PI * 0.5)));
    close(s(14), 0);
  });
});

describe("cosineDecayRestarts", () => {
  it("restarts with periods tMul longer and peaks mMul lower", () => {
    const s = schedules.cosineDecayRestarts({
      initialLearningRate: 1,
      firstDecaySteps: 10,
      tMul: 2,
      mMul: 0.5,
    });
    close(s(0), 1);
    close(s(5), 0.5);
    close(s(10), 0.5); // second period [10, 30) starts at 0.5
    close(s(20), 0.25); // its middle
    close(s(30), 0.25); // third period [30, 70)
    close(s(50), 0.125);
    close(s(70), 0.125);
  });

  it("with tMul 1 every period has the first length", () => {
    const s = schedules.cosineDecayRestarts({
      initialLearningRate: 2,
      firstDecaySteps: 4,
      tMul: 1,
      alpha: 0.5,
    });
    close(s(4), 2);
    close(s(6), 2 * (0.5 * 0.5 + 0.5));
  });
});

describe("schedule serialization", () => {
  it("getConfig round-trips through deserializeSchedule", () => {
    const original = schedules.cosineDecayRestarts({
      initialLearningRate: 0.3,
      firstDecaySteps: 7,
      mMul: 0.9,
    });
    const config = JSON.parse(JSON.stringify(original.getConfig()));
    assert.equal(config.className, "CosineDecayRestarts");
    const rebuilt = deserializeSchedule(config);
    for (const step of [0, 3, 7, 15, 40]) assert.equal(rebuilt(step), original(step));
    assert.throws(
      () => deserializeSchedule({ className: "StepDecay", config: {} }),
      /unknown schedule "StepDecay"/,
    );
  });
});
