// nn/constraints: projections applied to a weight after each optimizer step (Keras MaxNorm, NonNeg,
// UnitNorm, MinMaxNorm). `project` returns the projected values; layers write them into the weight's
// data in place (see Layer.applyConstraints).

import { ConfigError } from "../core/errors.js";
import { type ConfigFactory, Registry, resolveInstance } from "../core/registry.js";
import { add, clip, div, mul, relu, sqrt, square, sum } from "../ops/index.js";
import type { Tensor } from "../tensor/tensor.js";
import { type ConfigObject, finiteNumber, intList, optional, type Serialized } from "./config.js";

// Keras backend epsilon, added to norms before dividing
const EPSILON = 1e-7;

/** A projection applied to a weight after each update. */
export abstract class Constraint {
  abstract readonly className: string;
  /** The projected weight (same shape and dtype). */
  abstract project(weight: Tensor): Tensor;
  abstract getConfig(): ConfigObject;
  serialize(): Serialized {
    return { className: this.className, config: this.getConfig() };
  }
}

/** What a constraint option accepts: "max_norm", "non_neg", an instance, or a config. */
export type ConstraintIdentifier = string | Constraint | Serialized;

function axisList(op: string, value: unknown, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  if (typeof value === "number") return intList(op, "axis", [value]);
  return intList(op, "axis", value);
}

function norms(weight: Tensor, axis: readonly number[]): Tensor {
  return sqrt(sum(square(weight), axis, { keepDims: true }));
}

/** Rescales each slice along `axis` (default 0: each unit's incoming weights) to norm <= maxValue. */
export class MaxNorm extends Constraint {
  readonly className = "MaxNorm";
  readonly maxValue: number;
  readonly axis: number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    super();
    this.maxValue = optional(args.maxValue, 2, (v) => finiteNumber("MaxNorm", "maxValue", v));
    if (this.maxValue < 0)
      throw new ConfigError(`MaxNorm: maxValue must be non-negative (got ${this.maxValue})`);
    this.axis = axisList("MaxNorm", args.axis, [0]);
  }
  project(weight: Tensor): Tensor {
    const n = norms(weight, this.axis);
    const desired = clip(n, 0, this.maxValue);
    return mul(weight, div(desired, add(n, EPSILON)));
  }
  getConfig(): ConfigObject {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Sets negative weights to zero. */
export class NonNeg extends Constraint {
  readonly className = "NonNeg";
  project(weight: Tensor): Tensor {
    // max(w, 0): negative entries become +0 (w * [w >= 0] would leave -0)
    return relu(weight);
  }
  getConfig(): ConfigObject {
    return {};
  }
}

/** Rescales each slice along `axis` to unit norm. */
export class UnitNorm extends Constraint {
  readonly className = "UnitNorm";
  readonly axis: number[];
  constructor(args: { axis?: number | number[] } = {}) {
    super();
    this.axis = axisList("UnitNorm", args.axis, [0]);
  }
  project(weight: Tensor): Tensor {
    return div(weight, add(norms(weight, this.axis), EPSILON));
  }
  getConfig(): ConfigObject {
    return { axis: this.axis };
  }
}

/** Moves each slice's norm toward [minValue, maxValue] by `rate` (1 = all the way). */
export class MinMaxNorm extends Constraint {
  readonly className = "MinMaxNorm";
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number[];
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    super();
    this.minValue = optional(args.minValue, 0, (v) => finiteNumber("MinMaxNorm", "minValue", v));
    this.maxValue = optional(args.maxValue, 1, (v) => finiteNumber("MinMaxNorm", "maxValue", v));
    this.rate = optional(args.rate, 1, (v) => finiteNumber("MinMaxNorm", "rate", v));
    if (this.minValue > this.maxValue) {
      throw new ConfigError(
        `MinMaxNorm: minValue must not exceed maxValue (got ${this.minValue} and ${this.maxValue})`,
      );
    }
    this.axis = axisList("MinMaxNorm", args.axis, [0]);
  }
  project(weight: Tensor): Tensor {
    const n = norms(weight, this.axis);
    // desired = rate * clip(n, min, max) + (1 - rate) * n
    const desired = add(mul(clip(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
    return mul(weight, div(desired, add(n, EPSILON)));
  }
  getConfig(): ConfigObject {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

type ConstraintFactory = ConfigFactory<Constraint>;
/** The closed registry: class names, matched case- and underscore-insensitively ("he_normal"). */
const REGISTRY = new Registry<ConstraintFactory>({ kind: "constraint" });

/** Registers a constraint class so configs can name it. */
export function registerConstraint(className: string, make: ConstraintFactory): void {
  REGISTRY.register(className, make);
}

registerConstraint("MaxNorm", (c) => new MaxNorm(c));
registerConstraint("NonNeg", () => new NonNeg());
registerConstraint("UnitNorm", (c) => new UnitNorm(c));
registerConstraint("MinMaxNorm", (c) => new MinMaxNorm(c));

/** Resolves a constraint option ("max_norm", "nonNeg", {className, config}, an instance); null stays null. */
export function getConstraint(id: unknown, where = "constraint"): Constraint | null {
  if (id === undefined || id === null) return null;
  return resolveInstance(REGISTRY, id, where, Constraint);
}

export const maxNorm = (args: { maxValue?: number; axis?: number | number[] } = {}): Constraint =>
  new MaxNorm(args);
export const nonNeg = (): Constraint => new NonNeg();
export const unitNorm = (args: { axis?: number | number[] } = {}): Constraint => new UnitNorm(args);
export const minMaxNorm = (
  args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {},
): Constraint => new MinMaxNorm(args);
