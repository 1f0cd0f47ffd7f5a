// optim/sgd: stochastic gradient descent with optional (Nesterov) momentum, Keras 3's update rule.

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { booleanOption, checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export interface SgdOptions extends OptimizerOptions {
  /** Default 0 (plain SGD). In [0, 1]. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/** SGD scalars; momentum 0 with a null velocity is plain SGD. */
export interface SgdParams {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/** The Sgd update rule on one parameter: the specification (see optim/update-rule). */
export function sgdRule(
  param: FloatArray,
  grad: FloatArray,
  velocity: FloatArray | null,
  p: SgdParams,
): void {
  decayAll(param, p.weightDecay);
  if (param instanceof Float32Array) {
    sgd32(param, grad, velocity, p);
    return;
  }
  const lr = p.lr;
  if (velocity === null) {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - lr * grad[i]!;
    return;
  }
  const momentum = p.momentum;
  const nesterov = p.nesterov;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const m = momentum * velocity[i]! - lr * g;
    velocity[i] = m;
    param[i] = param[i]! + (nesterov ? momentum * m - lr * g : m);
  }
}

function sgd32(param: Float32Array, grad: FloatArray, velocity: FloatArray | null, p: SgdParams): void {
  const lr = f(p.lr);
  if (velocity === null) {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - f(lr * f(grad[i]!));
    return;
  }
  const momentum = f(p.momentum);
  const nesterov = p.nesterov;
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const m = f(f(momentum * f(velocity[i]!)) - f(lr * g));
    velocity[i] = m;
    param[i] = param[i]! + (nesterov ? f(f(momentum * m) - f(lr * g)) : m);
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const SGD_UPDATE: OptimizerUpdate<typeof sgdRule> = {
  name: "sgd",
  reference: sgdRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = p.momentum;
    k[2] = p.nesterov ? 1 : 0;
    k[3] = p.weightDecay;
  },
};

/**
 * Sgd's update as the optimizer runs it: the active backend's fused copy of sgdRule
 * (native sgdUpdate, k: lr, momentum, nesterov (0/1), decay) where there is one, else sgdRule itself.
 */
const runSgd = defineOptimizerUpdate(SGD_UPDATE);

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
  runSgd(param, asFloat(grad), velocity, { lr, momentum, nesterov, weightDecay: 0 });
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
    runSgd(param, asFloat(grad), slots[0] ?? null, h);
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
