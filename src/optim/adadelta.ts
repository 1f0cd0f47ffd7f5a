// optim/adadelta: Adadelta (Zeiler, 2012) with Keras 3's defaults (learningRate 0.001, rho 0.95,
// epsilon 1e-7); the learning rate scales the Adadelta step as in Keras.

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay of both running averages. Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** Adadelta scalars (epsilon inside both square roots). */
export interface AdadeltaParams {
  lr: number;
  rho: number;
  epsilon: number;
  weightDecay: number;
}

/** The Adadelta update rule on one parameter: the specification (see optim/update-rule). */
export function adadeltaRule(
  param: FloatArray,
  grad: FloatArray,
  accumulatedGrad: FloatArray,
  accumulatedDelta: FloatArray,
  p: AdadeltaParams,
): void {
  decayAll(param, p.weightDecay);
  const { lr, rho, epsilon } = p;
  if (param instanceof Float32Array) {
    const [lr32, rho32, omr, eps] = [f(lr), f(rho), f(1 - rho), f(epsilon)];
    for (let i = 0; i < param.length; i++) {
      const g = f(grad[i]!);
      const ed = f(accumulatedDelta[i]!);
      const eg = f(f(rho32 * f(accumulatedGrad[i]!)) + f(f(omr * g) * g));
      accumulatedGrad[i] = eg;
      const delta = f(f(-f(Math.sqrt(f(ed + eps))) / f(Math.sqrt(f(eg + eps)))) * g);
      accumulatedDelta[i] = f(f(rho32 * ed) + f(f(omr * delta) * delta));
      param[i] = param[i]! + f(lr32 * delta);
    }
    return;
  }
  const oneMinusRho = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const eg = rho * accumulatedGrad[i]! + oneMinusRho * g * g;
    accumulatedGrad[i] = eg;
    const delta = (-Math.sqrt(accumulatedDelta[i]! + epsilon) / Math.sqrt(eg + epsilon)) * g;
    accumulatedDelta[i] = rho * accumulatedDelta[i]! + oneMinusRho * delta * delta;
    param[i] = param[i]! + lr * delta;
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const ADADELTA_UPDATE: OptimizerUpdate<typeof adadeltaRule> = {
  name: "adadelta",
  reference: adadeltaRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = p.rho;
    k[2] = 1 - p.rho;
    k[3] = p.epsilon;
    k[4] = p.weightDecay;
  },
};

/**
 * Adadelta's update as the optimizer runs it: the active backend's fused copy of adadeltaRule
 * (native adadeltaUpdate, k: lr, rho, 1 - rho, epsilon, decay) where there is one, else adadeltaRule itself.
 */
const runAdadelta = defineOptimizerUpdate(ADADELTA_UPDATE);

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
  runAdadelta(param, asFloat(grad), accumulatedGrad, accumulatedDelta, {
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
    runAdadelta(param, asFloat(grad), slots[0]!, slots[1]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

export function adadelta(options: AdadeltaOptions = {}): Adadelta {
  return new Adadelta(options);
}
