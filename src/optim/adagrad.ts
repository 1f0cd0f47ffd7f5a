// optim/adagrad: Adagrad, Keras 3's update rule (accumulators start at 0.1, epsilon inside the root).

import { defineOptimizerUpdate, type OptimizerUpdate } from "../backend/optimizer-update.js";
import type { FloatArray, TypedArray } from "../core/dtype.js";
import { asFloat } from "./clip.js";
import { BASE_OPTION_ALIASES, Optimizer, type OptimizerOptions, type SlotSpec } from "./optimizer.js";
import { checkRange, numberOption, readOptions } from "./options.js";
import { decayAll, f } from "./update-rule.js";

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the squared-gradient sums. Default 0.1. Alias `initial_accumulator_value`. */
  initialAccumulatorValue?: number;
  initial_accumulator_value?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** Adagrad scalars (epsilon inside the square root). */
export interface AdagradParams {
  lr: number;
  epsilon: number;
  weightDecay: number;
}

/** The Adagrad update rule on one parameter: the specification (see optim/update-rule). */
export function adagradRule(
  param: FloatArray,
  grad: FloatArray,
  accumulator: FloatArray,
  p: AdagradParams,
): void {
  decayAll(param, p.weightDecay);
  if (param instanceof Float32Array) {
    adagrad32(param, grad, accumulator, p);
    return;
  }
  const { lr, epsilon } = p;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const acc = accumulator[i]! + g * g;
    accumulator[i] = acc;
    param[i] = param[i]! - (lr * g) / Math.sqrt(acc + epsilon);
  }
}

function adagrad32(param: Float32Array, grad: FloatArray, accumulator: FloatArray, p: AdagradParams): void {
  const lr = f(p.lr);
  const epsilon = f(p.epsilon);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]!);
    const acc = f(f(accumulator[i]!) + f(g * g));
    accumulator[i] = acc;
    param[i] = param[i]! - f(f(lr * g) / f(Math.sqrt(f(acc + epsilon))));
  }
}

/** The rule's declaration: its name and how its scalars travel to a backend's fused copy. */
export const ADAGRAD_UPDATE: OptimizerUpdate<typeof adagradRule> = {
  name: "adagrad",
  reference: adagradRule,
  scalars: (p, k) => {
    k[0] = p.lr;
    k[1] = p.epsilon;
    k[2] = p.weightDecay;
  },
};

/**
 * Adagrad's update as the optimizer runs it: the active backend's fused copy of adagradRule
 * (native adagradUpdate, k: lr, epsilon, decay) where there is one, else adagradRule itself.
 */
const runAdagrad = defineOptimizerUpdate(ADAGRAD_UPDATE);

/** One Adagrad step: acc += g^2;  p -= lr g / sqrt(acc + eps). */
export function adagradUpdate(
  param: FloatArray,
  grad: TypedArray,
  accumulator: FloatArray,
  lr: number,
  epsilon: number,
): void {
  runAdagrad(param, asFloat(grad), accumulator, { lr, epsilon, weightDecay: 0 });
}

/** Adagrad (Keras defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7). */
export class Adagrad extends Optimizer {
  readonly className = "Adagrad";
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    const owner = "adagrad";
    const o = readOptions(owner, options, {
      ...BASE_OPTION_ALIASES,
      initialAccumulatorValue: ["initial_accumulator_value"],
      epsilon: [],
    });
    super(owner, o, { learningRate: 0.001 });
    this.initialAccumulatorValue = checkRange(
      owner,
      "initialAccumulatorValue",
      numberOption(owner, o, "initialAccumulatorValue", 0.1),
      0,
      Infinity,
    );
    this.epsilon = checkRange(owner, "epsilon", numberOption(owner, o, "epsilon", 1e-7), 0, Infinity);
    this.attachPending();
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: "accumulator", initialValue: this.initialAccumulatorValue }];
  }

  /** Scalars handed to the kernel, reused every step. */
  private readonly hyper: AdagradParams = { lr: 0, epsilon: 0, weightDecay: 0 };

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
    h.epsilon = this.epsilon;
    h.weightDecay = decay;
    runAdagrad(param, asFloat(grad), slots[0]!, h);
  }

  protected hyperConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

export function adagrad(options: AdagradOptions = {}): Adagrad {
  return new Adagrad(options);
}
