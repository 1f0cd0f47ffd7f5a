// optim/nadam: Nadam (Dozat, 2016), Adam with Nesterov momentum, Keras 3's rule: a momentum
// schedule mu_t = beta1 (1 - 0.5 * 0.96^t) whose running product is kept across steps.

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import type { AdamaxOptions } from "./adamax.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export type NadamOptions = AdamaxOptions;

const MOMENTUM_DECAY = 0.96;

/** mu_t = beta1 (1 - 0.5 * 0.96^t) */
export function nadamMomentum(beta1: number, t: number): number {
  return beta1 * (1 - 0.5 * MOMENTUM_DECAY ** t);
}

/**
 * Nadam scalars of step t (counting from 1): the momentum schedule values mu_t and mu_{t+1}, the
 * product uProduct = mu_1 ... mu_t, and beta2^t.
 */
export interface NadamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
  nextMomentum: number;
  uProduct: number;
  beta2Power: number;
  weightDecay: number;
}

/** Nadam's loop scalars: mu_{t+1}, 1 - uProduct mu_{t+1}, 1 - mu_t, 1 - uProduct, 1 - beta2^t. */
export function nadamScalars(p: NadamParams): [number, number, number, number, number] {
  return [p.nextMomentum, 1 - p.uProduct * p.nextMomentum, 1 - p.momentum, 1 - p.uProduct, 1 - p.beta2Power];
}

/** The Nadam update rule on one parameter: the specification (see optim/update-rule). */
export function nadamRule(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  p: NadamParams,
): void {
  decayAll(param, p.weightDecay);
  const [next, nextDenominator, now, denominator, beta2Correction] = nadamScalars(p);
  if (param instanceof Float32Array) {
    const [lr, omb1, omb2, eps] = [f(p.lr), f(1 - p.beta1), f(1 - p.beta2), f(p.epsilon)];
    const [c1, d1, c2, d2, d3] = [f(next), f(nextDenominator), f(now), f(denominator), f(beta2Correction)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const mOld = f(m[i]!);
      const vOld = f(v[i]!);
      const mi = f(mOld + f(f(g - mOld) * omb1));
      const vi = f(vOld + f(f(f(g * g) - vOld) * omb2));
      m[i] = mi;
      v[i] = vi;
      const mHat = f(f(f(c1 * mi) / d1) + f(f(c2 * g) / d2));
      const vHat = f(vi / d3);
      param[i] = param[i]! - f(f(mHat * lr) / f(f(Math.sqrt(vHat)) + eps));
    }
    return;
  }
  const { lr, epsilon } = p;
  const oneMinusBeta1 = 1 - p.beta1;
  const oneMinusBeta2 = 1 - p.beta2;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    const vi = v[i]! + (g * g - v[i]!) * oneMinusBeta2;
    m[i] = mi;
    v[i] = vi;
    const mHat = (next * mi) / nextDenominator + (now * g) / denominator;
    const vHat = vi / beta2Correction;
    param[i] = param[i]! - (mHat * lr) / (Math.sqrt(vHat) + epsilon);
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const NADAM_UPDATE: OptimizerUpdate<typeof nadamRule> = {
  name: "nadam",
  reference: nadamRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = 1 - p.beta1;
    k[2] = 1 - p.beta2;
    k[3] = p.epsilon;
    k.set(nadamScalars(p), 4);
    k[9] = p.weightDecay;
  },
};

/**
 * Nadam's update as the optimizer runs it: the active backend's fused copy of nadamRule
 * (native nadamUpdate, k: lr, 1 - beta1, 1 - beta2, epsilon, nadamScalars(), decay) where there is one, else nadamRule itself.
 */
const runNadam = defineOptimizerUpdate(NADAM_UPDATE);

/**
 * One Nadam step; `step` counts from 1 and `uProduct` = mu_1 ... mu_step:
 *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2)
 *   mHat = mu_{t+1} m / (1 - uProduct mu_{t+1}) + (1 - mu_t) g / (1 - uProduct)
 *   p -= lr mHat / (sqrt(v / (1 - beta2^t)) + eps)
 */
export function nadamUpdate(
  param: FloatArray,
  grad: TypedArray,
  m: FloatArray,
  v: FloatArray,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
  uProduct: number,
): void {
  runNadam(param, asFloat(grad), m, v, {
    lr,
    beta1,
    beta2,
    epsilon,
    momentum: nadamMomentum(beta1, step),
    nextMomentum: nadamMomentum(beta1, step + 1),
    uProduct,
    beta2Power: beta2 ** step,
    weightDecay: 0,
  });
}

/** Nadam (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
export class Nadam extends Optimizer {
  readonly className = "Nadam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: NadamOptions = {}) {
    const owner = "nadam";
    const o = readOptions(owner, options, {
      ...BASE_OPTION_ALIASES,
      beta1: ["beta_1"],
      beta2: ["beta_2"],
      epsilon: [],
    });
    super(owner, o, { learningRate: 0.001 });
    this.beta1 = checkRange(owner, "beta1", numberOption(owner, o, "beta1", 0.9), 0, 1, true);
    this.beta2 = checkRange(owner, "beta2", numberOption(owner, o, "beta2", 0.999), 0, 1, true);
    this.epsilon = checkRange(owner, "epsilon", numberOption(owner, o, "epsilon", 1e-7), 0, Infinity);
    this.globals = { uProduct: 1 };
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: "momentum", initialValue: 0 },
      { name: "velocity", initialValue: 0 },
    ];
  }

  /** Scalars handed to the kernel, set once per step in beginStep (weightDecay per parameter). */
  private readonly hyper: NadamParams = {
    lr: 0,
    beta1: 0,
    beta2: 0,
    epsilon: 0,
    momentum: 0,
    nextMomentum: 0,
    uProduct: 1,
    beta2Power: 1,
    weightDecay: 0,
  };

  // once per step, before the parameters: uProduct *= mu_{iterations + 1}, and the step's scalars
  protected override beginStep(lr: number): void {
    const step = this.iterations + 1;
    const h = this.hyper;
    h.lr = lr;
    h.beta1 = this.beta1;
    h.beta2 = this.beta2;
    h.epsilon = this.epsilon;
    h.momentum = nadamMomentum(this.beta1, step);
    h.nextMomentum = nadamMomentum(this.beta1, step + 1);
    h.beta2Power = this.beta2 ** step;
    h.uProduct = (this.globals.uProduct ?? 1) * h.momentum;
    this.globals.uProduct = h.uProduct;
  }

  protected override fusesWeightDecay(): boolean {
    return true;
  }

  protected updateParam(
    param: FloatArray,
    grad: TypedArray,
    slots: FloatArray[],
    _lr: number,
    decay: number,
  ): void {
    // the step's other scalars were set in beginStep
    const h = this.hyper;
    h.weightDecay = decay;
    runNadam(param, asFloat(grad), slots[0]!, slots[1]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export function nadam(options: NadamOptions = {}): Nadam {
  return new Nadam(options);
}
