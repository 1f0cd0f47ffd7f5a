// test/helpers/gradcheck: float64 central-difference check of autograd gradients.
// The scalar checked is L = sum(f(x) * r) with a fixed random projection r, so every output
// element contributes with its own weight and a wrong sign or a transposed gradient shows.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { add, backward, Generator, mul, noGrad, setBackend, sum, Tensor } from "../../src/index.js";

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
 * Fresh leaves over copies of the inputs' data (the caller's tensors are never touched), float64
 * ones requiring a gradient, and which inputs are checked (the float64 ones: at least one).
 */
function checkedLeaves(op: string, inputs: readonly Tensor[]): { checked: boolean[]; leaves: Tensor[] } {
  const checked = inputs.map((x) => x.dtype === "float64");
  assert.ok(checked.some(Boolean), `${op}: at least one input must be float64`);
  const leaves = inputs.map((x) => {
    const leaf = new Tensor(x.data.slice(), x.shape);
    if (x.dtype === "float64") leaf.requiresGrad = true;
    return leaf;
  });
  return { checked, leaves };
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
  const { checked, leaves } = checkedLeaves("gradcheck", inputs);

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

/** What a second-order check measured. */
export interface SecondOrderResult {
  /** max |autograd - numeric| over every checked element, divided by max(1, max |numeric|). */
  relError: number;
  /** Largest second-derivative entry seen (numeric), so a check that only compares zeros shows. */
  scale: number;
}

/**
 * Second-order gradcheck: with L = sum(f(x) * r) and S = sum_i <dL/dx_i, s_i> for fixed random
 * projections r and s_i, compares dS/dx (autograd through the createGraph gradient) with central
 * differences of S computed from first-order gradients. Checks every float64 input; fails with the
 * input, element and both values; returns the error measured (for the closing table).
 * @example
 * gradcheck2((x) => tanh(x), [randn([3], { dtype: "float64" })]);
 */
export function gradcheck2(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): SecondOrderResult {
  const eps = options.eps ?? 1e-5;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const { checked, leaves } = checkedLeaves("gradcheck2", inputs);
  const seed = options.seed ?? 1;
  const y0 = noGrad(() => f(...leaves));
  const r = new Tensor(projection(y0.size, seed), y0.shape);
  const s = leaves.map((leaf, i) => new Tensor(projection(leaf.size, seed + 17 * (i + 1)), leaf.shape));
  // S(x) = sum_i <dL/dx_i, s_i>, built as a graph when createGraph is on
  const secondScalar = (createGraph: boolean): Tensor | null => {
    for (const leaf of leaves) leaf.grad = null;
    const y = f(...leaves);
    if (!y.requiresGrad) return null;
    backward(sum(mul(y, r)), undefined, { createGraph });
    let total: Tensor | null = null;
    leaves.forEach((leaf, i) => {
      if (!checked[i] || leaf.grad === null) return;
      const term = sum(mul(leaf.grad, s[i]!));
      total = total === null ? term : add(total, term);
    });
    for (const leaf of leaves) leaf.grad = null;
    return total;
  };
  const total = secondScalar(true);
  if (total?.requiresGrad) backward(total);
  const analytic = leaves.map((leaf) => leaf.grad);
  for (const leaf of leaves) leaf.grad = null;
  let worst = 0;
  let scale = 0;
  const failures: string[] = [];
  leaves.forEach((leaf, which) => {
    if (!checked[which]) return;
    const data = leaf.data as Float64Array;
    const value = () => {
      const t = secondScalar(false);
      return t === null ? 0 : t.item();
    };
    for (let i = 0; i < data.length; i++) {
      const saved = data[i]!;
      data[i] = saved + eps;
      const plus = value();
      data[i] = saved - eps;
      const minus = value();
      data[i] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const got = analytic[which] === null ? 0 : (analytic[which]!.data[i] as number);
      worst = Math.max(worst, Math.abs(got - numeric));
      scale = Math.max(scale, Math.abs(numeric));
      if (!(Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric))) {
        failures.push(
          `input ${which} (shape [${leaf.shape}]) element ${i}: autograd ${got}, numeric ${numeric}`,
        );
      }
    }
  });
  if (failures.length > 0)
    assert.fail(`gradcheck2: ${failures.slice(0, 3).join("; ")} (eps ${eps}, atol ${atol}, rtol ${rtol})`);
  return { relError: worst / Math.max(1, scale), scale };
}

/** Rows of the second-order table a test file prints when it ends: op, relative error, scale. */
export function printSecondOrderTable(title: string, rows: readonly [string, SecondOrderResult][]): void {
  const lines = rows.map(
    ([name, r]) => `| ${name} | ${r.relError.toExponential(1)} | ${r.scale.toExponential(1)} |`,
  );
  console.log(
    `second-order gradcheck: ${title}\n| op | max rel. error | largest d2 entry |\n|---|---|---|\n${lines.join("\n")}`,
  );
}

/**
 * One row of a second-order suite: name, function, inputs (float64 ones are checked), and
 * `{ zeroCurvature: true }` for a case whose second derivative is zero by design.
 */
export type SecondOrderCase = [string, (...xs: Tensor[]) => Tensor, Tensor[], { zeroCurvature: true }?];

/**
 * Declares one gradcheck2 test per case on the reference backend, and prints the suite's
 * op / relative error table when it ends. A case whose second derivative came out all zero fails
 * unless marked zeroCurvature (it would compare zeros with zeros and could not fail).
 */
export function secondOrderSuite(title: string, cases: readonly SecondOrderCase[]): void {
  const rows: [string, SecondOrderResult][] = [];
  describe(`second-order gradcheck: ${title}`, () => {
    before(() => setBackend("reference"));
    after(() => printSecondOrderTable(title, rows));
    for (const [name, f, inputs, expect] of cases) {
      test(name, () => {
        const result = gradcheck2(f, inputs);
        rows.push([name, result]);
        if (expect?.zeroCurvature) assert.equal(result.scale, 0, `${name}: second derivative should be zero`);
        else
          assert.ok(
            result.scale > 0,
            `${name}: second derivative is all zero, so the check compares nothing`,
          );
      });
    }
  });
}
