// autograd/functional: grad(f) and valueAndGrad(f), JAX-style function transforms over tensors.
import { allocate } from "../core/dtype.js";
import { GradError } from "../core/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { gradientsOf } from "./backward.js";
import { enableGrad } from "./mode.js";

/**
 * Wraps a scalar-valued function so it returns its value and the gradient for every argument.
 * @example
 * const f = valueAndGrad((x: Tensor) => sum(square(x)));
 * const { value, grads } = f(tensor([1, 2])); // grads[0] = [2, 4]
 */
export function valueAndGrad<Args extends Tensor[]>(
  f: (...args: Args) => Tensor,
): (...args: Args) => { value: Tensor; grads: Tensor[] } {
  return (...args: Args) => {
    const inputs = args.map((a) => {
      if (!(a instanceof Tensor)) throw new GradError("valueAndGrad: every argument must be a Tensor");
      if (a.dtype !== "float32" && a.dtype !== "float64") {
        throw new GradError(`valueAndGrad: arguments must be floating-point tensors (got ${a.dtype})`);
      }
      const leaf = new Tensor(a.data, a.shape);
      leaf.requiresGrad = true;
      return leaf;
    }) as Args;
    const value = enableGrad(() => f(...inputs));
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw new GradError("valueAndGrad: the function must return a tensor with exactly one element");
    }
    const found = gradientsOf(value, inputs);
    const grads = inputs.map((t, i) => found[i] ?? new Tensor(allocate(t.dtype, t.size), t.shape));
    const result = new Tensor(value.data, value.shape);
    return { value: result, grads };
  };
}

/** Like valueAndGrad but returns only the gradients (one per argument). */
export function grad<Args extends Tensor[]>(f: (...args: Args) => Tensor): (...args: Args) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...args: Args) => vg(...args).grads;
}
