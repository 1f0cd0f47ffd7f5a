// autograd/functional: grad(f) and valueAndGrad(f), JAX-style function transforms over tensors.
// They compose: inside another transform (or given arguments that carry a graph) the gradient is
// computed with createGraph, so grad(grad(f)) is the second derivative. A gradient with respect to
// something the output does not depend on raises a GradError unless allowUnused is set.
import { GradError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { zerosLike } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { gradientsOf, linkedLeaf } from "./backward.js";
import { buildsOnGraph, runTransformed } from "./mode.js";

/** Options of grad() and valueAndGrad(). */
export interface GradOptions {
  /**
   * Which arguments to differentiate: one index (grad returns one Tensor) or a list (an array).
   * Default: every argument; grad then returns a Tensor when f is declared with exactly one
   * parameter (so grad(grad(f)) works as in JAX) and an array otherwise.
   */
  argnums?: number | readonly number[];
  /**
   * Differentiate with respect to these tensors instead of the arguments, e.g. a model's
   * `trainableWeights` the function closes over. The arguments are passed through untouched.
   */
  wrt?: readonly Tensor[];
  /** Give zeros for an argument the output does not depend on, instead of raising (PyTorch's allow_unused). */
  allowUnused?: boolean;
  /**
   * Make the gradients part of the graph, so they can be differentiated again (a gradient
   * penalty's backward, a Hessian). Default: on inside another transform or when an argument
   * requires a gradient, off otherwise.
   */
  createGraph?: boolean;
}

/** What one transformed call computed. */
interface Differentiated {
  value: Tensor;
  grads: Tensor[];
}

function targetName(options: GradOptions, index: number, argnums: readonly number[]): string {
  return options.wrt !== undefined ? `wrt[${index}]` : `argument ${argnums[index]}`;
}

function checkFloat(op: string, what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new GradError(`${op}: ${what} must be a Tensor`);
  if (t.dtype !== "float32" && t.dtype !== "float64") {
    throw new GradError(`${op}: ${what} must be a floating-point tensor (got ${t.dtype})`);
  }
  return t;
}

/** The argument indices to differentiate (every one by default), checked against the call. */
function resolveArgnums(op: string, argnums: GradOptions["argnums"], count: number): number[] {
  if (argnums === undefined) return Array.from({ length: count }, (_, i) => i);
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new GradError(`${op}: argnums ${i} is out of range for a call with ${count} arguments`);
    }
  }
  if (new Set(list).size !== list.length)
    throw new GradError(`${op}: argnums [${list.join(",")}] repeats an index`);
  return list;
}

function differentiate<Args extends unknown[]>(
  op: string,
  f: (...args: Args) => Tensor,
  options: GradOptions,
  args: Args,
): Differentiated {
  const argnums = options.wrt === undefined ? resolveArgnums(op, options.argnums, args.length) : [];
  if (options.wrt === undefined && argnums.length === 0) {
    throw new GradError(
      `${op}: nothing to differentiate (the function was called without arguments); to differentiate tensors it closes over, such as a model's weights, pass { wrt: model.trainableWeights }`,
    );
  }
  const inputs: unknown[] = [...args];
  const targets: Tensor[] = [];
  if (options.wrt !== undefined) {
    options.wrt.forEach((t, i) => {
      const target = checkFloat(op, `wrt[${i}]`, t);
      if (!target.requiresGrad) {
        throw new GradError(
          `${op}: wrt[${i}] (shape ${formatShape(target.shape)}) does not require a gradient; set requiresGrad = true on it (model weights already do)`,
        );
      }
      targets.push(target);
    });
  } else {
    for (const i of argnums) {
      const leaf = linkedLeaf(checkFloat(op, `argument ${i}`, args[i]));
      inputs[i] = leaf;
      targets.push(leaf);
    }
  }
  const createGraph = options.createGraph ?? buildsOnGraph(argnums.map((i) => args[i] as Tensor));
  const value = runTransformed(() => f(...(inputs as Args)));
  if (!(value instanceof Tensor) || value.size !== 1) {
    const got = value instanceof Tensor ? `shape ${formatShape(value.shape)}` : typeof value;
    throw new GradError(`${op}: the function must return a tensor with exactly one element (got ${got})`);
  }
  const found = gradientsOf(value, targets, undefined, { createGraph });
  const grads = targets.map((t, i) => {
    const g = found[i];
    if (g !== null && g !== undefined) return g;
    if (options.allowUnused === true) return zerosLike(t);
    const why = value.requiresGrad
      ? "the output does not depend on it"
      : "the output is not connected to any gradient graph (computed under noGrad, or from detached tensors)";
    throw new GradError(
      `${op}: cannot differentiate with respect to ${targetName(options, i, argnums)} (shape ${formatShape(t.shape)}): ${why}; pass { allowUnused: true } to get zeros`,
    );
  });
  // inside a graph-building call the value stays linked to the arguments' history
  return { value: createGraph ? value : new Tensor(value.data, value.shape), grads };
}

/** A function with the same declared parameter count as f, so transforms of it can read f.length. */
function withLength<F extends (...args: never[]) => unknown>(fn: F, length: number): F {
  Object.defineProperty(fn, "length", { value: length });
  return fn;
}

/**
 * Wraps a scalar-valued function so it returns its value and the gradients (one per
 * differentiated argument, or per `wrt` tensor, in order).
 * @example
 * const f = valueAndGrad((x: Tensor) => sum(square(x)));
 * const { value, grads } = f(tensor([1, 2])); // grads[0] = [2, 4]
 * const step = valueAndGrad((x: Tensor, y: Tensor) => mse(model.apply(x), y), { wrt: model.trainableWeights });
 */
export function valueAndGrad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  options: GradOptions = {},
): (...args: Args) => { value: Tensor; grads: Tensor[] } {
  return withLength((...args: Args) => differentiate("valueAndGrad", f, options, args), f.length);
}

/** A single Tensor when the gradient is taken for one argument; an array otherwise. */
export type GradResult<Args extends unknown[]> = Args extends [unknown] ? Tensor : Tensor[];

/**
 * The gradient of a scalar-valued function. For `f` declared with exactly one parameter (or with
 * `argnums` a single index) the result is one Tensor, so grad composes: grad(grad(f)) is f''.
 * With several parameters (or `argnums` a list, or `wrt`) it is an array, one per argument.
 * @example
 * const cube = (a: Tensor) => sum(pow(a, 3));
 * grad(grad(cube))(tensor([2])); // [12]
 * const [da, db] = grad((a: Tensor, b: Tensor) => sum(mul(a, b)))(a, b);
 */
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  options: GradOptions & { argnums: number },
): (...args: Args) => Tensor;
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  options: GradOptions & ({ argnums: readonly number[] } | { wrt: readonly Tensor[] }),
): (...args: Args) => Tensor[];
export function grad<Args extends Tensor[]>(
  f: (...args: Args) => Tensor,
  options?: GradOptions,
): (...args: Args) => GradResult<Args>;
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  options: GradOptions = {},
): (...args: Args) => Tensor | Tensor[] {
  const single =
    typeof options.argnums === "number" ||
    (options.argnums === undefined && options.wrt === undefined && f.length === 1);
  // a one-parameter f differentiates its first argument only, whatever else a caller passes
  const effective = single && options.argnums === undefined ? { ...options, argnums: 0 } : options;
  return withLength((...args: Args) => {
    const { grads } = differentiate("grad", f, effective, args);
    return single ? grads[0]! : grads;
  }, f.length);
}
