// optim/registry: optimizers by name ("adam", "sgd", Keras class names, snake_case) and from a
// serialized { className, config }, as compile({ optimizer }) accepts them.

import type { RegisteredName } from "../core/names.js";
import { Registry, resolve } from "../core/registry.js";
import { Adadelta, type AdadeltaOptions, adadelta } from "./adadelta.js";
import { Adagrad, type AdagradOptions, adagrad } from "./adagrad.js";
import { Adam, type AdamOptions, AdamW, adam, adamw } from "./adam.js";
import { Adamax, type AdamaxOptions, adamax } from "./adamax.js";
import type { SerializedConfig } from "./learning-rate.js";
import { Lion, type LionOptions, lion } from "./lion.js";
import { Nadam, type NadamOptions, nadam } from "./nadam.js";
import { Optimizer } from "./optimizer.js";
import { RMSprop, type RmspropOptions, rmsprop } from "./rmsprop.js";
import { deserializeSchedule } from "./schedules.js";
import { SGD, type SgdOptions, sgd } from "./sgd.js";

/** The optimizer factories, each taking an options object (camelCase or Keras snake_case names). */
export const optimizers = { sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam, lion };

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
  | "Lion"
  | (keyof CustomOptimizerNames & string)
  | RegisteredName<"optimizer">;

/** The optimizers by name: lowercase, Keras class name or snake_case (case and underscores ignored). */
const OPTIMIZERS = new Registry<Factory>({ kind: "optimizer" });
OPTIMIZERS.register("sgd", (o) => new SGD(o as SgdOptions));
OPTIMIZERS.register("adam", (o) => new Adam(o as AdamOptions));
OPTIMIZERS.register("adamw", (o) => new AdamW(o as AdamOptions));
OPTIMIZERS.register("rmsprop", (o) => new RMSprop(o as RmspropOptions));
OPTIMIZERS.register("adagrad", (o) => new Adagrad(o as AdagradOptions));
OPTIMIZERS.register("adadelta", (o) => new Adadelta(o as AdadeltaOptions));
OPTIMIZERS.register("adamax", (o) => new Adamax(o as AdamaxOptions));
OPTIMIZERS.register("nadam", (o) => new Nadam(o as NadamOptions));
OPTIMIZERS.register("lion", (o) => new Lion(o as LionOptions));

/**
 * Registers another optimizer under a name (lowercase, underscores ignored when looked up) and
 * returns the name, typed so that compile({ optimizer }) accepts it.
 */
export function registerOptimizer<N extends string>(
  name: N,
  factory: Factory,
): RegisteredName<"optimizer", N> {
  OPTIMIZERS.register(name, factory);
  return name as RegisteredName<"optimizer", N>;
}

/** The names getOptimizer knows (built-ins and those registered at run time). */
export function optimizerNames(): string[] {
  return OPTIMIZERS.names();
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
  return resolve(OPTIMIZERS, spec, {
    where: "getOptimizer",
    expected: "a name, an Optimizer or { className, config }",
    isInstance: (value): value is Optimizer => value instanceof Optimizer,
    build: (factory, config) => factory(withSchedules(config)),
  });
}

/** A saved learning rate may be a serialized schedule: rebuild it before the optimizer reads it. */
function withSchedules(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const name of ["learningRate", "learning_rate"]) {
    const lr = out[name];
    if (typeof lr === "object" && lr !== null) out[name] = deserializeSchedule(lr as SerializedConfig);
  }
  return out;
}
