// optim/adam: Adam (with AMSGrad) and AdamW (Adam plus decoupled weight decay, which the base class
// applies), Keras 3's update rule with its defaults (epsilon 1e-7 outside the square root).

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first moment. Default 0.9. Alias `beta_1`. */
  beta1?: number;
  beta_1?: number;
  /** Decay of the second moment. Default 0.999. Alias `beta_2`. */
  beta2?: number;
  beta_2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad?: boolean;
}

/** Adam / AdamW scalars; `step` counts from 1 (bias corrections use beta^step). */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  weightDecay: number;
}

/** Adam's step size lr * sqrt(1 - beta2^step) / (1 - beta1^step) (shared with the native wrapper). */
export function adamAlpha(p: AdamParams): number {
  return (p.lr * Math.sqrt(1 - p.beta2 ** p.step)) / (1 - p.beta1 ** p.step);
}

/** The Adam update rule on one parameter: the specification (see optim/update-rule). */
export function adamRule(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vHat: FloatArray | null,
  p: AdamParams,
): void {
  decayAll(param, p.weightDecay);
  if (param instanceof Float32Array) {
    adam32(param, grad, m, v, vHat, p);
    return;
  }
  const alpha = adamAlpha(p);
  const oneMinusBeta1 = 1 - p.beta1;
  const oneMinusBeta2 = 1 - p.beta2;
  const epsilon = p.epsilon;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * oneMinusBeta1;
    let vi = v[i]! + (g * g - v[i]!) * oneMinusBeta2;
    m[i] = mi;
    v[i] = vi;
    if (vHat !== null) {
      vi = Math.max(vHat[i]!, vi);
      vHat[i] = vi;
    }
    param[i] = param[i]! - (mi * alpha) / (Math.sqrt(vi) + epsilon);
  }
}

function adam32(
  param: Float32Array,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vHat: FloatArray | null,
  p: AdamParams,
): void {
  const alpha = f(adamAlpha(p));
  const oneMinusBeta1 = f(1 - p.beta1);
  const oneMinusBeta2 = f(1 - p.beta2);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const mOld = f(m[i]!);
    const vOld = f(v[i]!);
    const mi = f(mOld + f(f(g - mOld) * oneMinusBeta1));
    let vi = f(vOld + f(f(f(g * g) - vOld) * oneMinusBeta2));
    m[i] = mi;
    v[i] = vi;
    if (vHat !== null) {
      vi = Math.max(f(vHat[i]!), vi);
      vHat[i] = vi;
    }
    param[i] = param[i]! - f(f(mi * alpha) / f(f(Math.sqrt(vi)) + epsilon));
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const ADAM_UPDATE: OptimizerUpdate<typeof adamRule> = {
  name: "adam",
  reference: adamRule,
  scalars: (p, k) => {
    k[0] = adamAlpha(p);
    k[1] = 1 - p.beta1;
    k[2] = 1 - p.beta2;
    k[3] = p.epsilon;
    k[4] = p.weightDecay;
  },
};

/**
 * Adam's update as the optimizer runs it: the active backend's fused copy of adamRule
 * (native adamUpdate, k: alpha, 1 - beta1, 1 - beta2, epsilon, decay) where there is one, else adamRule itself.
 */
const runAdam = defineOptimizerUpdate(ADAM_UPDATE);

/**
 * One Adam step on one parameter (no weight decay); `step` counts from 1. Runs the active
 * backend's adamUpdate kernel:
 *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);  (amsgrad: v = vHat = max(vHat, v))
 *   p -= alpha * m / (sqrt(v) + eps),  alpha = lr * sqrt(1 - beta2^step) / (1 - beta1^step)
 */
export function adamUpdate(
  param: FloatArray,
  grad: TypedArray,
  m: FloatArray,
  v: FloatArray,
  vHat: FloatArray | null,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
): void {
  runAdam(param, asFloat(grad), m, v, vHat, { lr, beta1, beta2, epsilon, step, weightDecay: 0 });
}

const ADAM_ALIASES = {
  ...BASE_OPTION_ALIASES,
  beta1: ["beta_1"],
  beta2: ["beta_2"],
  epsilon: [],
  amsgrad: [],
};

/** Adam (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false). */
export class Adam extends Optimizer {
  readonly className: string = "Adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** `variant` is used by AdamW. */
  constructor(options: AdamOptions = {}, variant: "adam" | "adamw" = "adam") {
    const owner = variant;
    const o = readOptions(owner, options, ADAM_ALIASES);
    if (variant === "adamw" && o.has("weightDecay") && o.get("weightDecay") === null) {
      throw new ValueError("adamw: weightDecay must be a number (got null)");
    }
    super(owner, o, { learningRate: 0.001, weightDecay: variant === "adamw" ? 0.004 : null });
    this.beta1 = checkRange(owner, "beta1", numberOption(owner, o, "beta1", 0.9), 0, 1, true);
    this.beta2 = checkRange(owner, "beta2", numberOption(owner, o, "beta2", 0.999), 0, 1, true);
    this.epsilon = checkRange(owner, "epsilon", numberOption(owner, o, "epsilon", 1e-7), 0, Infinity);
    this.amsgrad = booleanOption(owner, o, "amsgrad", false);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const slots = [
      { name: "momentum", initialValue: 0 },
      { name: "velocity", initialValue: 0 },
    ];
    if (this.amsgrad) slots.push({ name: "velocityHat", initialValue: 0 });
    return slots;
  }

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: AdamParams = { lr: 0, beta1: 0, beta2: 0, epsilon: 0, step: 0, weightDecay: 0 };

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
    runAdam(param, asFloat(grad), slots[0]!, slots[1]!, slots[2] ?? null, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** AdamW: Adam with decoupled weight decay (Keras default weightDecay 0.004). */
export class AdamW extends Adam {
  override readonly className: string = "AdamW";

  constructor(options: AdamOptions = {}) {
    super(options, "adamw");
  }
}

/**
 * @example
 * model.compile({ optimizer: adam({ learningRate: 1e-3 }), loss: "mse" });
 */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}

/** Adam with decoupled weight decay: p -= p * weightDecay * lr before each Adam update. */
export function adamw(options: AdamOptions = {}): AdamW {
  return new AdamW(options);
}
