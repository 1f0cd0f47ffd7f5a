// train/metrics/registry: metrics by name as compile({ metrics }) accepts them. A string's own
// spelling becomes the log key ("mae" logs as "mae"), as in Keras. Loss names and plain functions
// become running means of that loss.

import { noGrad } from "../../autograd/mode.js";
import { describe, expectedOneOf, normalizeName } from "../../core/config.js";
import { ConfigError } from "../../core/errors.js";
import type { NameSpellings, RegisteredName } from "../../core/names.js";
import { Registry } from "../../core/registry.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type Loss, meanPerSample } from "../losses/loss.js";
import { getLoss, isLossName, type LossName } from "../losses/registry.js";
import {
  Accuracy,
  type AccuracyKind,
  BinaryAccuracy,
  type BinaryAccuracyOptions,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  type TopKOptions,
} from "./accuracy.js";
import { AUC, type AucOptions } from "./auc.js";
import { F1Score, Precision, type PrecisionRecallOptions, Recall } from "./classification.js";
import { Mean, mean } from "./mean.js";
import { MeanMetric, type Metric, type MetricOptions } from "./metric.js";
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  type R2ScoreOptions,
  r2Score,
  rootMeanSquaredError,
} from "./regression.js";

export interface MetricContext {
  /** The compiled loss: a crossentropy decides which accuracy "accuracy" means. */
  loss?: Loss;
  /** The model's output shape (a last axis of 1 means binary accuracy). */
  outputShape?: readonly number[];
}

/** "accuracy" with the kind the context implies, or deciding at its first update. */
export function accuracy(options: MetricOptions & { kind?: AccuracyKind } = {}): Accuracy {
  return new Accuracy(options);
}
export function binaryAccuracy(options: BinaryAccuracyOptions = {}): Metric {
  return new BinaryAccuracy(options);
}
export function categoricalAccuracy(options: MetricOptions = {}): Metric {
  return new CategoricalAccuracy(options);
}
export function sparseCategoricalAccuracy(options: MetricOptions = {}): Metric {
  return new SparseCategoricalAccuracy(options);
}
export function topKCategoricalAccuracy(options: TopKOptions = {}): Metric {
  return new TopKCategoricalAccuracy(options);
}
export function sparseTopKCategoricalAccuracy(options: TopKOptions = {}): Metric {
  return new SparseTopKCategoricalAccuracy(options);
}

/** A running mean of a loss's per-sample values (e.g. metrics: ["binary_crossentropy"]). */
export class LossMetric extends MeanMetric {
  readonly className = "LossMetric";

  constructor(
    name: string,
    private readonly loss: Loss,
  ) {
    super(name);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    const values = noGrad(() =>
      meanPerSample(this.loss.call?.(yTrue, yPred) ?? this.loss.perSample(yTrue, yPred)),
    );
    return { values: values.data, batch: values.shape[0]! };
  }

  protected override ownConfig(): Record<string, unknown> {
    return { loss: this.loss.getConfig() };
  }
}

type MetricFactory = (options: { name?: string }) => Metric;

/** Metric built-ins (camelCase; snake_case and class spellings are accepted too). */
type BuiltinMetric =
  | "binaryAccuracy"
  | "categoricalAccuracy"
  | "sparseCategoricalAccuracy"
  | "topKCategoricalAccuracy"
  | "sparseTopKCategoricalAccuracy"
  | "meanAbsoluteError"
  | "meanSquaredError"
  | "meanAbsolutePercentageError"
  | "rootMeanSquaredError"
  | "r2Score"
  | "mean"
  | "precision"
  | "recall"
  | "f1Score"
  | "auc"
  | "prAuc";

/** Names of metrics registered at run time, for the type checker (declaration merging). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomMetricNames {}

/**
 * A metric name as compile({ metrics }) and getMetric accept it: "accuracy"/"acc", the built-ins
 * in camelCase, snake_case or class spelling, their aliases, any loss name (a running mean of the
 * loss) and names registered with registerMetric. A typo does not type-check.
 */
export type MetricName =
  | "accuracy"
  | "acc"
  | NameSpellings<BuiltinMetric>
  | "mae"
  | "mse"
  | "mape"
  | "rmse"
  | "r2"
  | "f1"
  | "auc_pr"
  | "AUC"
  | LossName
  | (keyof CustomMetricNames & string)
  | RegisteredName<"metric">;

/** The metrics by name (case and underscores ignored); "accuracy" is decided in getMetric. */
const METRICS = new Registry<MetricFactory>({ kind: "metric" });
/** Registers a factory under its canonical name and aliases. */
function register(factory: MetricFactory, name: string, ...aliases: string[]): void {
  METRICS.register(name, factory, ...aliases);
}
register(binaryAccuracy, "binaryAccuracy");
register(categoricalAccuracy, "categoricalAccuracy");
register(sparseCategoricalAccuracy, "sparseCategoricalAccuracy");
register(topKCategoricalAccuracy, "topKCategoricalAccuracy");
register(sparseTopKCategoricalAccuracy, "sparseTopKCategoricalAccuracy");
register(meanAbsoluteError, "meanAbsoluteError", "mae");
register(meanSquaredError, "meanSquaredError", "mse");
register(meanAbsolutePercentageError, "meanAbsolutePercentageError", "mape");
register(rootMeanSquaredError, "rootMeanSquaredError", "rmse");
register((o) => r2Score(o as R2ScoreOptions), "r2Score", "r2");
register(mean, "mean");
register((o) => new Precision(o as PrecisionRecallOptions), "precision");
register((o) => new Recall(o as PrecisionRecallOptions), "recall");
register((o) => new F1Score(o), "f1Score", "f1");
register((o) => new AUC(o as AucOptions), "auc");
register((o) => new AUC({ ...(o as AucOptions), curve: "PR" }), "prAuc", "auc_pr");

/**
 * Registers a metric factory under a name (case-insensitive, underscores ignored) and returns the
 * name, typed so that compile({ metrics }) accepts it.
 */
export function registerMetric<N extends string>(
  name: N,
  factory: MetricFactory,
): RegisteredName<"metric", N> {
  register(factory, name);
  return name as RegisteredName<"metric", N>;
}

function accuracyKindFromContext(context: MetricContext | undefined): AccuracyKind | undefined {
  const lossClass = context?.loss?.getConfig().className;
  if (lossClass === "BinaryCrossentropy") return "binary";
  if (lossClass === "SparseCategoricalCrossentropy") return "sparse";
  if (lossClass === "CategoricalCrossentropy") return "categorical";
  const shape = context?.outputShape;
  if (shape !== undefined && shape.length > 0 && shape[shape.length - 1] === 1) return "binary";
  return undefined;
}

/**
 * A metric from a name (its spelling becomes the log key), a Metric (returned as is), or a function
 * (yTrue, yPred) => per-sample values. "accuracy"/"acc" picks binary, categorical or sparse
 * accuracy from the context's loss or output shape, else from the first batch's shapes (Keras 3).
 * @example
 * getMetric("acc", { loss: getLoss("sparse_categorical_crossentropy") }).name; // "acc"
 */
export function getMetric(
  spec: string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor),
  context?: MetricContext,
): Metric {
  if (typeof spec === "string") {
    const k = normalizeName(spec);
    if (k === "accuracy" || k === "acc") {
      const kind = accuracyKindFromContext(context);
      return new Accuracy(kind === undefined ? { name: spec } : { name: spec, kind });
    }
    const factory = METRICS.get(spec);
    if (factory !== undefined) return factory({ name: spec });
    if (isLossName(spec)) return new LossMetric(spec, getLoss(spec));
    throw new ConfigError(`getMetric: unknown metric "${spec}" ${expectedOneOf(spec, metricNames())}`);
  }
  if (typeof spec === "function") {
    return new LossMetric(spec.name !== "" ? spec.name : "custom_metric", getLoss(spec));
  }
  if (typeof spec === "object" && spec !== null && typeof (spec as Metric).update === "function") return spec;
  throw new ConfigError(`getMetric: expected a metric name, a Metric or a function (got ${describe(spec)})`);
}

/** The metric names getMetric knows besides loss names (canonical spellings; aliases find them too). */
export function metricNames(): string[] {
  return ["accuracy", ...METRICS.names()];
}

export { Mean };
