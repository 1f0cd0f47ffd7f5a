// optim/sgd: stochastic gradient descent with optional (Nesterov) momentum, Keras 3's update rule.

import type { SgdParams } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";

export interface SgdOptions extends OptimizerOptions {
  /** Default 0 (plain SGD). In [0, 1]. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/**
 * One SGD step on one parameter. With momentum (m = 0 initially):
 *   m = momentum * m - lr * g;  p += m              (nesterov: p += momentum * m - lr * g)
 * without: p -= lr * g.
 */
export function sgdUpdate(
  param: FloatArray,
  grad: TypedArray,
  velocity: FloatArray | null,
  lr: number,
  momentum: number,
  nesterov: boolean,
): void {
  kernels().sgdUpdate(param, asFloat(grad), velocity, { lr, momentum, nesterov, weightDecay: 0 });
}

/** Gradient descent (Keras defaults: learningRate 0.01, momentum 0, nesterov false). */
export class SGD extends Optimizer {
  readonly className = "SGD";
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SgdOptions = {}) {
    const o = readOptions("sgd", options, { ...BASE_OPTION_ALIASES, momentum: [], nesterov: [] });
    super("sgd", o, { learningRate: 0.01 });
    this.momentum = checkRange("sgd", "momentum", numberOption("sgd", o, "momentum", 0), 0, 1);
    this.nesterov = booleanOption("sgd", o, "nesterov", false);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return this.momentum !== 0 ? [{ name: "momentum", initialValue: 0 }] : [];
  }

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: SgdParams = { lr: 0, momentum: 0, nesterov: false, weightDecay: 0 };

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
    h.momentum = this.momentum;
    h.nesterov = this.nesterov;
    h.weightDecay = decay;
    kernels().sgdUpdate(param, asFloat(grad), slots[0] ?? null, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}

/**
 * @example
 * const opt = sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export function sgd(options: SgdOptions = {}): SGD {
  return new SGD(options);
}
