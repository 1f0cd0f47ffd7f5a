// optim/registry: optimizers by name ("adam", "sgd", Keras class names, snake_case) and from a
// serialized { className, config }, as compile({ optimizer }) accepts them.

import { ConfigError } from "../core/errors.js";
import type { RegisteredName } from "../core/names.js";
import { Adadelta, type AdadeltaOptions, adadelta } from "./adadelta.js";
import { Adagrad, type AdagradOptions, adagrad } from "./adagrad.js";
import { Adam, type AdamOptions, AdamW, adam, adamw } from "./adam.js";
import { Adamax, type AdamaxOptions, adamax } from "./adamax.js";
import type { SerializedConfig } from "./learning-rate.js";
import { Nadam, type NadamOptions, nadam } from "./nadam.js";
import { Optimizer } from "./optimizer.js";
import { describe } from "./options.js";
import { RMSprop, type RmspropOptions, rmsprop } from "./rmsprop.js";
import { deserializeSchedule } from "./schedules.js";
import { SGD, type SgdOptions, sgd } from "./sgd.js";

/** The optimizer factories, each taking an options object (camelCase or Keras snake_case names). */
export const optimizers = { sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam };

type Factory = (options: Record<string, unknown>) => Optimizer;

/** Names of optimizers registered at run time, for the type checker (declaration merging). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomOptimizerNames {}

/**
 * An optimizer name as compile({ optimizer }) and getOptimizer accept it: lowercase ("adam") or
 * Keras's class name ("Adam", "RMSprop"), or a name registered with registerOptimizer.
 */
export type OptimizerName =
  | keyof typeof optimizers
  | "SGD"
  | "Adam"
  | "AdamW"
  | "RMSprop"
  | "Adagrad"
  | "Adadelta"
  | "Adamax"
  | "Nadam"
  | (keyof CustomOptimizerNames & string)
  | RegisteredName<"optimizer">;

/** A Map, not an object literal: a name such as "constructor" must not find Object.prototype's. */
const BY_NAME = new Map<string, Factory>([
  ["sgd", (o) => new SGD(o as SgdOptions)],
  ["adam", (o) => new Adam(o as AdamOptions)],
  ["adamw", (o) => new AdamW(o as AdamOptions)],
  ["rmsprop", (o) => new RMSprop(o as RmspropOptions)],
  ["adagrad", (o) => new Adagrad(o as AdagradOptions)],
  ["adadelta", (o) => new Adadelta(o as AdadeltaOptions)],
  ["adamax", (o) => new Adamax(o as AdamaxOptions)],
  ["nadam", (o) => new Nadam(o as NadamOptions)],
]);

/**
 * Registers another optimizer under a name (lowercase, underscores ignored when looked up) and
 * returns the name, typed so that compile({ optimizer }) accepts it.
 */
export function registerOptimizer<N extends string>(
  name: N,
  factory: Factory,
): RegisteredName<"optimizer", N> {
  BY_NAME.set(key(name), factory);
  return name as RegisteredName<"optimizer", N>;
}

function key(name: string): string {
  return name.replaceAll("_", "").toLowerCase();
}

/**
 * An optimizer from a name (fresh instance with Keras defaults), an instance (returned as is) or
 * a serialized `{ className, config }`.
 * @example
 * getOptimizer("adam").learningRate; // 0.001
 */
export function getOptimizer(
  spec: string | Optimizer | { className: string; config?: Record<string, unknown> },
): Optimizer {
  if (spec instanceof Optimizer) return spec;
  if (typeof spec === "string") return build(spec, {});
  if (typeof spec === "object" && spec !== null && typeof spec.className === "string") {
    const config = { ...(spec.config ?? {}) };
    for (const name of ["learningRate", "learning_rate"]) {
      const lr = config[name];
      if (typeof lr === "object" && lr !== null) config[name] = deserializeSchedule(lr as SerializedConfig);
    }
    return build(spec.className, config);
  }
  throw new ConfigError(
    `getOptimizer: expected a name, an Optimizer or { className, config } (got ${describe(spec)})`,
  );
}

function build(name: string, config: Record<string, unknown>): Optimizer {
  const factory = BY_NAME.get(key(name));
  if (factory === undefined) {
    throw new ConfigError(
      `getOptimizer: unknown optimizer "${name}" (expected one of ${[...BY_NAME.keys()].join(", ")})`,
    );
  }
  return factory(config);
}
