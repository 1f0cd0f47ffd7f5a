// optim/rmsprop: RMSprop (optionally centered, optionally with momentum), Keras 3's update rule
// (epsilon inside the square root, default rho 0.9, epsilon 1e-7).

import type { RmspropParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";

export interface RmspropOptions extends OptimizerOptions {
  /** Decay of the squared-gradient average. Default 0.9. */
  rho?: number;
  /** Momentum on the scaled step. Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Divide by the gradient's variance estimate instead of its second moment. Default false. */
  centered?: boolean;
}

/**
 * One RMSprop step on one parameter:
 *   v = rho v + (1 - rho) g^2;  (centered: a = rho a + (1 - rho) g, d = v - a^2 + eps, else d = v + eps)
 *   inc = lr g / sqrt(d);  momentum: mo = momentum * mo + inc, p -= mo;  else p -= inc
 */
export function rmspropUpdate(
  param: FloatArray,
  grad: TypedArray,
  velocity: FloatArray,
  averageGradient: FloatArray | null,
  momentumSlot: FloatArray | null,
  lr: number,
  rho: number,
  momentum: number,
  epsilon: number,
): void {
  kernels().rmspropUpdate(param, asFloat(grad), velocity, averageGradient, momentumSlot, {
    lr,
    rho,
    momentum,
    epsilon,
    weightDecay: 0,
  });
}

/** RMSprop (Keras defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false). */
export class RMSprop extends Optimizer {
  readonly className = "RMSprop";
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RmspropOptions = {}) {
    const owner = "rmsprop";
    const o = readOptions(owner, options, {
      ...BASE_OPTION_ALIASES,
      rho: [],
      momentum: [],
      epsilon: [],
      centered: [],
    });
    super(owner, o, { learningRate: 0.001 });
    this.rho = checkRange(owner, "rho", numberOption(owner, o, "rho", 0.9), 0, 1);
    this.momentum = checkRange(owner, "momentum", numberOption(owner, o, "momentum", 0), 0, Infinity);
    this.epsilon = checkRange(owner, "epsilon", numberOption(owner, o, "epsilon", 1e-7), 0, Infinity);
    this.centered = booleanOption(owner, o, "centered", false);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const slots: SlotSpec[] = [{ name: "velocity", initialValue: 0 }];
    if (this.centered) slots.push({ name: "averageGradient", initialValue: 0 });
    if (this.momentum > 0) slots.push({ name: "momentum", initialValue: 0 });
    return slots;
  }

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: RmspropParams = { lr: 0, rho: 0, momentum: 0, epsilon: 0, weightDecay: 0 };

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
    const velocity = slots[0]!;
    const average = this.centered ? slots[1]! : null;
    const momentum = this.momentum > 0 ? slots[this.centered ? 2 : 1]! : null;
    const h = this.hyper;
    h.lr = lr;
    h.rho = this.rho;
    h.momentum = this.momentum;
    h.epsilon = this.epsilon;
    h.weightDecay = decay;
    kernels().rmspropUpdate(param, asFloat(grad), velocity, average, momentum, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export function rmsprop(options: RmspropOptions = {}): RMSprop {
  return new RMSprop(options);
}
