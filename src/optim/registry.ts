// optim/registry: optimizers by name ("adam", "sgd", Keras class names, snake_case) and from a
// serialized { className, config }, as compile({ optimizer }) accepts them.

import type { RegisteredName } from "../core/names.js";
import { Registry, resolve } from "../core/registry.js";
import { adadelta } from "./adadelta.js";
import { adagrad } from "./adagrad.js";
import { adam, adamw } from "./adam.js";
import { adamax } from "./adamax.js";
import type { SerializedConfig } from "./learning-rate.js";
import { lion } from "./lion.js";
import { nadam } from "./nadam.js";
import { Optimizer } from "./optimizer.js";
import { rmsprop } from "./rmsprop.js";
import { deserializeSchedule } from "./schedules.js";
import { sgd } from "./sgd.js";

/**
 * The built-in optimizers: the lowercase name each registers under, its Keras class name (which
 * resolves too, as lookups ignore case and underscores) and its factory. Adding an optimizer is
 * one row here; the registry, `optimizers` and the `OptimizerName` type follow from it.
 */
const BUILT_IN = {
  sgd: { className: "SGD", factory: sgd },
  adam: { className: "Adam", factory: adam },
  adamw: { className: "AdamW", factory: adamw },
  rmsprop: { className: "RMSprop", factory: rmsprop },
  adagrad: { className: "Adagrad", factory: adagrad },
  adadelta: { className: "Adadelta", factory: adadelta },
  adamax: { className: "Adamax", factory: adamax },
  nadam: { className: "Nadam", factory: nadam },
  lion: { className: "Lion", factory: lion },
} as const;

type BuiltIn = typeof BUILT_IN;

/** The optimizer factories, each taking an options object (camelCase or Keras snake_case names). */
export const optimizers = Object.fromEntries(
  Object.entries(BUILT_IN).map(([name, entry]) => [name, entry.factory]),
) as { readonly [K in keyof BuiltIn]: BuiltIn[K]["factory"] };

type Factory = (options: Record<string, unknown>) => Optimizer;

/** Names of optimizers registered at run time, for the type checker (declaration merging). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomOptimizerNames {}

/**
 * An optimizer name as compile({ optimizer }) and getOptimizer accept it: lowercase ("adam") or
 * Keras's class name ("Adam", "RMSprop"), or a name registered with registerOptimizer.
 */
export type OptimizerName =
  | keyof BuiltIn
  | BuiltIn[keyof BuiltIn]["className"]
  | (keyof CustomOptimizerNames & string)
  | RegisteredName<"optimizer">;

/** The optimizers by name: lowercase, Keras class name or snake_case (case and underscores ignored). */
const OPTIMIZERS = new Registry<Factory>({ kind: "optimizer" });
for (const [name, { factory }] of Object.entries(BUILT_IN))
  OPTIMIZERS.register(name, (options) =>
    (factory as (options: Record<string, unknown>) => Optimizer)(options),
  );

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
