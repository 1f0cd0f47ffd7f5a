// train/losses/regression: losses on real-valued targets (Keras 3 formulas), each averaged over
// the last axis to one value per sample.

import { checkRange, numberOption } from "../../core/options.js";
import { normalizeAxis } from "../../core/shape.js";
import { add, div, maximum, mul, sub } from "../../ops/binary.js";
import { lessEqual, where } from "../../ops/compare.js";
import { mean, sum } from "../../ops/reduce.js";
import { abs, log1p, neg, rsqrt, softplus, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import { alignPair, EPSILON, FunctionLoss, type Loss } from "./loss.js";
import { axisOption, type LossOptions, readLossOptions } from "./options.js";

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

export interface CosineSimilarityOptions extends LossOptions {
  /** Axis along which the similarity is computed (default -1). */
  axis?: number;
}

function simple(
  owner: string,
  name: string,
  className: string,
  options: LossOptions,
  elementwise: (t: Tensor, p: Tensor) => Tensor,
): Loss {
  const read = readLossOptions(owner, options, name);
  return new FunctionLoss(
    read.name,
    className,
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      return mean(elementwise(t, p), -1);
    },
    {},
    read.reduction,
  );
}

/**
 * mean((yPred - yTrue)^2) over the last axis.
 * @example
 * computeLoss(meanSquaredError(), tensor([[1], [2]]), tensor([[1.5], [2]])); // 0.125
 */
export function meanSquaredError(options: LossOptions = {}): Loss {
  return simple("meanSquaredError", "mean_squared_error", "MeanSquaredError", options, (t, p) =>
    square(sub(p, t)),
  );
}

/** mean(|yPred - yTrue|) over the last axis. */
export function meanAbsoluteError(options: LossOptions = {}): Loss {
  return simple("meanAbsoluteError", "mean_absolute_error", "MeanAbsoluteError", options, (t, p) =>
    abs(sub(p, t)),
  );
}

/** 100 * mean(|yTrue - yPred| / max(|yTrue|, eps)) over the last axis. */
export function meanAbsolutePercentageError(options: LossOptions = {}): Loss {
  return simple(
    "meanAbsolutePercentageError",
    "mean_absolute_percentage_error",
    "MeanAbsolutePercentageError",
    options,
    (t, p) => mul(div(abs(sub(t, p)), maximum(abs(t), EPSILON)), 100),
  );
}

/** mean((log(1 + max(yPred, eps)) - log(1 + max(yTrue, eps)))^2) over the last axis. */
export function meanSquaredLogarithmicError(options: LossOptions = {}): Loss {
  return simple(
    "meanSquaredLogarithmicError",
    "mean_squared_logarithmic_error",
    "MeanSquaredLogarithmicError",
    options,
    (t, p) => square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))),
  );
}

/** 0.5 e^2 where |e| <= delta, delta (|e| - delta / 2) elsewhere, e = yPred - yTrue. */
export function huber(options: HuberOptions = {}): Loss {
  const owner = "huber";
  const read = readLossOptions(owner, options, "huber_loss", { delta: [] });
  const delta = checkRange(owner, "delta", numberOption(owner, read.options, "delta", 1), 0, Infinity);
  return new FunctionLoss(
    read.name,
    "Huber",
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      const error = sub(p, t);
      const absError = abs(error);
      const quadratic = mul(square(error), 0.5);
      const linear = sub(mul(absError, delta), 0.5 * delta * delta);
      return mean(where(lessEqual(absError, delta), quadratic, linear), -1);
    },
    { delta },
    read.reduction,
  );
}

/** mean(log(cosh(yPred - yTrue))) over the last axis, as x + softplus(-2x) - log 2 (no overflow). */
export function logCosh(options: LossOptions = {}): Loss {
  return simple("logCosh", "log_cosh", "LogCosh", options, (t, p) => {
    const x = sub(p, t);
    return sub(add(x, softplus(mul(x, -2))), Math.LN2);
  });
}

/** x / sqrt(max(sum(x^2), 1e-12)) along an axis (Keras's l2 normalization). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return mul(x, rsqrt(maximum(sum(square(x), axis, { keepDims: true }), 1e-12)));
}

/** -sum(normalize(yTrue) * normalize(yPred)) along an axis: -1 when they point the same way. */
export function cosineSimilarity(options: CosineSimilarityOptions = {}): Loss {
  const owner = "cosineSimilarity";
  const read = readLossOptions(owner, options, "cosine_similarity", { axis: [] });
  const axis = axisOption(owner, read.options);
  return new FunctionLoss(
    read.name,
    "CosineSimilarity",
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      const a = normalizeAxis(owner, axis, p.rank);
      return neg(sum(mul(l2Normalize(t, a), l2Normalize(p, a)), a));
    },
    { axis },
    read.reduction,
  );
}
