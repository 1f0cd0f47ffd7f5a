// optim/adamax: Adamax, the infinity-norm variant of Adam (Kingma & Ba, section 7), Keras 3's rule.

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import type { AdamOptions } from "./adam.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export type AdamaxOptions = Omit<AdamOptions, "amsgrad">;

/** Adamax scalars; `step` counts from 1. */
export interface AdamaxParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  weightDecay: number;
}

/** Adamax's bias correction 1 - beta1^step (shared with the native wrapper). */
export function adamaxCorrection(p: AdamaxParams): number {
  return 1 - p.beta1 ** p.step;
}

/** The Adamax update rule on one parameter: the specification (see optim/update-rule). */
export function adamaxRule(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  u: FloatArray,
  p: AdamaxParams,
): void {
  decayAll(param, p.weightDecay);
  const correction = adamaxCorrection(p);
  const { lr, beta1, beta2, epsilon } = p;
  if (param instanceof Float32Array) {
    const [lr32, omb1, b2, eps, corr] = [f(lr), f(1 - beta1), f(beta2), f(epsilon), f(correction)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const mOld = f(m[i]!);
      const mi = f(mOld + f(f(g - mOld) * omb1));
      const ui = Math.max(f(b2 * f(u[i]!)), Math.abs(g));
      m[i] = mi;
      u[i] = ui;
      param[i] = param[i]! - f(f(lr32 * mi) / f(corr * f(ui + eps)));
    }
    return;
  }
  const oneMinusBeta1 = 1 - beta1;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    const ui = Math.max(beta2 * u[i]!, Math.abs(g));
    m[i] = mi;
    u[i] = ui;
    param[i] = param[i]! - (lr * mi) / (correction * (ui + epsilon));
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const ADAMAX_UPDATE: OptimizerUpdate<typeof adamaxRule> = {
  name: "adamax",
  reference: adamaxRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = 1 - p.beta1;
    k[2] = p.beta2;
    k[3] = p.epsilon;
    k[4] = adamaxCorrection(p);
    k[5] = p.weightDecay;
  },
};

/**
 * Adamax's update as the optimizer runs it: the active backend's fused copy of adamaxRule
 * (native adamaxUpdate, k: lr, 1 - beta1, beta2, epsilon, 1 - beta1^step, decay) where there is one, else adamaxRule itself.
 */
const runAdamax = defineOptimizerUpdate(ADAMAX_UPDATE);

/**
 * One Adamax step; `step` counts from 1:
 *   m += (g - m)(1 - beta1);  u = max(beta2 u, |g|);  p -= lr m / ((1 - beta1^step)(u + eps))
 */
export function adamaxUpdate(
  param: FloatArray,
  grad: TypedArray,
  m: FloatArray,
  u: FloatArray,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
): void {
  runAdamax(param, asFloat(grad), m, u, { lr, beta1, beta2, epsilon, step, weightDecay: 0 });
}

/** Adamax (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
export class Adamax extends Optimizer {
  readonly className = "Adamax";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    const owner = "adamax";
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
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: "momentum", initialValue: 0 },
      { name: "norm", initialValue: 0 },
    ];
  }

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: AdamaxParams = { lr: 0, beta1: 0, beta2: 0, epsilon: 0, step: 0, weightDecay: 0 };

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
    h.epsilon = this.epsilon;
    h.step = this.iterations + 1;
    h.weightDecay = decay;
    runAdamax(param, asFloat(grad), slots[0]!, slots[1]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export function adamax(options: AdamaxOptions = {}): Adamax {
  return new Adamax(options);
}
