// train/metrics/accuracy: binary, categorical, sparse categorical and top-k accuracy, and the
// "accuracy" metric that picks one of the first three from the shapes it sees (Keras 3's rule)
// or from the loss it is compiled with.

import type { TypedArray } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { numberOption } from "../../core/options.js";
import { formatShape } from "../../core/shape.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import type { Tensor } from "../../tensor/tensor.js";
import {
  checkMetricInputs,
  MeanMetric,
  type Metric,
  type MetricOptions,
  pairedValues,
  readMetricOptions,
} from "./metric.js";

export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above this counts as 1 (default 0.5). */
  threshold?: number;
}

export interface TopKOptions extends MetricOptions {
  /** Default 5. */
  k?: number;
}

/** Index of the largest value in data[offset, offset + n) (first one on ties; NaN never wins). */
export function argmaxRow(data: TypedArray, offset: number, n: number): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) {
    const v = data[offset + c]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

/** Integer labels for class scores [B, ..., C]: the label tensor must be [B, ...] or [B, ..., 1]. */
export function sparseTargets(owner: string, yTrue: Tensor, yPred: Tensor): TypedArray {
  const batchShape = yPred.shape.slice(0, -1);
  const dims =
    yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.shape.slice(0, -1) : yTrue.shape;
  if (dims.length !== batchShape.length || dims.some((d, i) => d !== batchShape[i])) {
    throw new ShapeError(
      `${owner}: labels must have shape ${formatShape(batchShape)} for predictions of shape ${formatShape(yPred.shape)} (got ${formatShape(yTrue.shape)})`,
    );
  }
  return yTrue.data;
}

/** Fraction of entries where (yPred > threshold) equals yTrue. */
export class BinaryAccuracy extends MeanMetric {
  readonly className = "BinaryAccuracy";
  readonly threshold: number;

  constructor(options: BinaryAccuracyOptions = {}) {
    const read = readMetricOptions("binaryAccuracy", options, "binary_accuracy", { threshold: [] });
    super(read.name);
    this.threshold = numberOption("binaryAccuracy", read.options, "threshold", 0.5);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const out = new Float64Array(p.length);
    for (let j = 0; j < p.length; j++) out[j] = (p[j]! > this.threshold ? 1 : 0) === t[j]! ? 1 : 0;
    return { values: out, batch: yPred.shape[0]! };
  }

  protected override ownConfig(): Record<string, unknown> {
    return { threshold: this.threshold };
  }
}

/** Fraction of samples whose one-hot target and prediction have the same argmax. */
export class CategoricalAccuracy extends MeanMetric {
  readonly className = "CategoricalAccuracy";

  constructor(options: MetricOptions = {}) {
    super(readMetricOptions("categoricalAccuracy", options, "categorical_accuracy").name);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const n = yPred.shape[yPred.rank - 1]!;
    const rows = n === 0 ? 0 : p.length / n;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = argmaxRow(t, r * n, n) === argmaxRow(p, r * n, n) ? 1 : 0;
    return { values: out, batch: yPred.shape[0]! };
  }
}

/** Fraction of samples whose integer label equals the prediction's argmax. */
export class SparseCategoricalAccuracy extends MeanMetric {
  readonly className = "SparseCategoricalAccuracy";

  constructor(options: MetricOptions = {}) {
    super(readMetricOptions("sparseCategoricalAccuracy", options, "sparse_categorical_accuracy").name);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    checkMetricInputs(this.name, yTrue, yPred);
    const labels = sparseTargets(this.name, yTrue, yPred);
    const n = yPred.shape[yPred.rank - 1]!;
    const out = new Float64Array(labels.length);
    for (let r = 0; r < labels.length; r++) out[r] = argmaxRow(yPred.data, r * n, n) === labels[r] ? 1 : 0;
    return { values: out, batch: yPred.shape[0]! };
  }
}

// in_top_k: the target is in the top k when fewer than k classes score strictly higher (ties count
// in its favour, as TensorFlow's in_top_k does); a NaN target score never is.
function inTopK(p: TypedArray, offset: number, n: number, target: number, k: number): boolean {
  if (!Number.isInteger(target) || target < 0 || target >= n) return false;
  const score = p[offset + target]!;
  if (Number.isNaN(score)) return false;
  let higher = 0;
  for (let c = 0; c < n; c++) if (p[offset + c]! > score) higher++;
  return higher < k;
}

function readK(owner: string, options: Map<string, unknown>): number {
  const k = numberOption(owner, options, "k", 5);
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`${owner}: k must be an integer >= 1 (got ${k})`);
  return k;
}

/** Fraction of samples whose one-hot target class is among the k highest predictions. */
export class TopKCategoricalAccuracy extends MeanMetric {
  readonly className = "TopKCategoricalAccuracy";
  readonly k: number;

  constructor(options: TopKOptions = {}) {
    const read = readMetricOptions("topKCategoricalAccuracy", options, "top_k_categorical_accuracy", {
      k: [],
    });
    super(read.name);
    this.k = readK("topKCategoricalAccuracy", read.options);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const n = yPred.shape[yPred.rank - 1]!;
    const rows = n === 0 ? 0 : p.length / n;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = inTopK(p, r * n, n, argmaxRow(t, r * n, n), this.k) ? 1 : 0;
    return { values: out, batch: yPred.shape[0]! };
  }

  protected override ownConfig(): Record<string, unknown> {
    return { k: this.k };
  }
}

/** Fraction of samples whose integer label is among the k highest predictions. */
export class SparseTopKCategoricalAccuracy extends MeanMetric {
  readonly className = "SparseTopKCategoricalAccuracy";
  readonly k: number;

  constructor(options: TopKOptions = {}) {
    const owner = "sparseTopKCategoricalAccuracy";
    const read = readMetricOptions(owner, options, "sparse_top_k_categorical_accuracy", { k: [] });
    super(read.name);
    this.k = readK(owner, read.options);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    checkMetricInputs(this.name, yTrue, yPred);
    const labels = sparseTargets(this.name, yTrue, yPred);
    const n = yPred.shape[yPred.rank - 1]!;
    const out = new Float64Array(labels.length);
    for (let r = 0; r < labels.length; r++) out[r] = inTopK(yPred.data, r * n, n, labels[r]!, this.k) ? 1 : 0;
    return { values: out, batch: yPred.shape[0]! };
  }

  protected override ownConfig(): Record<string, unknown> {
    return { k: this.k };
  }
}

export type AccuracyKind = "binary" | "categorical" | "sparse";

/** Keras 3's choice for "accuracy": binary when yPred has one column, sparse when yTrue lacks the class axis. */
export function accuracyKindFromShapes(yTrue: readonly number[], yPred: readonly number[]): AccuracyKind {
  if (yPred.length <= 1) return "binary"; // one score per sample
  const predLast = yPred[yPred.length - 1] ?? 1;
  const trueLast = yTrue[yTrue.length - 1] ?? 1;
  if (predLast === 1) return "binary";
  if (yTrue.length < yPred.length || (trueLast === 1 && predLast > 1)) return "sparse";
  return "categorical";
}

/**
 * "accuracy": becomes binary, categorical or sparse categorical accuracy. A fixed `kind` decides at
 * once; otherwise the first update decides from the shapes.
 */
export class Accuracy implements Metric {
  readonly className = "Accuracy";
  readonly name: string;
  private inner: Metric | null = null;
  private kind: AccuracyKind | null;

  constructor(options: MetricOptions & { kind?: AccuracyKind } = {}) {
    const read = readMetricOptions("accuracy", options, "accuracy", { kind: [] });
    this.name = read.name;
    const kind = read.options.get("kind");
    if (kind !== undefined && kind !== "binary" && kind !== "categorical" && kind !== "sparse") {
      throw new ValueError(
        `accuracy: kind must be "binary", "categorical" or "sparse" (got ${String(kind)})`,
      );
    }
    this.kind = kind ?? null;
    if (this.kind !== null) this.inner = accuracyOfKind(this.kind, this.name);
  }

  /** The resolved kind, or null before the first update. */
  get resolvedKind(): AccuracyKind | null {
    return this.kind;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (this.inner === null) {
      checkMetricInputs(this.name, yTrue, yPred);
      this.kind = accuracyKindFromShapes(yTrue.shape, yPred.shape);
      this.inner = accuracyOfKind(this.kind, this.name);
    }
    this.inner.update(yTrue, yPred, sampleWeight);
  }

  result(): number {
    return this.inner === null ? 0 : this.inner.result();
  }

  reset(): void {
    this.inner?.reset();
  }

  getConfig(): SerializedConfig {
    return { className: this.className, config: { name: this.name, kind: this.kind } };
  }
}

function accuracyOfKind(kind: AccuracyKind, name: string): Metric {
  if (kind === "binary") return new BinaryAccuracy({ name });
  if (kind === "sparse") return new SparseCategoricalAccuracy({ name });
  return new CategoricalAccuracy({ name });
}
