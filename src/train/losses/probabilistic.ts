// train/losses/probabilistic: crossentropies (binary, categorical, sparse categorical), KL
// divergence and Poisson, with Keras 3's formulas. From logits they use the stable forms:
// softplus(x) - x*t for sigmoid crossentropy and, for softmax, the fused log-softmax
// crossentropy ops of ops/crossentropy (the composed logSoftmax form for a class axis that is not
// the last).

import { DTypeError, IndexError, ShapeError, ValueError } from "../../core/errors.js";
import { booleanOption, checkRange, nullableNumberOption, numberOption } from "../../core/options.js";
import { formatShape, normalizeAxis } from "../../core/shape.js";
import { clip, logSoftmax } from "../../ops/activation.js";
import { add, div, mul, sub } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { notEqual } from "../../ops/compare.js";
import { softmaxCrossentropy, sparseSoftmaxCrossentropy } from "../../ops/crossentropy.js";
import { oneHot } from "../../ops/indexing.js";
import { mean, sum } from "../../ops/reduce.js";
import { reshape } from "../../ops/shape.js";
import { log, neg, softplus } from "../../ops/unary.js";
import { Tensor } from "../../tensor/tensor.js";
import { alignPair, checkTensors, EPSILON, FunctionLoss, type Loss } from "./loss.js";
import { axisOption, type LossOptions, readLossOptions } from "./options.js";

export interface CrossentropyOptions extends LossOptions {
  /** yPred holds logits (unnormalized scores) instead of probabilities. Alias `from_logits`. */
  fromLogits?: boolean;
  from_logits?: boolean;
  /** Move this much probability mass to the uniform distribution. Alias `label_smoothing`. */
  labelSmoothing?: number;
  label_smoothing?: number;
  /** The class axis (default -1). */
  axis?: number;
}

export interface SparseCategoricalCrossentropyOptions extends LossOptions {
  fromLogits?: boolean;
  from_logits?: boolean;
  /** A label value that contributes no loss and is left out of the mean. Alias `ignore_class`. */
  ignoreClass?: number | null;
  ignore_class?: number | null;
}

const CROSSENTROPY_OPTIONS = { fromLogits: ["from_logits"], labelSmoothing: ["label_smoothing"], axis: [] };

/** log of probabilities renormalized along `axis` and clipped to [eps, 1 - eps] (Keras). */
function logProbabilities(p: Tensor, axis: number): Tensor {
  return log(clip(div(p, sum(p, axis, { keepDims: true })), EPSILON, 1 - EPSILON));
}

/**
 * -(t log p + (1 - t) log(1 - p)) averaged over the last axis; from logits x it is the stable
 * softplus(x) - x t. Label smoothing: t = t (1 - s) + s / 2.
 * @example
 * binaryCrossentropy({ fromLogits: true })
 */
export function binaryCrossentropy(options: CrossentropyOptions = {}): Loss {
  const owner = "binaryCrossentropy";
  const read = readLossOptions(owner, options, "binary_crossentropy", CROSSENTROPY_OPTIONS);
  const o = read.options;
  const fromLogits = booleanOption(owner, o, "fromLogits", false);
  const smoothing = checkRange(owner, "labelSmoothing", numberOption(owner, o, "labelSmoothing", 0), 0, 1);
  const axis = axisOption(owner, o);
  return new FunctionLoss(
    read.name,
    "BinaryCrossentropy",
    (yTrue, yPred) => {
      let [t, p] = alignPair(owner, yTrue, yPred);
      if (smoothing > 0) t = add(mul(t, 1 - smoothing), 0.5 * smoothing);
      let values: Tensor;
      if (fromLogits) values = sub(softplus(p), mul(p, t));
      else {
        const pc = clip(p, EPSILON, 1 - EPSILON);
        values = neg(add(mul(t, log(pc)), mul(sub(1, t), log(sub(1, pc)))));
      }
      return mean(values, axis);
    },
    { fromLogits, labelSmoothing: smoothing, axis },
    read.reduction,
  );
}

/**
 * -sum(t log p) over the class axis, for one-hot (or soft) targets of yPred's shape. From logits it
 * uses logSoftmax. Label smoothing: t = t (1 - s) + s / numClasses.
 */
export function categoricalCrossentropy(options: CrossentropyOptions = {}): Loss {
  const owner = "categoricalCrossentropy";
  const read = readLossOptions(owner, options, "categorical_crossentropy", CROSSENTROPY_OPTIONS);
  const o = read.options;
  const fromLogits = booleanOption(owner, o, "fromLogits", false);
  const smoothing = checkRange(owner, "labelSmoothing", numberOption(owner, o, "labelSmoothing", 0), 0, 1);
  const axis = axisOption(owner, o);
  return new FunctionLoss(
    read.name,
    "CategoricalCrossentropy",
    (yTrue, yPred) => {
      checkTensors(owner, yTrue, yPred);
      if (yTrue.rank + 1 === yPred.rank && yPred.shape[yPred.rank - 1]! > 1) {
        throw new ShapeError(
          `${owner}: yTrue must be one-hot with yPred's shape (got ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)}); use sparseCategoricalCrossentropy for integer labels`,
        );
      }
      let [t, p] = alignPair(owner, yTrue, yPred);
      const a = normalizeAxis(owner, axis, p.rank);
      if (smoothing > 0) t = add(mul(t, 1 - smoothing), smoothing / p.shape[a]!);
      // the fused op covers logits over the last axis; other axes take the composed form
      if (fromLogits && a === p.rank - 1) return softmaxCrossentropy(p, t);
      const logp = fromLogits ? logSoftmax(p, a) : logProbabilities(p, a);
      return neg(sum(mul(t, logp), a));
    },
    { fromLogits, labelSmoothing: smoothing, axis },
    read.reduction,
  );
}

/** Integer class labels of shape yPred.shape[:-1] (a trailing axis of 1 allowed), as int32. */
export function sparseLabels(owner: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const batchShape = yPred.shape.slice(0, -1);
  let t = yTrue;
  if (t.rank === yPred.rank && t.shape[t.rank - 1] === 1) t = reshape(t, batchShape);
  if (t.rank !== batchShape.length || t.shape.some((d, i) => d !== batchShape[i])) {
    throw new ShapeError(
      `${owner}: labels must have shape ${formatShape(batchShape)} or ${formatShape([...batchShape, 1])} for predictions of shape ${formatShape(yPred.shape)} (got ${formatShape(yTrue.shape)})`,
    );
  }
  if (t.dtype === "int32") return t;
  if (t.dtype === "bool") return cast(t, "int32");
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    if (!Number.isInteger(v)) throw new DTypeError(`${owner}: labels must be integers (got ${v})`);
  }
  return cast(t, "int32");
}

/**
 * Categorical crossentropy for integer labels ([B] or [B, 1], int32 or integral floats) against
 * class scores [B, C]: -log p[label]. Labels equal to ignoreClass add nothing and are excluded
 * from the mean.
 */
export function sparseCategoricalCrossentropy(options: SparseCategoricalCrossentropyOptions = {}): Loss {
  const owner = "sparseCategoricalCrossentropy";
  const read = readLossOptions(owner, options, "sparse_categorical_crossentropy", {
    fromLogits: ["from_logits"],
    ignoreClass: ["ignore_class"],
  });
  const o = read.options;
  const fromLogits = booleanOption(owner, o, "fromLogits", false);
  const ignoreClass = nullableNumberOption(owner, o, "ignoreClass", null);
  if (ignoreClass !== null && !Number.isInteger(ignoreClass)) {
    throw new ValueError(`${owner}: ignoreClass must be an integer or null (got ${ignoreClass})`);
  }
  const validMask = (labels: Tensor): Tensor | null =>
    ignoreClass === null ? null : notEqual(labels, ignoreClass);
  return new FunctionLoss(
    read.name,
    "SparseCategoricalCrossentropy",
    (yTrue, yPred) => {
      checkTensors(owner, yTrue, yPred);
      if (yPred.rank < 2) {
        throw new ShapeError(`${owner}: yPred must have a class axis (got ${formatShape(yPred.shape)})`);
      }
      const labels = sparseLabels(owner, yTrue, yPred);
      const numClasses = yPred.shape[yPred.rank - 1]!;
      const clean = new Int32Array(labels.size);
      for (let i = 0; i < labels.size; i++) {
        const v = labels.data[i]!;
        if (v === ignoreClass) continue;
        if (v < 0 || v >= numClasses) {
          throw new IndexError(`${owner}: label ${v} is out of range for ${numClasses} classes`);
        }
        clean[i] = v;
      }
      const cleanLabels = new Tensor(clean, labels.shape);
      let values: Tensor;
      if (fromLogits) values = sparseSoftmaxCrossentropy(yPred, cleanLabels);
      else {
        const target = oneHot(cleanLabels, numClasses, { dtype: yPred.dtype });
        values = neg(sum(mul(target, logProbabilities(yPred, yPred.rank - 1)), -1));
      }
      const mask = validMask(labels);
      return mask === null ? values : mul(values, cast(mask, values.dtype));
    },
    { fromLogits, ignoreClass },
    read.reduction,
    (yTrue, yPred) => (ignoreClass === null ? null : validMask(sparseLabels(owner, yTrue, yPred))),
  );
}

/** sum(t log(t / p)) over the last axis, with both clipped to [eps, 1]. */
export function kullbackLeiblerDivergence(options: LossOptions = {}): Loss {
  const owner = "kullbackLeiblerDivergence";
  const read = readLossOptions(owner, options, "kl_divergence");
  return new FunctionLoss(
    read.name,
    "KLDivergence",
    (yTrue, yPred) => {
      const [t0, p0] = alignPair(owner, yTrue, yPred);
      const t = clip(t0, EPSILON, 1);
      const p = clip(p0, EPSILON, 1);
      return sum(mul(t, log(div(t, p))), -1);
    },
    {},
    read.reduction,
  );
}

/** mean(p - t log(p + eps)) over the last axis (yPred is a rate, e.g. after exp or softplus). */
export function poisson(options: LossOptions = {}): Loss {
  const owner = "poisson";
  const read = readLossOptions(owner, options, "poisson");
  return new FunctionLoss(
    read.name,
    "Poisson",
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      return mean(sub(p, mul(t, log(add(p, EPSILON)))), -1);
    },
    {},
    read.reduction,
  );
}
