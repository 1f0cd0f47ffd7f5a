// responsible/explain-gradients: gradient attributions of a differentiable model. saliency is
// |d output / d input| (Simonyan et al. 2013, Captum's Saliency), smoothGrad averages it over
// noisy copies of the input (Smilkov et al. 2017), integratedGradients integrates the gradient
// along the straight path from a baseline (Sundararajan et al. 2017, Captum's IntegratedGradients).
// Shapes: x is [N, D]; the model gives [N] or [N, K]; one output column (the target) per row.
import { valueAndGrad } from "../autograd/functional.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { mul, sum } from "../ops/index.js";
import { Tensor } from "../tensor/tensor.js";
import {
  checkCount,
  checkMatrix,
  type Explainable,
  type Forward,
  forwardOf,
  outputMatrix,
  predictMatrix,
  resolveTargets,
  tensorLike,
} from "./explain-model.js";

/** Options shared by the gradient methods. */
export interface GradientOptions {
  /** The output column explained: one index, one per row, or (default) the predicted class. */
  target?: number | readonly number[];
}

/** Gradients of each row's target output with respect to that row's inputs: [N * D] and outputs. */
function targetGradients(
  op: string,
  forward: Forward,
  x: Tensor,
  targets: Int32Array,
): { grads: Float64Array; outputs: Float64Array } {
  const rows = x.shape[0]!;
  const outputs = new Float64Array(rows);
  const step = valueAndGrad((input: Tensor) => {
    const y = forward(input);
    const out = outputMatrix(op, y, rows);
    // the mask picks out[r, target[r]]; rows are independent, so d sum / d x[r] = d out[r, t] / d x[r]
    const mask = new Float64Array(rows * out.width);
    for (let r = 0; r < rows; r++) {
      mask[r * out.width + targets[r]!] = 1;
      outputs[r] = out.data[r * out.width + targets[r]!]!;
    }
    return sum(mul(y, tensorLike(y, mask, y.shape)));
  });
  const { grads } = step(x);
  return { grads: Float64Array.from(grads[0]!.data), outputs };
}

/** The explained target of each row, from the model's outputs on `x`. */
function targetsFor(op: string, forward: Forward, x: Tensor, target: GradientOptions["target"]): Int32Array {
  return resolveTargets(op, target, predictMatrix(op, forward, x));
}

/** Options of saliency(). */
export interface SaliencyOptions extends GradientOptions {
  /** Absolute values of the gradient (Captum's default); false keeps the sign. */
  abs?: boolean;
}

/**
 * Saliency: the gradient of each row's target output with respect to its inputs, |d y / d x|.
 * @example
 * const map = explain.saliency(model, x); // [N, D], float64
 */
export function saliency(model: Explainable, x: Tensor, options: SaliencyOptions = {}): Tensor {
  return saliencyWithTargets(model, x, options).attributions;
}

/** saliency() together with the target each row was explained for (one forward pass picks them). */
export function saliencyWithTargets(
  model: Explainable,
  x: Tensor,
  options: SaliencyOptions = {},
): { attributions: Tensor; targets: Int32Array } {
  const [n, d] = checkMatrix("saliency", "x", x);
  const forward = forwardOf(model);
  const targets = targetsFor("saliency", forward, x, options.target);
  const { grads } = targetGradients("saliency", forward, x, targets);
  if (options.abs !== false) for (let i = 0; i < grads.length; i++) grads[i] = Math.abs(grads[i]!);
  return { attributions: new Tensor(grads, [n, d]), targets };
}

/** Options of smoothGrad(). */
export interface SmoothGradOptions extends SaliencyOptions {
  /** Noise standard deviation as a fraction of each row's value range (max - min); default 0.15. */
  noiseLevel?: number;
  /** Noisy copies averaged per row; default 25. */
  samples?: number;
  /** Seed of the noise; default 0. */
  seed?: number;
  /** Average squared gradients (SmoothGrad-Squared) instead; default false. */
  squared?: boolean;
}

/**
 * SmoothGrad: the saliency map averaged over `samples` copies of each row with Gaussian noise of
 * standard deviation noiseLevel * (max(x_row) - min(x_row)), seeded.
 */
export function smoothGrad(model: Explainable, x: Tensor, options: SmoothGradOptions = {}): Tensor {
  const op = "smoothGrad";
  const [n, d] = checkMatrix(op, "x", x);
  const samples = checkCount(op, "samples", options.samples ?? 25);
  const noiseLevel = options.noiseLevel ?? 0.15;
  if (!Number.isFinite(noiseLevel) || noiseLevel < 0)
    throw new ValueError(`${op}: noiseLevel must be a number >= 0 (got ${noiseLevel})`);
  const forward = forwardOf(model);
  const targets = targetsFor(op, forward, x, options.target);
  const random = new Generator(options.seed ?? 0);
  // (N * S, D): row r's copies are rows r * S .. r * S + S - 1
  const noisy = new Float64Array(n * samples * d);
  for (let r = 0; r < n; r++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < d; j++) {
      lo = Math.min(lo, x.data[r * d + j]!);
      hi = Math.max(hi, x.data[r * d + j]!);
    }
    const sigma = noiseLevel * (hi - lo);
    for (let s = 0; s < samples; s++)
      for (let j = 0; j < d; j++)
        noisy[(r * samples + s) * d + j] = x.data[r * d + j]! + random.normal(0, sigma);
  }
  const repeated = Int32Array.from({ length: n * samples }, (_, i) => targets[Math.floor(i / samples)]!);
  const { grads } = targetGradients(op, forward, tensorLike(x, noisy, [n * samples, d]), repeated);
  const result = new Float64Array(n * d);
  for (let i = 0; i < n * samples; i++) {
    const r = Math.floor(i / samples);
    for (let j = 0; j < d; j++) {
      const g = grads[i * d + j]!;
      result[r * d + j]! +=
        (options.squared === true ? g * g : options.abs === false ? g : Math.abs(g)) / samples;
    }
  }
  return new Tensor(result, [n, d]);
}

/** How integratedGradients() approximates the path integral (Captum's names). */
export type IntegrationMethod =
  | "gausslegendre"
  | "riemann_trapezoid"
  | "riemann_left"
  | "riemann_right"
  | "riemann_middle";

/** Nodes and weights of an n-point rule on [0, 1]. */
export function integrationRule(
  method: IntegrationMethod,
  steps: number,
): { alphas: number[]; weights: number[] } {
  const alphas: number[] = [];
  const weights: number[] = [];
  switch (method) {
    case "gausslegendre":
      return gaussLegendre(steps);
    case "riemann_trapezoid":
      if (steps < 2) throw new ValueError("integratedGradients: riemann_trapezoid needs steps >= 2");
      for (let i = 0; i < steps; i++) {
        alphas.push(i / (steps - 1));
        weights.push((i === 0 || i === steps - 1 ? 0.5 : 1) / (steps - 1));
      }
      return { alphas, weights };
    case "riemann_left":
    case "riemann_right":
    case "riemann_middle": {
      const shift = method === "riemann_left" ? 0 : method === "riemann_right" ? 1 : 0.5;
      for (let i = 0; i < steps; i++) {
        alphas.push((i + shift) / steps);
        weights.push(1 / steps);
      }
      return { alphas, weights };
    }
    default:
      throw new ValueError(
        `integratedGradients: unknown method "${String(method)}" (expected gausslegendre, riemann_trapezoid, riemann_left, riemann_right or riemann_middle)`,
      );
  }
}

/** Gauss-Legendre nodes (roots of P_n, found by Newton's method) and weights, mapped to [0, 1]. */
function gaussLegendre(n: number): { alphas: number[]; weights: number[] } {
  const alphas: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      // P_n(t) by the three-term recurrence; P_n'(t) = n (t P_n - P_{n-1}) / (t^2 - 1)
      let previous = 1;
      let current = t;
      for (let k = 2; k <= n; k++)
        [previous, current] = [current, ((2 * k - 1) * t * current - (k - 1) * previous) / k];
      derivative = (n * (t * current - previous)) / (t * t - 1);
      const next = t - current / derivative;
      const done = Math.abs(next - t) < 1e-15;
      t = next;
      if (done) break;
    }
    alphas.push((1 - t) / 2);
    weights.push(1 / ((1 - t * t) * derivative * derivative));
  }
  return { alphas, weights };
}

/** Options of integratedGradients(). */
export interface IntegratedGradientsOptions extends GradientOptions {
  /** The reference input: one number for every feature, a row [D] or [1, D], or one per row [N, D]. Default 0. */
  baseline?: number | Tensor;
  /** Points on the path; default 50 (Captum's n_steps). */
  steps?: number;
  /** Default "gausslegendre" (as Captum). */
  method?: IntegrationMethod;
  /** Rows evaluated per forward pass (rows x steps); default 4096. */
  internalBatchSize?: number;
}

/** Attributions and how far each row is from the completeness axiom. */
export interface IntegratedGradientsResult {
  /** [N, D]: (x - baseline) times the integrated gradient. */
  attributions: Tensor;
  /** Per row: sum of attributions - (f(x) - f(baseline)); Captum's convergence delta. */
  delta: Float64Array;
  /** The output column explained for each row. */
  targets: Int32Array;
}

function baselineRows(n: number, d: number, baseline: number | Tensor | undefined): Float64Array {
  const rows = new Float64Array(n * d);
  if (baseline === undefined || typeof baseline === "number") return rows.fill(baseline ?? 0);
  const perRow = baseline.size === n * d && baseline.rank === 2 && baseline.shape[0] === n;
  if (baseline.size !== d && !perRow)
    throw new ShapeError(
      `integratedGradients: baseline must be a number, [${d}], [1, ${d}] or [${n}, ${d}] (got [${baseline.shape.join(", ")}])`,
    );
  for (let i = 0; i < n * d; i++) rows[i] = baseline.data[perRow ? i : i % d]!;
  return rows;
}

/**
 * Integrated gradients: (x - x') * integral over a in [0, 1] of d f(x' + a (x - x')) / d x, for
 * each row's target output. The attributions of a row sum to f(x) - f(x') up to the integration
 * error, which `delta` reports.
 * @example
 * const { attributions, delta } = explain.integratedGradients(model, x, { baseline: 0, steps: 64 });
 */
export function integratedGradients(
  model: Explainable,
  x: Tensor,
  options: IntegratedGradientsOptions = {},
): IntegratedGradientsResult {
  const op = "integratedGradients";
  const [n, d] = checkMatrix(op, "x", x);
  const steps = checkCount(op, "steps", options.steps ?? 50);
  const batch = checkCount(op, "internalBatchSize", options.internalBatchSize ?? 4096);
  const { alphas, weights } = integrationRule(options.method ?? "gausslegendre", steps);
  const forward = forwardOf(model);
  const fx = predictMatrix(op, forward, x); // picks the targets and gives f(x) for the delta
  const targets = resolveTargets(op, options.target, fx);
  const base = baselineRows(n, d, options.baseline);
  const attributions = new Float64Array(n * d);
  const delta = new Float64Array(n);
  const chunk = Math.max(1, Math.floor(batch / steps));
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    // (rows * steps, D): row r's path points are rows r * steps .. r * steps + steps - 1
    const path = new Float64Array(rows * steps * d);
    for (let r = 0; r < rows; r++)
      for (let s = 0; s < steps; s++)
        for (let j = 0; j < d; j++) {
          const i = (start + r) * d + j;
          path[(r * steps + s) * d + j] = base[i]! + alphas[s]! * (x.data[i]! - base[i]!);
        }
    const repeated = Int32Array.from(
      { length: rows * steps },
      (_, i) => targets[start + Math.floor(i / steps)]!,
    );
    const { grads } = targetGradients(op, forward, tensorLike(x, path, [rows * steps, d]), repeated);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < d; j++) {
        let integral = 0;
        for (let s = 0; s < steps; s++) integral += weights[s]! * grads[(r * steps + s) * d + j]!;
        const i = (start + r) * d + j;
        attributions[i] = (x.data[i]! - base[i]!) * integral;
      }
  }
  // completeness: f(x) - f(x') per row, from the model itself
  const fb = predictMatrix(op, forward, tensorLike(x, base, [n, d]));
  for (let r = 0; r < n; r++) {
    let total = 0;
    for (let j = 0; j < d; j++) total += attributions[r * d + j]!;
    const t = targets[r]!;
    delta[r] = total - (fx.data[r * fx.width + t]! - fb.data[r * fb.width + t]!);
  }
  return { attributions: new Tensor(attributions, [n, d]), delta, targets };
}
