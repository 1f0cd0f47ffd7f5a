// optim/adadelta: Adadelta (Zeiler, 2012) with Keras 3's defaults (learningRate 0.001, rho 0.95,
// epsilon 1e-7); the learning rate scales the Adadelta step as in Keras.

import type { AdadeltaParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
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
  kernels().adadeltaUpdate(param, asFloat(grad), accumulatedGrad, accumulatedDelta, {
    lr,
    rho,
    epsilon,
    weightDecay: 0,
  });
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

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: AdadeltaParams = { lr: 0, rho: 0, epsilon: 0, weightDecay: 0 };

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
    h.rho = this.rho;
    h.epsilon = this.epsilon;
    h.weightDecay = decay;
    kernels().adadeltaUpdate(param, asFloat(grad), slots[0]!, slots[1]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

export function adadelta(options: AdadeltaOptions = {}): Adadelta {
  return new Adadelta(options);
}
