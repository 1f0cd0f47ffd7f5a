// responsible/explain-shap: Kernel SHAP (Lundberg & Lee 2017; the shap package's KernelExplainer)
// for tabular models. A coalition z of features keeps x's values for the features in z and takes
// the others from each background row; v(z) is the model's mean output over the background. The
// SHAP values are the weighted least-squares fit of v(z) - E[f] on z with the Shapley kernel
// weights, constrained so they sum to f(x) - E[f] (efficiency). Every coalition is used when they
// fit in nSamples; otherwise whole subset sizes are enumerated from the smallest (and largest) up
// while the budget allows, and the rest are sampled by size with their complements (seeded).
// Shapes: x [N, D] rows to explain, background [B, D]; the model gives [B] or [B, K].
import { ShapeError, ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { linalg } from "../ops/index.js";
import { Tensor } from "../tensor/tensor.js";
import {
  checkCount,
  checkMatrix,
  type Explainable,
  forwardOf,
  predictMatrix,
  resolveTargets,
  tensorLike,
} from "./explain-model.js";

/** Options of kernelShap(). */
export interface KernelShapOptions {
  /** Coalitions evaluated per row; default 2 D + 2048 (shap's "auto"). */
  nSamples?: number;
  /** Seed of the sampled coalitions; default 0. */
  seed?: number;
  /** The output column explained: one index, one per row, or (default) each row's predicted class. */
  target?: number | readonly number[];
}

/** SHAP values of each row. */
export interface KernelShapResult {
  /** [N, D]: each feature's contribution; a row sums to f(x) - expectedValue. */
  values: Tensor;
  /** Per row: E[f(background)] of the explained output column. */
  expectedValue: Float64Array;
  /** Per row: f(x) of the explained output column. */
  prediction: Float64Array;
  /** The output column explained for each row. */
  targets: Int32Array;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** Coalitions (as 0/1 masks) and their regression weights. */
interface Coalitions {
  masks: Uint8Array[];
  weights: number[];
}

/** The Shapley kernel's total mass of subsets of size s (of d): (d - 1) / (s (d - s)). */
const sizeMass = (d: number, s: number) => (d - 1) / (s * (d - s));

function subsetsOfSize(d: number, s: number, visit: (mask: Uint8Array) => void): void {
  const chosen = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    const mask = new Uint8Array(d);
    for (const c of chosen) mask[c] = 1;
    visit(mask);
    let i = s - 1;
    while (i >= 0 && chosen[i] === d - s + i) i--;
    if (i < 0) return;
    chosen[i]!++;
    for (let k = i + 1; k < s; k++) chosen[k] = chosen[k - 1]! + 1;
  }
}

/** The coalitions of one explanation: enumerated sizes first (smallest with largest), then sampled. */
export function shapCoalitions(d: number, budget: number, random: Generator): Coalitions {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  let left = budget;
  let remainingSizes: number[] = [];
  for (let s = 1; s <= Math.floor(d / 2); s++) {
    const paired = s !== d - s;
    const count = binomial(d, s) * (paired ? 2 : 1);
    if (remainingSizes.length === 0 && count <= left) {
      for (const size of paired ? [s, d - s] : [s]) {
        const each = sizeMass(d, size) / binomial(d, size);
        subsetsOfSize(d, size, (mask) => {
          masks.push(mask);
          weights.push(each);
        });
      }
      left -= count;
    } else remainingSizes.push(s);
  }
  remainingSizes = remainingSizes.flatMap((s) => (s !== d - s ? [s, d - s] : [s]));
  if (remainingSizes.length > 0) {
    if (left < 2)
      throw new ValueError(
        `kernelShap: nSamples ${budget} is too small for ${d} features; use at least ${2 * d + 2}`,
      );
    const mass = remainingSizes.map((s) => sizeMass(d, s));
    const totalMass = mass.reduce((a, b) => a + b, 0);
    const pairs = Math.floor(left / 2);
    // each draw and its complement share the remaining kernel mass equally
    const each = totalMass / (2 * pairs);
    for (let p = 0; p < pairs; p++) {
      let u = random.random() * totalMass;
      let k = 0;
      while (k < mass.length - 1 && u >= mass[k]!) u -= mass[k++]!;
      const order = random.permutation(d);
      const mask = new Uint8Array(d);
      for (let i = 0; i < remainingSizes[k]!; i++) mask[order[i]!] = 1;
      masks.push(
        mask,
        mask.map((v) => 1 - v),
      );
      weights.push(each, each);
    }
  }
  return { masks, weights };
}

/** Solves gram phi = rhs; a sampled design that misses a feature is singular, and then a tiny
 * ridge makes it solvable (that feature gets ~0). */
function solveNormalEquations(gram: Float64Array, rhs: Float64Array, m: number): ArrayLike<number> {
  const solve = () => linalg.solve(new Tensor(gram, [m, m]), new Tensor(rhs, [m])).data;
  try {
    return solve();
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    let trace = 0;
    for (let p = 0; p < m; p++) trace += gram[p * m + p]!;
    for (let p = 0; p < m; p++) gram[p * m + p]! += 1e-12 * (trace / m) + Number.MIN_VALUE;
    return solve();
  }
}

/**
 * Kernel SHAP values of each row of `x` against a background sample, for any model that
 * predicts (no gradients needed).
 * @example
 * const { values, expectedValue } = explain.kernelShap(model, x, background.slice(0, 50));
 */
export function kernelShap(
  model: Explainable,
  x: Tensor,
  background: Tensor,
  options: KernelShapOptions = {},
): KernelShapResult {
  const op = "kernelShap";
  const [n, d] = checkMatrix(op, "x", x);
  const [b, width] = checkMatrix(op, "background", background);
  if (width !== d) throw new ShapeError(`${op}: background has ${width} features but x has ${d}`);
  const budget = checkCount(op, "nSamples", options.nSamples ?? 2 * d + 2048);
  if (budget < Math.min(2 * d + 2, 2 ** d - 2))
    throw new ValueError(
      `${op}: nSamples ${budget} is too small for ${d} features; use at least ${Math.min(2 * d + 2, 2 ** d - 2)}`,
    );
  const forward = forwardOf(model);
  const fx = predictMatrix(op, forward, x);
  const fb = predictMatrix(op, forward, background);
  const targets = resolveTargets(op, options.target, fx);
  const k = fx.width;
  const expectedColumns = new Float64Array(k);
  for (let i = 0; i < b; i++) for (let c = 0; c < k; c++) expectedColumns[c]! += fb.data[i * k + c]! / b;
  const values = new Float64Array(n * d);
  const expectedValue = new Float64Array(n);
  const prediction = new Float64Array(n);
  const random = new Generator(options.seed ?? 0);
  const all = 2 ** d - 2;
  for (let r = 0; r < n; r++) {
    const t = targets[r]!;
    const fxr = fx.data[r * k + t]!;
    const base = expectedColumns[t]!;
    expectedValue[r] = base;
    prediction[r] = fxr;
    if (d === 1) {
      values[r] = fxr - base;
      continue;
    }
    const { masks, weights } = shapCoalitions(d, Math.min(budget, all), random);
    // (C * B, D): coalition c's rows are x's features where mask is 1, background row i's elsewhere
    const stacked = new Float64Array(masks.length * b * d);
    masks.forEach((mask, c) => {
      for (let i = 0; i < b; i++)
        for (let j = 0; j < d; j++)
          stacked[(c * b + i) * d + j] = mask[j] === 1 ? x.data[r * d + j]! : background.data[i * d + j]!;
    });
    const out = predictMatrix(op, forward, tensorLike(x, stacked, [masks.length * b, d]));
    // eliminate the last feature with the constraint: phi_last = (f(x) - base) - sum of the others
    const m = d - 1;
    const gram = new Float64Array(m * m);
    const rhs = new Float64Array(m);
    const total = fxr - base;
    masks.forEach((mask, c) => {
      let v = 0;
      for (let i = 0; i < b; i++) v += out.data[(c * b + i) * k + t]! / b;
      const last = mask[m]!;
      const y = v - base - last * total;
      const w = weights[c]!;
      for (let p = 0; p < m; p++) {
        const zp = mask[p]! - last;
        if (zp === 0) continue;
        rhs[p]! += w * zp * y;
        for (let q = 0; q < m; q++) gram[p * m + q]! += w * zp * (mask[q]! - last);
      }
    });
    const phi = solveNormalEquations(gram, rhs, m);
    let sum = 0;
    for (let j = 0; j < m; j++) {
      values[r * d + j] = phi[j]!;
      sum += phi[j]!;
    }
    values[r * d + m] = total - sum;
  }
  return { values: new Tensor(values, [n, d]), expectedValue, prediction, targets };
}
