// optim/adamax: Adamax, the infinity-norm variant of Adam (Kingma & Ba, section 7), Keras 3's rule.

import type { AdamaxParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import type { AdamOptions } from "./adam.js";
import { asFloat } from "./clip.js";
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
  kernels().adamaxUpdate(param, asFloat(grad), m, u, { lr, beta1, beta2, epsilon, step, weightDecay: 0 });
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
    kernels().adamaxUpdate(param, asFloat(grad), slots[0]!, slots[1]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export function adamax(options: AdamaxOptions = {}): Adamax {
  return new Adamax(options);
}
