// optim/adadelta: Adadelta (Zeiler, 2012) with Keras 3's defaults (learningRate 0.001, rho 0.95,
// epsilon 1e-7); the learning rate scales the Adadelta step as in Keras.

import type { FloatArray, TypedArray } from "../core/dtype.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";

export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay of both running averages. Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * One Adadelta step:
 *   Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Ed + eps) / sqrt(Eg + eps) * g;
 *   Ed = rho Ed + (1 - rho) d^2;  p += lr d
 */
export function adadeltaUpdate(
  param: FloatArray,
  grad: TypedArray,
  accumulatedGrad: FloatArray,
  accumulatedDelta: FloatArray,
  lr: number,
  rho: number,
  epsilon: number,
): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const eg = rho * accumulatedGrad[i]! + (1 - rho) * g * g;
    accumulatedGrad[i] = eg;
    const delta = (-Math.sqrt(accumulatedDelta[i]! + epsilon) / Math.sqrt(eg + epsilon)) * g;
    accumulatedDelta[i] = rho * accumulatedDelta[i]! + (1 - rho) * delta * delta;
    param[i] = param[i]! + lr * delta;
  }
}

/** Adadelta (Keras defaults: learningRate 0.001, rho 0.95, epsilon 1e-7). */
export class Adadelta extends Optimizer {
  readonly className = "Adadelta";
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    const owner = "adadelta";
    const o = readOptions(owner, options, { ...BASE_OPTION_ALIASES, rho: [], epsilon: [] });
    super(owner, o, { learningRate: 0.001 });
    this.rho = checkRange(owner, "rho", numberOption(owner, o, "rho", 0.95), 0, 1);
    this.epsilon = checkRange(owner, "epsilon", numberOption(owner, o, "epsilon", 1e-7), 0, Infinity);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: "accumulatedGrad", initialValue: 0 },
      { name: "accumulatedDeltaVar", initialValue: 0 },
    ];
  }

  protected updateParam(param: FloatArray, grad: TypedArray, slots: FloatArray[], lr: number): void {
    adadeltaUpdate(param, grad, slots[0]!, slots[1]!, lr, this.rho, this.epsilon);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

export function adadelta(options: AdadeltaOptions = {}): Adadelta {
  return new Adadelta(options);
}
