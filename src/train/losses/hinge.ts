// train/losses/hinge: margin losses for classifiers with scores in (-inf, inf). Binary targets in
// {0, 1} are mapped to {-1, 1} first, as Keras does.

import { mul, sub } from "../../ops/binary.js";
import { max, mean, sum } from "../../ops/reduce.js";
import { relu, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import { alignPair, FunctionLoss, type Loss } from "./loss.js";
import { type LossOptions, readLossOptions } from "./options.js";

/** 2t - 1 when every target is 0 or 1, else t unchanged. */
function toSignedLabels(t: Tensor): Tensor {
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    if (v !== 0 && v !== 1) return t;
  }
  return sub(mul(t, 2), 1);
}

function margin(
  owner: string,
  name: string,
  className: string,
  options: LossOptions,
  squared: boolean,
): Loss {
  const read = readLossOptions(owner, options, name);
  return new FunctionLoss(
    read.name,
    className,
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      const hinge = relu(sub(1, mul(toSignedLabels(t), p)));
      return mean(squared ? square(hinge) : hinge, -1);
    },
    {},
    read.reduction,
  );
}

/** mean(max(1 - t * yPred, 0)) over the last axis, t in {-1, 1} (or {0, 1}, converted). */
export function hinge(options: LossOptions = {}): Loss {
  return margin("hinge", "hinge", "Hinge", options, false);
}

/** mean(max(1 - t * yPred, 0)^2) over the last axis. */
export function squaredHinge(options: LossOptions = {}): Loss {
  return margin("squaredHinge", "squared_hinge", "SquaredHinge", options, true);
}

/** max(neg - pos + 1, 0) with pos = sum(t * p), neg = max((1 - t) * p), for one-hot t. */
export function categoricalHinge(options: LossOptions = {}): Loss {
  const owner = "categoricalHinge";
  const read = readLossOptions(owner, options, "categorical_hinge");
  return new FunctionLoss(
    read.name,
    "CategoricalHinge",
    (yTrue, yPred) => {
      const [t, p] = alignPair(owner, yTrue, yPred);
      const pos = sum(mul(t, p), -1);
      const neg = max(mul(sub(1, t), p), -1);
      return relu(sub(neg, sub(pos, 1)));
    },
    {},
    read.reduction,
  );
}
