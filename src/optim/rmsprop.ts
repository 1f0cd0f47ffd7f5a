// optim/rmsprop: RMSprop (optionally centered, optionally with momentum), Keras 3's update rule
// (epsilon inside the square root, default rho 0.9, epsilon 1e-7).

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

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

/** RMSprop scalars (epsilon inside the square root). */
export interface RmspropParams {
  lr: number;
  rho: number;
  momentum: number;
  epsilon: number;
  weightDecay: number;
}

/** The Rmsprop update rule on one parameter: the specification (see optim/update-rule). */
export function rmspropRule(
  param: FloatArray,
  grad: FloatArray,
  velocity: FloatArray,
  averageGradient: FloatArray | null,
  momentumSlot: FloatArray | null,
  p: RmspropParams,
): void {
  decayAll(param, p.weightDecay);
  if (param instanceof Float32Array) {
    rmsprop32(param, grad, velocity, averageGradient, momentumSlot, p);
    return;
  }
  const { lr, rho, momentum, epsilon } = p;
  const oneMinusRho = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const v = rho * velocity[i]! + oneMinusRho * g * g;
    velocity[i] = v;
    let denominator = v + epsilon;
    if (averageGradient !== null) {
      const a = rho * averageGradient[i]! + oneMinusRho * g;
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

function rmsprop32(
  param: Float32Array,
  grad: FloatArray,
  velocity: FloatArray,
  averageGradient: FloatArray | null,
  momentumSlot: FloatArray | null,
  p: RmspropParams,
): void {
  const lr = f(p.lr);
  const rho = f(p.rho);
  const oneMinusRho = f(1 - p.rho);
  const momentum = f(p.momentum);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const v = f(f(rho * f(velocity[i]!)) + f(f(oneMinusRho * g) * g));
    velocity[i] = v;
    let denominator = f(v + epsilon);
    if (averageGradient !== null) {
      const a = f(f(rho * f(averageGradient[i]!)) + f(oneMinusRho * g));
      averageGradient[i] = a;
      denominator = f(f(v - f(a * a)) + epsilon);
    }
    const increment = f(f(lr * g) / f(Math.sqrt(denominator)));
    if (momentumSlot !== null) {
      const mo = f(f(momentum * f(momentumSlot[i]!)) + increment);
      momentumSlot[i] = mo;
      param[i] = param[i]! - mo;
    } else {
      param[i] = param[i]! - increment;
    }
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const RMSPROP_UPDATE: OptimizerUpdate<typeof rmspropRule> = {
  name: "rmsprop",
  reference: rmspropRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = p.rho;
    k[2] = 1 - p.rho;
    k[3] = p.momentum;
    k[4] = p.epsilon;
    k[5] = p.weightDecay;
  },
};

/**
 * Rmsprop's update as the optimizer runs it: the active backend's fused copy of rmspropRule
 * (native rmspropUpdate, k: lr, rho, 1 - rho, momentum, epsilon, decay) where there is one, else rmspropRule itself.
 */
const runRmsprop = defineOptimizerUpdate(RMSPROP_UPDATE);

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
  runRmsprop(param, asFloat(grad), velocity, averageGradient, momentumSlot, {
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
    runRmsprop(param, asFloat(grad), velocity, average, momentum, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export function rmsprop(options: RmspropOptions = {}): RMSprop {
  return new RMSprop(options);
}
