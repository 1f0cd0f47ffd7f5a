// nn/activations: the registry of named activation functions (Keras 3 names, snake_case or
// camelCase) over src/ops. Layers store an activation by its canonical name, so configs stay data.

import { describe } from "../core/config.js";
import { ConfigError } from "../core/errors.js";
import type { CamelCase, RegisteredName } from "../core/names.js";
import { Registry } from "../core/registry.js";
import {
  elu,
  exp,
  gelu,
  hardSigmoid,
  hardSwish,
  leakyRelu,
  logSigmoid,
  logSoftmax,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  softmax,
  softplus,
  softsign,
  sub,
  swish,
  tanh,
} from "../ops/index.js";
import type { EpilogueActivation } from "../ops/linalg.js";
import type { Tensor } from "../tensor/tensor.js";

/** An activation: tensor in, tensor of the same shape out. */
export type ActivationFn = (x: Tensor) => Tensor;

interface Entry {
  /** The canonical (Keras) name written into configs. */
  readonly name: string;
  readonly fn: ActivationFn;
  /** The fused epilogue of ops.linear that computes it, when there is one. */
  readonly epilogue?: EpilogueActivation;
}

/** The activations by name, matched case- and underscore-insensitively ("leakyRelu"). */
const ACTIVATIONS = new Registry<Entry>({ kind: "activation" });

/** The built-in activations, as registered below (Keras 3 names). */
type BuiltinActivation =
  | "linear"
  | "relu"
  | "sigmoid"
  | "tanh"
  | "softmax"
  | "log_softmax"
  | "elu"
  | "selu"
  | "gelu"
  | "leaky_relu"
  | "softplus"
  | "softsign"
  | "silu"
  | "swish"
  | "relu6"
  | "hard_sigmoid"
  | "hard_silu"
  | "hard_swish"
  | "mish"
  | "exponential"
  | "log_sigmoid"
  | "tanh_shrink";

/** Names of activations registered at run time, for the type checker (declaration merging). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomActivationNames {}

/**
 * An activation name as layers accept it: a built-in in snake_case ("leaky_relu") or camelCase
 * ("leakyRelu"), or a name registered with registerActivation. A typo does not type-check.
 */
export type ActivationName =
  | BuiltinActivation
  | CamelCase<BuiltinActivation>
  | (keyof CustomActivationNames & string)
  | RegisteredName<"activation">;

/**
 * Adds an activation to the registry under `name` (matched case- and underscore-insensitively), so
 * layers can use it and configs can name it, and returns the name typed so that layer options
 * accept it. Custom activations must be registered by the program that loads a model which uses
 * them.
 */
export function registerActivation<N extends string>(
  name: N,
  fn: ActivationFn,
  epilogue?: EpilogueActivation,
): RegisteredName<"activation", N> {
  const entry: Entry = epilogue === undefined ? { name, fn } : { name, fn, epilogue };
  ACTIVATIONS.register(name, entry);
  return name as RegisteredName<"activation", N>;
}

registerActivation("linear", (x) => x, "none");
registerActivation("relu", (x) => relu(x), "relu");
registerActivation("sigmoid", (x) => sigmoid(x), "sigmoid");
registerActivation("tanh", (x) => tanh(x), "tanh");
registerActivation("softmax", (x) => softmax(x, -1));
registerActivation("log_softmax", (x) => logSoftmax(x, -1));
registerActivation("elu", (x) => elu(x));
registerActivation("selu", (x) => selu(x));
registerActivation("gelu", (x) => gelu(x));
registerActivation("leaky_relu", (x) => leakyRelu(x));
registerActivation("softplus", (x) => softplus(x));
registerActivation("softsign", (x) => softsign(x));
registerActivation("silu", (x) => swish(x));
registerActivation("swish", (x) => swish(x));
registerActivation("relu6", (x) => relu6(x));
registerActivation("hard_sigmoid", (x) => hardSigmoid(x));
registerActivation("hard_silu", (x) => hardSwish(x));
registerActivation("hard_swish", (x) => hardSwish(x));
registerActivation("mish", (x) => mish(x));
registerActivation("exponential", (x) => exp(x));
registerActivation("log_sigmoid", (x) => logSigmoid(x));
registerActivation("tanh_shrink", (x) => sub(x, tanh(x)));

/** A resolved activation: its canonical name, the function, and the fused epilogue if any. */
export interface Activation {
  /** The canonical name: one the registry knows, so a layer config can name it again. */
  readonly name: ActivationName;
  readonly fn: ActivationFn;
  readonly epilogue: EpilogueActivation | null;
}

/** Looks up an activation by name; null/undefined mean "linear". */
export function getActivation(id: unknown, where = "activation"): Activation {
  if (id === undefined || id === null) return getActivation("linear", where);
  if (typeof id !== "string") {
    throw new ConfigError(
      `${where}: expected an activation name (got ${describe(id)}); register custom functions with registerActivation`,
    );
  }
  const entry = ACTIVATIONS.require(where, id).value;
  return { name: entry.name as ActivationName, fn: entry.fn, epilogue: entry.epilogue ?? null };
}

/** The canonical names of every registered activation. */
export function listActivations(): string[] {
  return ACTIVATIONS.names();
}
