// optim/rmsprop: RMSprop (optionally centered, optionally with momentum), Keras 3's update rule
// (epsilon inside the square root, default rho 0.9, epsilon 1e-7).

import type { FloatArray, TypedArray } from "../core/dtype.js";
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
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const v = rho * velocity[i]! + (1 - rho) * g * g;
    velocity[i] = v;
    let denominator = v + epsilon;
    if (averageGradient !== null) {
      const a = rho * averageGradient[i]! + (1 - rho) * g;
      averageGradient[i] = a;
      denominator = v - a * a + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    if (momentumSlot !== null) {
      const mo = momentum * momentumSlot[i]! + increment;
      momentumSlot[i] = mo;
      param[i] = param[i]! - mo;
    } else {
      param[i] = param[i]! - increment;
    }
  }
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

  protected updateParam(param: FloatArray, grad: TypedArray, slots: FloatArray[], lr: number): void {
    const velocity = slots[0]!;
    const average = this.centered ? slots[1]! : null;
    const momentum = this.momentum > 0 ? slots[this.centered ? 2 : 1]! : null;
    rmspropUpdate(param, grad, velocity, average, momentum, lr, this.rho, this.momentum, this.epsilon);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export function rmsprop(options: RmspropOptions = {}): RMSprop {
  return new RMSprop(options);
}
