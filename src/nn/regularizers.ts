// nn/regularizers: weight penalties (Keras L1, L2, L1L2). A layer collects penalty(weight) for
// each regularized trainable weight in `layer.losses`; the training loop adds them to the loss.

import { ConfigError } from "../core/errors.js";
import { type ConfigFactory, Registry, resolveInstance } from "../core/registry.js";
import { abs, add, mul, square, sum } from "../ops/index.js";
import type { Tensor } from "../tensor/tensor.js";
import { type ConfigObject, finiteNumber, optional, type Serialized } from "./config.js";

/** A penalty on a weight tensor, added to the training loss. */
export abstract class Regularizer {
  abstract readonly className: string;
  /** The scalar penalty for `weight` (differentiable). */
  abstract penalty(weight: Tensor): Tensor;
  abstract getConfig(): ConfigObject;
  serialize(): Serialized {
    return { className: this.className, config: this.getConfig() };
  }
}

/** What a regularizer option accepts: "l1", "l2", "l1_l2", an instance, or a config. */
export type RegularizerIdentifier = string | Regularizer | Serialized;

function factor(op: string, key: string, value: unknown, fallback: number): number {
  const v = optional(value, fallback, (x) => finiteNumber(op, key, x));
  if (v < 0) throw new ConfigError(`${op}: ${key} must be non-negative (got ${v})`);
  return v;
}

/** l1 * sum(|w|) + l2 * sum(w^2). Keras 3 defaults: 0 and 0. */
export class L1L2 extends Regularizer {
  readonly className: string = "L1L2";
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}, defaults: [number, number] = [0, 0]) {
    super();
    this.l1 = factor("L1L2", "l1", args.l1, defaults[0]);
    this.l2 = factor("L1L2", "l2", args.l2, defaults[1]);
  }
  penalty(weight: Tensor): Tensor {
    let total: Tensor | null = null;
    if (this.l1 > 0) total = mul(sum(abs(weight)), this.l1);
    if (this.l2 > 0) {
      const l2 = mul(sum(square(weight)), this.l2);
      total = total === null ? l2 : add(total, l2);
    }
    return total ?? mul(sum(weight), 0);
  }
  getConfig(): ConfigObject {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** l1 * sum(|w|), default l1 = 0.01. */
export class L1 extends L1L2 {
  override readonly className: string = "L1";
  constructor(args: { l1?: number } = {}) {
    super({ l1: args.l1 }, [0.01, 0]);
  }
  override getConfig(): ConfigObject {
    return { l1: this.l1 };
  }
}

/** l2 * sum(w^2), default l2 = 0.01. */
export class L2 extends L1L2 {
  override readonly className: string = "L2";
  constructor(args: { l2?: number } = {}) {
    super({ l2: args.l2 }, [0, 0.01]);
  }
  override getConfig(): ConfigObject {
    return { l2: this.l2 };
  }
}

type RegularizerFactory = ConfigFactory<Regularizer>;
/** The closed registry: class names, matched case- and underscore-insensitively ("he_normal"). */
const REGISTRY = new Registry<RegularizerFactory>({ kind: "regularizer" });

/** Registers a regularizer class so configs can name it. */
export function registerRegularizer(className: string, make: RegularizerFactory): void {
  REGISTRY.register(className, make);
}

registerRegularizer("L1", (c) => new L1(c));
registerRegularizer("L2", (c) => new L2(c));
registerRegularizer("L1L2", (c) => new L1L2(c));

/** Resolves a regularizer option ("l2", "l1_l2", {className, config}, an instance); null stays null. */
export function getRegularizer(id: unknown, where = "regularizer"): Regularizer | null {
  if (id === undefined || id === null) return null;
  return resolveInstance(REGISTRY, id, where, Regularizer);
}

export const l1 = (args: { l1?: number } = {}): Regularizer => new L1(args);
export const l2 = (args: { l2?: number } = {}): Regularizer => new L2(args);
export const l1l2 = (args: { l1?: number; l2?: number } = {}): Regularizer => new L1L2(args);
