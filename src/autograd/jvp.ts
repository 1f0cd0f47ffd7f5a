// autograd/jvp: forward-mode products built from reverse mode. jvp(f, x, t) = J t through the
// double-vjp trick (u -> J^T u is linear in u, and its own vjp with seed t is J t); hvp(f, x, v)
// = H v as the gradient of <grad f(x), v>. Both need every gradient rule to be differentiable.
import { GradError, ShapeError } from "../core/errors.js";
import { formatShape, shapesEqual } from "../core/shape.js";
import { zerosLike } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { addTensors, gradientsOf, linkedLeaf } from "./backward.js";
import { buildsOnGraph, runTransformed } from "./mode.js";

/** Options of jvp() and hvp(). */
export interface ProductOptions {
  /** Treat an input the output does not depend on as contributing zero, instead of raising. */
  allowUnused?: boolean;
}

function checkPairs(op: string, xs: readonly Tensor[], vs: readonly Tensor[], what: string): void {
  if (xs.length === 0) throw new GradError(`${op}: expected at least one primal tensor`);
  if (xs.length !== vs.length) {
    throw new GradError(
      `${op}: got ${xs.length} primals and ${vs.length} ${what}s; pass one ${what} per primal`,
    );
  }
  xs.forEach((x, i) => {
    const v = vs[i]!;
    if (!(x instanceof Tensor) || !(v instanceof Tensor))
      throw new GradError(`${op}: primals and ${what}s must be Tensors`);
    if (x.dtype !== "float32" && x.dtype !== "float64")
      throw new GradError(`${op}: primal ${i} must be a floating-point tensor (got ${x.dtype})`);
    if (!shapesEqual(x.shape, v.shape) || x.dtype !== v.dtype) {
      throw new ShapeError(
        `${op}: ${what} ${i} must match its primal (${x.dtype} ${formatShape(x.shape)}; got ${v.dtype} ${formatShape(v.shape)})`,
      );
    }
  });
}

/** a + b, or b alone when a is null (recorded when recording is on). */
function plus(a: Tensor | null, b: Tensor): Tensor {
  return a === null ? b : addTensors(a, b);
}

function unused(op: string, i: number, x: Tensor): GradError {
  return new GradError(
    `${op}: the output does not depend on primal ${i} (shape ${formatShape(x.shape)}); pass { allowUnused: true } to treat it as zero`,
  );
}

/**
 * Jacobian-vector product: the value of f at the primals and J t, the directional derivative
 * along the tangents (one per primal, same shapes). f may return any shape.
 * @example
 * jvp((x) => mul(x, x), [tensor([3])], [tensor([1])]); // { value: [9], tangent: [6] }
 */
export function jvp(
  f: (...xs: Tensor[]) => Tensor,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  options: ProductOptions = {},
): { value: Tensor; tangent: Tensor } {
  checkPairs("jvp", primals, tangents, "tangent");
  const nested = buildsOnGraph(primals);
  const inputs = primals.map(linkedLeaf);
  return runTransformed(() => {
    const y = f(...inputs);
    if (!(y instanceof Tensor)) throw new GradError("jvp: the function must return a Tensor");
    // u is a dummy cotangent: J^T u is linear in u, and its gradient along t is J t
    const u = zerosLike(y);
    u.requiresGrad = true;
    const pulled = gradientsOf(y, inputs, u, { createGraph: true });
    let tangent: Tensor | null = null;
    pulled.forEach((g, i) => {
      if (g === null) {
        if (options.allowUnused !== true) throw unused("jvp", i, primals[i]!);
        return;
      }
      const [part] = gradientsOf(g, [u], tangents[i], { createGraph: nested });
      if (part !== null && part !== undefined) tangent = plus(tangent, part);
    });
    const result = tangent ?? zerosLike(y);
    return { value: nested ? y : new Tensor(y.data, y.shape), tangent: result };
  });
}

/**
 * Hessian-vector product of a scalar function: H v at the primals, one result per primal
 * (H v = grad of <grad f, v>), without forming the Hessian.
 * @example
 * hvp((x) => sum(pow(x, 3)), [tensor([2])], [tensor([1])]); // [[12]]
 */
export function hvp(
  f: (...xs: Tensor[]) => Tensor,
  primals: readonly Tensor[],
  vectors: readonly Tensor[],
  options: ProductOptions = {},
): Tensor[] {
  checkPairs("hvp", primals, vectors, "vector");
  const nested = buildsOnGraph(primals);
  const inputs = primals.map(linkedLeaf);
  return runTransformed(() => {
    const y = f(...inputs);
    if (!(y instanceof Tensor) || y.size !== 1) {
      throw new GradError("hvp: the function must return a tensor with exactly one element");
    }
    const first = gradientsOf(y, inputs, undefined, { createGraph: true });
    const total: (Tensor | null)[] = inputs.map(() => null);
    first.forEach((g, i) => {
      if (g === null) {
        if (options.allowUnused !== true) throw unused("hvp", i, primals[i]!);
        return;
      }
      if (!g.requiresGrad) return; // f is linear in this input: no curvature through it
      const second = gradientsOf(g, inputs, vectors[i], { createGraph: nested });
      second.forEach((h, j) => {
        if (h !== null) total[j] = plus(total[j] ?? null, h);
      });
    });
    return inputs.map((x, j) => total[j] ?? zerosLike(x));
  });
}
