// optim/lion: Lion, the sign-momentum optimizer found by program search (Chen et al. 2023,
// "Symbolic Discovery of Optimization Algorithms"), with Keras 3's defaults (learningRate 0.001,
// beta1 0.9, beta2 0.99). One momentum slot; every step moves each weight by exactly lr.
// The update rule below is the specification; native/src/optim-isa.inc (lionRun) is its fused copy.

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export interface LionOptions extends OptimizerOptions {
  /** Interpolation between momentum and gradient for the update's sign. Default 0.9. Alias `beta_1`. */
  beta1?: number;
  beta_1?: number;
  /** Decay of the momentum. Default 0.99. Alias `beta_2`. */
  beta2?: number;
  beta_2?: number;
}

/** Lion's scalars and the step's decoupled weight decay (lr x weightDecay). */
export interface LionParams {
  lr: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
}

/**
 * The Lion update rule on one parameter (see optim/update-rule for precision and decay):
 *   c = beta1 m + (1 - beta1) g;  p -= lr sign(c);  m = beta2 m + (1 - beta2) g
 * sign is Math.sign (0 stays 0, so a zero gradient on a zero momentum leaves p alone).
 */
export function lionRule(param: FloatArray, grad: FloatArray, m: FloatArray, p: LionParams): void {
  decayAll(param, p.weightDecay);
  if (param instanceof Float32Array) {
    const [lr, b1, omb1, b2, omb2] = [f(p.lr), f(p.beta1), f(1 - p.beta1), f(p.beta2), f(1 - p.beta2)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const mOld = f(m[i]!);
      const c = f(f(b1 * mOld) + f(omb1 * g));
      param[i] = param[i]! - f(lr * Math.sign(c));
      m[i] = f(f(b2 * mOld) + f(omb2 * g));
    }
    return;
  }
  const { lr, beta1, beta2 } = p;
  const [omb1, omb2] = [1 - beta1, 1 - beta2];
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mOld = m[i]!;
    const c = beta1 * mOld + omb1 * g;
    param[i] = param[i]! - lr * Math.sign(c);
    m[i] = beta2 * mOld + omb2 * g;
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const LION_UPDATE: OptimizerUpdate<typeof lionRule> = {
  name: "lion",
  reference: lionRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = p.beta1;
    k[2] = 1 - p.beta1;
    k[3] = p.beta2;
    k[4] = 1 - p.beta2;
    k[5] = p.weightDecay;
  },
};

/** Lion's update as the optimizer runs it: the backend's fused copy (native lionUpdate) or lionRule. */
const runLion = defineOptimizerUpdate(LION_UPDATE);

/** One Lion step on one parameter (no weight decay). */
export function lionUpdate(
  param: FloatArray,
  grad: TypedArray,
  m: FloatArray,
  lr: number,
  beta1: number,
  beta2: number,
): void {
  runLion(param, asFloat(grad), m, { lr, beta1, beta2, weightDecay: 0 });
}

/** Lion (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.99). */
export class Lion extends Optimizer {
  readonly className = "Lion";
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    const owner = "lion";
    const o = readOptions(owner, options, { ...BASE_OPTION_ALIASES, beta1: ["beta_1"], beta2: ["beta_2"] });
    super(owner, o, { learningRate: 0.001 });
    this.beta1 = checkRange(owner, "beta1", numberOption(owner, o, "beta1", 0.9), 0, 1);
    this.beta2 = checkRange(owner, "beta2", numberOption(owner, o, "beta2", 0.99), 0, 1);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: "momentum", initialValue: 0 }];
  }

  /** Scalars handed to the update, reused every step. */
  private readonly hyper: LionParams = { lr: 0, beta1: 0, beta2: 0, weightDecay: 0 };

  protected override fusesWeightDecay(): boolean {
    return true;
  }

  protected updateParam(
    param: FloatArray,
    grad: TypedArray,
    slots: FloatArray[],
    lr: number,
    decay: number,
  ): void {
    const h = this.hyper;
    h.lr = lr;
    h.beta1 = this.beta1;
    h.beta2 = this.beta2;
    h.weightDecay = decay;
    runLion(param, asFloat(grad), slots[0]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}

/**
 * @example
 * model.compile({ optimizer: lion({ learningRate: 1e-4 }), loss: "mse" });
 */
export function lion(options: LionOptions = {}): Lion {
  return new Lion(options);
}
