// optim/adamax: Adamax, the infinity-norm variant of Adam (Kingma & Ba, section 7), Keras 3's rule.

import type { FloatArray, TypedArray } from "../core/dtype.js";
import type { AdamOptions } from "./adam.js";
import { BASE_OPTION_ALIASES, Optimizer, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";

export type AdamaxOptions = Omit<AdamOptions, "amsgrad">;

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
  const correction = 1 - beta1 ** step;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = m[i]! + (g - m[i]!) * (1 - beta1);
    const ui = Math.max(beta2 * u[i]!, Math.abs(g));
    m[i] = mi;
    u[i] = ui;
    param[i] = param[i]! - (lr * mi) / (correction * (ui + epsilon));
  }
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

  protected updateParam(param: FloatArray, grad: TypedArray, slots: FloatArray[], lr: number): void {
    adamaxUpdate(
      param,
      grad,
      slots[0]!,
      slots[1]!,
      lr,
      this.beta1,
      this.beta2,
      this.epsilon,
      this.iterations + 1,
    );
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export function adamax(options: AdamaxOptions = {}): Adamax {
  return new Adamax(options);
}
