// train/metrics/metric: the Metric interface (stateful: update per batch, result at any time,
// reset per epoch) and MeanMetric, the weighted running mean most metrics are. Metrics read the
// typed arrays directly: they never record gradients and allocate no tensors.
//
// Shapes: yPred is [B, ...]; per-element values are averaged with weights broadcast per sample.

import type { TypedArray } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { readOptions } from "../../core/options.js";
import { formatShape } from "../../core/shape.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * A stateful metric.
 * @example
 * const acc = metrics.binaryAccuracy();
 * acc.update(yTrue, yPred); acc.result(); acc.reset();
 */
export interface Metric {
  /** The log key, e.g. "accuracy", "val_" is prefixed by fit for validation. */
  readonly name: string;
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  result(): number;
  reset(): void;
  getConfig(): SerializedConfig;
}

export interface MetricOptions {
  /** The log key (defaults to the Keras name, e.g. "binary_accuracy"). */
  name?: string;
}

/** Reads `name` plus the metric's own options (camelCase name -> aliases). */
export function readMetricOptions(
  owner: string,
  raw: unknown,
  defaultName: string,
  own: Readonly<Record<string, readonly string[]>> = {},
): { options: Map<string, unknown>; name: string } {
  const options = readOptions(owner, raw, { name: [], ...own });
  const name = options.get("name") ?? defaultName;
  if (typeof name !== "string") throw new ValueError(`${owner}: name must be a string`);
  return { options, name };
}

export function checkMetricInputs(owner: string, yTrue: unknown, yPred: unknown): void {
  if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
    throw new ValueError(`${owner}: yTrue and yPred must be tensors`);
  }
  if (yPred.rank === 0) throw new ShapeError(`${owner}: yPred needs a batch axis (got a scalar)`);
}

/**
 * yTrue and yPred as flat arrays of equal length, after Keras's rank alignment ([B] next to [B, 1]
 * is fine). Throws when their shapes do not match.
 */
export function pairedValues(owner: string, yTrue: Tensor, yPred: Tensor): { t: TypedArray; p: TypedArray } {
  checkMetricInputs(owner, yTrue, yPred);
  const sameAfterSqueeze =
    yTrue.size === yPred.size &&
    (yTrue.rank === yPred.rank ||
      (yTrue.rank + 1 === yPred.rank && yPred.shape[yPred.rank - 1] === 1) ||
      (yPred.rank + 1 === yTrue.rank && yTrue.shape[yTrue.rank - 1] === 1)) &&
    yTrue.shape[0] === yPred.shape[0];
  const shapesMatch =
    sameAfterSqueeze && (yTrue.rank !== yPred.rank || yTrue.shape.every((d, i) => d === yPred.shape[i]));
  if (!shapesMatch) {
    throw new ShapeError(
      `${owner}: yTrue and yPred shapes differ (got ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)})`,
    );
  }
  return { t: yTrue.data, p: yPred.data };
}

/**
 * Per-element weights for `count` values over `batch` samples: null without weights, else one
 * weight per value, each sample's weight repeated over its values, or (a weight over leading axes,
 * e.g. a (B, T) mask for (B, T, C) values) each weight repeated over the values it leads.
 */
export function broadcastWeights(
  owner: string,
  sampleWeight: Tensor | undefined,
  batch: number,
  count: number,
): TypedArray | null {
  if (sampleWeight === undefined) return null;
  if (!(sampleWeight instanceof Tensor)) throw new ValueError(`${owner}: sampleWeight must be a tensor`);
  if (sampleWeight.size === count) return sampleWeight.data;
  const size = sampleWeight.size;
  if (size > 0 && (size === batch || (size > batch && count % size === 0))) {
    const per = count / size;
    const out = new Float64Array(count);
    for (let j = 0; j < count; j++) out[j] = sampleWeight.data[Math.floor(j / per)]!;
    return out;
  }
  throw new ShapeError(
    `${owner}: sampleWeight must have one value per sample (${batch}) or per element (${count}) (got shape ${formatShape(sampleWeight.shape)})`,
  );
}

/** A weighted running mean of per-element values: sum(v * w) / sum(w) (0 before any update). */
export abstract class MeanMetric implements Metric {
  abstract readonly className: string;
  protected total = 0;
  protected count = 0;

  constructor(readonly name: string) {}

  /** The per-element values of a batch (e.g. 1/0 matches) and the batch size B. */
  protected abstract values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number };

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { values, batch } = this.values(yTrue, yPred);
    const w = broadcastWeights(this.name, sampleWeight, batch, values.length);
    if (w === null) {
      for (let j = 0; j < values.length; j++) this.total += values[j]!;
      this.count += values.length;
      return;
    }
    for (let j = 0; j < values.length; j++) {
      this.total += values[j]! * w[j]!;
      this.count += w[j]!;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  protected ownConfig(): Record<string, unknown> {
    return {};
  }

  getConfig(): SerializedConfig {
    return { className: this.className, config: { name: this.name, ...this.ownConfig() } };
  }
}
