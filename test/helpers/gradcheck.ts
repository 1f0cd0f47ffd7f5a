// test/helpers/gradcheck: float64 central-difference check of autograd gradients.
// The scalar checked is L = sum(f(x) * r) with a fixed random projection r, so every output
// element contributes with its own weight and a wrong sign or a transposed gradient shows.
import assert from "node:assert/strict";
import { backward, Generator, noGrad, Tensor } from "../../src/index.js";

export interface GradcheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance on each gradient element (default 1e-6). */
  atol?: number;
  /** Relative tolerance on each gradient element (default 1e-5). */
  rtol?: number;
  /** Seed of the projection r (default 1). */
  seed?: number;
}

function projection(size: number, seed: number): Float64Array {
  const g = new Generator(seed);
  const r = new Float64Array(size);
  // uniform in [0.5, 1.5) with a random sign: never near zero, so no output element is ignored
  for (let i = 0; i < size; i++) r[i] = (g.random() < 0.5 ? -1 : 1) * g.uniform(0.5, 1.5);
  return r;
}

function projected(y: Tensor, r: Float64Array): number {
  assert.equal(y.size, r.length, "gradcheck: f changed its output size between calls");
  let total = 0;
  for (let i = 0; i < y.size; i++) total += (y.data[i] as number) * r[i]!;
  return total;
}

/**
 * Checks autograd's gradient of `f` with respect to every float64 input against central
 * differences. Inputs of other dtypes (int32 indices, bool masks) are passed through unchecked.
 * Throws an AssertionError naming the input, element, analytic and numeric values.
 * @example
 * gradcheck((a, b) => mul(a, b), [randn([2, 3], { dtype: "float64" }), randn([3], { dtype: "float64" })]);
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const checked = inputs.map((x) => x.dtype === "float64");
  assert.ok(checked.some(Boolean), "gradcheck: at least one input must be float64");
  // fresh leaves over copies of the data, so the caller's tensors are never touched
  const leaves = inputs.map((x) => {
    const leaf = new Tensor(x.data.slice(), x.shape);
    if (x.dtype === "float64") leaf.requiresGrad = true;
    return leaf;
  });

  const y = f(...leaves);
  assert.ok(y instanceof Tensor, "gradcheck: f must return a Tensor");
  assert.equal(y.dtype, "float64", "gradcheck: f must return a float64 tensor");
  const r = projection(y.size, options.seed ?? 1);
  if (y.requiresGrad) backward(y, new Tensor(r.slice(), y.shape));

  leaves.forEach((leaf, which) => {
    if (!checked[which]) return;
    const analytic = leaf.grad;
    if (analytic !== null) {
      assert.deepEqual([...analytic.shape], [...leaf.shape], `gradcheck: input ${which} gradient shape`);
      assert.equal(analytic.dtype, "float64", `gradcheck: input ${which} gradient dtype`);
    }
    const data = leaf.data as Float64Array;
    for (let i = 0; i < data.length; i++) {
      const saved = data[i]!;
      data[i] = saved + eps;
      const plus = noGrad(() => projected(f(...leaves), r));
      data[i] = saved - eps;
      const minus = noGrad(() => projected(f(...leaves), r));
      data[i] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const got = analytic === null ? 0 : (analytic.data[i] as number);
      if (!(Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric))) {
        assert.fail(
          `gradcheck: input ${which} (shape [${leaf.shape}]) element ${i}: autograd ${got}, numeric ${numeric}` +
            ` (x = ${saved}, eps ${eps}, atol ${atol}, rtol ${rtol})`,
        );
      }
    }
  });
}

/** float64 tensor with uniform values in [low, high) from a fixed seed. */
export function uniform64(shape: readonly number[], low: number, high: number, seed: number): Tensor {
  const g = new Generator(seed);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = g.uniform(low, high);
  return new Tensor(data, shape);
}

/**
 * float64 tensor with values of magnitude in [minAbs, maxAbs) and a random sign: keeps inputs
 * away from kinks at 0 (relu, abs, sign-dependent branches).
 */
export function awayFromZero64(
  shape: readonly number[],
  minAbs: number,
  maxAbs: number,
  seed: number,
): Tensor {
  const g = new Generator(seed);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = (g.random() < 0.5 ? -1 : 1) * g.uniform(minAbs, maxAbs);
  return new Tensor(data, shape);
}

/** float64 tensor of distinct values (a shuffled, spaced grid): no ties for max/min/sort-like ops. */
export function distinct64(shape: readonly number[], seed: number, spacing = 0.37): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const order = g.permutation(n);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (order[i]! - n / 2) * spacing + 0.05;
  return new Tensor(data, shape);
}
