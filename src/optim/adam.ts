// optim/adam: Adam (with AMSGrad) and AdamW (Adam plus decoupled weight decay, which the base class
// applies), Keras 3's update rule with its defaults (epsilon 1e-7 outside the square root).

import type { AdamParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";

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
  kernels().adamUpdate(param, asFloat(grad), m, v, vHat, { lr, beta1, beta2, epsilon, step, weightDecay: 0 });
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
    kernels().adamUpdate(param, asFloat(grad), slots[0]!, slots[1]!, slots[2] ?? null, h);
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
