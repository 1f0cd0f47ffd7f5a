// train/losses/loss: the Loss interface, Keras's reductions (computeLoss) and the shape and dtype
// alignment every built-in loss applies to (yTrue, yPred). Losses are composed from src/ops, so
// the scalar computeLoss returns carries the gradient back to yPred.
//
// Shapes: B is the batch, C the class (last) axis. `call` returns Keras's unreduced loss, one value
// per sample ([B]) or per sample and timestep ([B, T]); `perSample` averages the rest to [B].

import { ConfigError, ShapeError, ValueError } from "../../core/errors.js";
import { formatShape, shapesEqual } from "../../core/shape.js";
import { getMask } from "../../nn/mask.js";
import { div, mul } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { mean, sum } from "../../ops/reduce.js";
import { broadcastTo, expandDims, reshape } from "../../ops/shape.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import { Tensor } from "../../tensor/tensor.js";

/** Keras 3's loss reductions ("mean" is an alias of "sum_over_batch_size"). */
export type Reduction = "sum_over_batch_size" | "mean" | "sum" | "mean_with_sample_weight" | "none";

export const REDUCTIONS: readonly Reduction[] = [
  "sum_over_batch_size",
  "mean",
  "sum",
  "mean_with_sample_weight",
  "none",
];

/** Keras's backend epsilon, used to keep logs and divisions finite. */
export const EPSILON = 1e-7;

/**
 * A loss: per-sample values (differentiable in yPred) plus how they reduce to a scalar.
 * @example
 * const l = losses.meanSquaredError();
 * computeLoss(l, yTrue, yPred).backward();
 */
export interface Loss {
  /** Keras name, e.g. "mean_squared_error"; the log key of a metric built from this loss. */
  readonly name: string;
  /** How computeLoss reduces (default "sum_over_batch_size"). */
  readonly reduction?: Reduction;
  /** One value per sample: shape [batch]. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /** The unreduced loss ([B] or [B, T, ...]), when finer than per sample; computeLoss prefers it. */
  call?(yTrue: Tensor, yPred: Tensor): Tensor;
  /** 1 where an entry of call() counts, 0 where it is ignored (e.g. ignoreClass), or null. */
  mask?(yTrue: Tensor, yPred: Tensor): Tensor | null;
  getConfig(): SerializedConfig;
}

/** Checks a reduction name (Keras spelling; camelCase accepted). */
export function parseReduction(owner: string, value: unknown): Reduction {
  if (value === undefined) return "sum_over_batch_size";
  if (value === null) return "none";
  const normal =
    typeof value === "string" ? value.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase() : undefined;
  const found = REDUCTIONS.find((r) => r === normal);
  if (found === undefined) {
    throw new ConfigError(
      `${owner}: reduction must be one of ${REDUCTIONS.join(", ")} (got ${JSON.stringify(value)})`,
    );
  }
  return found;
}

/**
 * Reduces a loss to a scalar the Keras way: weights multiply the unreduced values, then
 * "sum_over_batch_size" divides the sum by the number of values (not by the sum of weights).
 * With reduction "none" the weighted values come back unreduced.
 */
export function computeLoss(loss: Loss, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
  let values = loss.call !== undefined ? loss.call(yTrue, yPred) : loss.perSample(yTrue, yPred);
  const reduction = loss.reduction ?? "sum_over_batch_size";
  let weights: Tensor | null =
    sampleWeight === undefined ? null : alignWeights(loss.name, sampleWeight, values);
  const mask = entryMask(loss, yTrue, yPred, values);
  if (mask !== null && (reduction === "sum_over_batch_size" || reduction === "mean")) {
    // valid entries get weight total/valid, so the mean runs over the valid ones only
    let valid = 0;
    for (let i = 0; i < mask.size; i++) valid += mask.data[i]!;
    const scaled = mul(mask, mask.size / (valid + EPSILON));
    weights = weights === null ? scaled : mul(weights, scaled);
  } else if (mask !== null) {
    weights = weights === null ? mask : mul(weights, mask);
  }
  if (weights !== null) values = mul(values, weights);
  switch (reduction) {
    case "none":
      return values;
    case "sum":
      return sum(values);
    case "mean_with_sample_weight":
      return weights === null
        ? mean(values)
        : divideNoNaN(sum(values), sum(broadcastTo(weights, values.shape)));
    default:
      return values.size === 0 ? sum(values) : mean(values);
  }
}

/**
 * The entries of the unreduced loss that count, as 0/1 in the values' dtype and shape: the loss's
 * own mask (e.g. ignoreClass) times the Keras mask the prediction carries (Embedding maskZero or
 * Masking, passed on by the layers: (B, T) over a sequence output), or null when neither applies.
 */
function entryMask(loss: Loss, yTrue: Tensor, yPred: Tensor, values: Tensor): Tensor | null {
  const own = loss.mask?.(yTrue, yPred) ?? null;
  let mask = own === null ? null : cast(own, values.dtype);
  const carried = getMask(yPred);
  if (carried !== null) {
    const lead = carried.shape;
    const shape = values.shape;
    if (lead.length > shape.length || lead.some((d, i) => d !== shape[i])) {
      throw new ShapeError(
        `${loss.name}: the prediction's mask must cover the leading axes of the loss values (got mask ${formatShape(lead)} for values ${formatShape(shape)})`,
      );
    }
    let m = cast(carried, values.dtype);
    if (lead.length < shape.length) {
      m = broadcastTo(reshape(m, [...lead, ...shape.slice(lead.length).map(() => 1)]), shape);
    }
    mask = mask === null ? m : mul(mask, m);
  }
  return mask;
}

function divideNoNaN(a: Tensor, b: Tensor): Tensor {
  return b.item() === 0 ? mul(a, 0) : div(a, b);
}

/**
 * Sample weights as a factor of `values`: [B] or [B, 1] apply per sample (reshaped to broadcast
 * over the other axes); a weight of the values' full shape applies per entry (e.g. per timestep).
 */
export function alignWeights(owner: string, weight: Tensor, values: Tensor): Tensor {
  let w = weight.dtype === values.dtype ? weight : cast(weight, values.dtype);
  if (shapesEqual(w.shape, values.shape)) return w;
  if (w.rank === 2 && w.shape[1] === 1) w = reshape(w, [w.shape[0]!]);
  if (values.rank >= 1 && w.rank === 1 && w.shape[0] === values.shape[0]) {
    return reshape(w, [w.shape[0]!, ...values.shape.slice(1).map(() => 1)]);
  }
  if (values.rank === 0 && w.size === 1) return reshape(w, []);
  throw new ShapeError(
    `${owner}: sampleWeight must have shape [batch] or ${formatShape(values.shape)} (got ${formatShape(weight.shape)})`,
  );
}

/** Averages every axis but the first, giving [B]. */
export function meanPerSample(values: Tensor): Tensor {
  if (values.rank === 0) {
    throw new ShapeError("loss: expected one value per sample (got a scalar); return an unreduced loss");
  }
  if (values.rank === 1) return values;
  return mean(
    values,
    values.shape.slice(1).map((_, i) => i + 1),
  );
}

/**
 * Keras's squeeze_or_expand_to_same_rank, then a strict shape check: a [B] target next to [B, 1]
 * predictions becomes [B, 1]; [B] next to [B] becomes [B, 1] each (one output per sample). yTrue is
 * cast to yPred's dtype.
 */
export function alignPair(owner: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  checkTensors(owner, yTrue, yPred);
  let t = yTrue;
  let p = yPred;
  if (t.rank + 1 === p.rank && p.shape[p.rank - 1] === 1) t = expandDims(t, -1);
  else if (p.rank + 1 === t.rank && t.shape[t.rank - 1] === 1) p = expandDims(p, -1);
  if (t.rank === 1 && p.rank === 1) {
    t = expandDims(t, -1);
    p = expandDims(p, -1);
  }
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ShapeError(
      `${owner}: yTrue and yPred shapes differ (got ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)})`,
    );
  }
  if (p.rank < 1) throw new ShapeError(`${owner}: expected a batch axis (got a scalar yPred)`);
  if (t.dtype !== p.dtype) t = cast(t, p.dtype);
  return [t, p];
}

export function checkTensors(owner: string, yTrue: unknown, yPred: unknown): void {
  if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
    throw new ValueError(`${owner}: yTrue and yPred must be tensors`);
  }
  if (yPred.dtype !== "float32" && yPred.dtype !== "float64") {
    throw new ValueError(`${owner}: yPred must be float32 or float64 (got ${yPred.dtype})`);
  }
}

/** A loss built from a function returning the unreduced loss; the base of the built-in losses. */
export class FunctionLoss implements Loss {
  constructor(
    readonly name: string,
    readonly className: string,
    private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
    private readonly config: Record<string, unknown> = {},
    readonly reduction: Reduction = "sum_over_batch_size",
    private readonly maskFn: ((yTrue: Tensor, yPred: Tensor) => Tensor | null) | null = null,
  ) {}

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanPerSample(this.call(yTrue, yPred));
  }

  mask(yTrue: Tensor, yPred: Tensor): Tensor | null {
    return this.maskFn === null ? null : this.maskFn(yTrue, yPred);
  }

  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: { name: this.name, reduction: this.reduction, ...this.config },
    };
  }
}
