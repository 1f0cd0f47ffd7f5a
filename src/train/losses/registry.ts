// train/losses/registry: losses by name (camelCase, Keras snake_case and class names, and the
// short aliases "mse", "mae", "mape", "msle", "bce", "kld"), from a serialized config, or from a
// plain function returning the unreduced loss.

import type { NameSpellings, RegisteredName } from "../../core/names.js";
import { Registry, resolve } from "../../core/registry.js";
import type { Tensor } from "../../tensor/tensor.js";
import { categoricalHinge, hinge, squaredHinge } from "./hinge.js";
import { FunctionLoss, type Loss } from "./loss.js";
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  kullbackLeiblerDivergence,
  poisson,
  sparseCategoricalCrossentropy,
} from "./probabilistic.js";
import {
  cosineSimilarity,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from "./regression.js";

/** The loss factories, each taking an options object. */
export const losses = {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  huber,
  logCosh,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  kullbackLeiblerDivergence,
  hinge,
  squaredHinge,
  categoricalHinge,
  poisson,
  cosineSimilarity,
};

type LossFactory = (options: Record<string, unknown>) => Loss;

/** The short and Keras alias names registered below. */
type LossAlias = "mse" | "mae" | "mape" | "msle" | "huber_loss" | "logcosh" | "bce" | "cce" | "scce";

/**
 * Names of losses registered at run time, for the type checker: `declare module "tessera-ml"
 * { interface CustomLossNames { focal: true } }` (or use the name registerLoss returns).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomLossNames {}

/**
 * A loss name as compile({ loss }) and getLoss accept it: the built-ins in camelCase, snake_case or
 * class spelling ("meanSquaredError", "mean_squared_error", "MeanSquaredError"), the aliases
 * ("mse"), and names registered with registerLoss. A typo does not type-check.
 */
export type LossName =
  | NameSpellings<keyof typeof losses>
  | LossAlias
  | "kld"
  | "kl_divergence"
  | "KLDivergence"
  | (keyof CustomLossNames & string)
  | RegisteredName<"loss">;

/** The losses by name: "mean_squared_error", "meanSquaredError" and "MeanSquaredError" are one. */
const LOSSES = new Registry<LossFactory>({ kind: "loss" });
/** Registers a factory under its canonical name and aliases. */
function register(factory: LossFactory, name: string, ...aliases: string[]): void {
  LOSSES.register(name, factory, ...aliases);
}
register(meanSquaredError, "meanSquaredError", "mse");
register(meanAbsoluteError, "meanAbsoluteError", "mae");
register(meanAbsolutePercentageError, "meanAbsolutePercentageError", "mape");
register(meanSquaredLogarithmicError, "meanSquaredLogarithmicError", "msle");
register(huber, "huber", "huber_loss");
register(logCosh, "logCosh", "logcosh");
register(binaryCrossentropy, "binaryCrossentropy", "bce");
register(categoricalCrossentropy, "categoricalCrossentropy", "cce");
register(sparseCategoricalCrossentropy, "sparseCategoricalCrossentropy", "scce");
register(kullbackLeiblerDivergence, "kullbackLeiblerDivergence", "kld", "kl_divergence", "KLDivergence");
register(hinge, "hinge");
register(squaredHinge, "squaredHinge");
register(categoricalHinge, "categoricalHinge");
register(poisson, "poisson");
register(cosineSimilarity, "cosineSimilarity");

/**
 * Registers a loss factory under a name (looked up case-insensitively, underscores ignored) and
 * returns the name, typed so that compile({ loss }) accepts it.
 * @example
 * const focal = registerLoss("focal", (o) => new FocalLoss(o));
 * model.compile({ optimizer: "adam", loss: focal });
 */
export function registerLoss<N extends string>(name: N, factory: LossFactory): RegisteredName<"loss", N> {
  register(factory, name);
  return name as RegisteredName<"loss", N>;
}

/** The names getLoss understands (canonical camelCase ones, and those registered at run time). */
export function lossNames(): string[] {
  return LOSSES.names();
}

/** True when `spec` names a registered loss (narrows a string from a config file to LossName). */
export function isLossName(spec: string): spec is LossName {
  return LOSSES.has(spec);
}

/**
 * A loss from a name, an object implementing Loss (returned as is), a serialized
 * `{ className, config }`, or a function (yTrue, yPred) => unreduced loss.
 * @example
 * getLoss("sparse_categorical_crossentropy");
 * getLoss((yTrue, yPred) => mean(abs(sub(yPred, yTrue)), -1));
 */
export function getLoss(
  spec:
    | string
    | Loss
    | ((yTrue: Tensor, yPred: Tensor) => Tensor)
    | { className: string; config?: Record<string, unknown> },
): Loss {
  if (typeof spec === "function") {
    const name = spec.name !== "" ? spec.name : "custom_loss";
    return new FunctionLoss(name, "Custom", spec);
  }
  return resolve(LOSSES, spec, {
    where: "getLoss",
    expected: "a loss name, a Loss, a function or { className, config }",
    isInstance: (value): value is Loss =>
      typeof value === "object" && value !== null && typeof (value as Loss).perSample === "function",
    build: (factory, config) => factory(config),
  });
}
