// train/metrics/regression: mean absolute / squared / percentage error, root mean squared error
// and R^2, accumulated over batches with optional sample weights (Keras 3 semantics).

import { ValueError } from "../../core/errors.js";
import { numberOption, stringOption } from "../../core/options.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import type { Tensor } from "../../tensor/tensor.js";
import {
  broadcastWeights,
  MeanMetric,
  type Metric,
  type MetricOptions,
  pairedValues,
  readMetricOptions,
} from "./metric.js";

const EPSILON = 1e-7;

type Elementwise = (t: number, p: number) => number;

class ElementwiseMean extends MeanMetric {
  constructor(
    name: string,
    readonly className: string,
    private readonly fn: Elementwise,
  ) {
    super(name);
  }

  protected values(yTrue: Tensor, yPred: Tensor): { values: ArrayLike<number>; batch: number } {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const out = new Float64Array(p.length);
    for (let j = 0; j < p.length; j++) out[j] = this.fn(t[j]!, p[j]!);
    return { values: out, batch: yPred.shape[0]! };
  }
}

/** Mean of |yPred - yTrue|. */
export function meanAbsoluteError(options: MetricOptions = {}): Metric {
  const { name } = readMetricOptions("meanAbsoluteError", options, "mean_absolute_error");
  return new ElementwiseMean(name, "MeanAbsoluteError", (t, p) => Math.abs(p - t));
}

/** Mean of (yPred - yTrue)^2. */
export function meanSquaredError(options: MetricOptions = {}): Metric {
  const { name } = readMetricOptions("meanSquaredError", options, "mean_squared_error");
  return new ElementwiseMean(name, "MeanSquaredError", (t, p) => (p - t) * (p - t));
}

/** Mean of 100 |yTrue - yPred| / max(|yTrue|, eps). */
export function meanAbsolutePercentageError(options: MetricOptions = {}): Metric {
  const { name } = readMetricOptions(
    "meanAbsolutePercentageError",
    options,
    "mean_absolute_percentage_error",
  );
  return new ElementwiseMean(
    name,
    "MeanAbsolutePercentageError",
    (t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPSILON),
  );
}

/** sqrt of the weighted mean of (yPred - yTrue)^2 over everything seen since reset. */
export class RootMeanSquaredError extends ElementwiseMean {
  constructor(options: MetricOptions = {}) {
    const { name } = readMetricOptions("rootMeanSquaredError", options, "root_mean_squared_error");
    super(name, "RootMeanSquaredError", (t, p) => (p - t) * (p - t));
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}

export function rootMeanSquaredError(options: MetricOptions = {}): Metric {
  return new RootMeanSquaredError(options);
}

export interface R2ScoreOptions extends MetricOptions {
  /** How per-output scores combine: "uniform_average" (default) or "variance_weighted_average". */
  classAggregation?: "uniform_average" | "variance_weighted_average";
  class_aggregation?: "uniform_average" | "variance_weighted_average";
  /** For the adjusted R^2 (default 0: unadjusted). */
  numRegressors?: number;
  num_regressors?: number;
}

/** Coefficient of determination 1 - SS_res / SS_tot per output column, then averaged. */
export class R2Score implements Metric {
  readonly className = "R2Score";
  readonly name: string;
  readonly classAggregation: "uniform_average" | "variance_weighted_average";
  readonly numRegressors: number;
  private outputs = -1;
  private sum = new Float64Array(0);
  private squaredSum = new Float64Array(0);
  private residual = new Float64Array(0);
  private weight = new Float64Array(0);
  private samples = 0;

  constructor(options: R2ScoreOptions = {}) {
    const owner = "r2Score";
    const read = readMetricOptions(owner, options, "r2_score", {
      classAggregation: ["class_aggregation"],
      numRegressors: ["num_regressors"],
    });
    this.name = read.name;
    const aggregation = stringOption(owner, read.options, "classAggregation", "uniform_average");
    if (aggregation !== "uniform_average" && aggregation !== "variance_weighted_average") {
      throw new ValueError(
        `${owner}: classAggregation must be "uniform_average" or "variance_weighted_average" (got "${aggregation}")`,
      );
    }
    this.classAggregation = aggregation;
    this.numRegressors = numberOption(owner, read.options, "numRegressors", 0);
    if (!Number.isInteger(this.numRegressors) || this.numRegressors < 0) {
      throw new ValueError(`${owner}: numRegressors must be an integer >= 0 (got ${this.numRegressors})`);
    }
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const batch = yPred.shape[0]!;
    const outputs = batch === 0 ? Math.max(this.outputs, 1) : p.length / batch;
    if (this.outputs === -1) {
      this.outputs = outputs;
      this.reset();
    } else if (outputs !== this.outputs) {
      throw new ValueError(`${this.name}: expected ${this.outputs} outputs per sample (got ${outputs})`);
    }
    const w = broadcastWeights(this.name, sampleWeight, batch, p.length);
    for (let j = 0; j < p.length; j++) {
      const c = j % outputs;
      const wj = w === null ? 1 : w[j]!;
      const tj = t[j]!;
      this.sum[c]! += tj * wj;
      this.squaredSum[c]! += tj * tj * wj;
      this.residual[c]! += (tj - p[j]!) * (tj - p[j]!) * wj;
      this.weight[c]! += wj;
    }
    this.samples += batch;
  }

  result(): number {
    if (this.outputs <= 0) return 0;
    let scoreSum = 0;
    let weighted = 0;
    let totalSum = 0;
    for (let c = 0; c < this.outputs; c++) {
      const mean = this.sum[c]! / this.weight[c]!;
      const total = this.squaredSum[c]! - this.sum[c]! * mean;
      let score = 1 - this.residual[c]! / total;
      if (score === Number.POSITIVE_INFINITY || score === Number.NEGATIVE_INFINITY) score = 0;
      scoreSum += score;
      weighted += score * total;
      totalSum += total;
    }
    let r2 = this.classAggregation === "uniform_average" ? scoreSum / this.outputs : weighted / totalSum;
    if (this.numRegressors > 0) {
      const n = this.samples;
      const k = this.numRegressors;
      if (n - k - 1 > 0) r2 = 1 - ((1 - r2) * (n - 1)) / (n - k - 1);
    }
    return r2;
  }

  reset(): void {
    const n = Math.max(this.outputs, 0);
    this.sum = new Float64Array(n);
    this.squaredSum = new Float64Array(n);
    this.residual = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.samples = 0;
  }

  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: { name: this.name, classAggregation: this.classAggregation, numRegressors: this.numRegressors },
    };
  }
}

export function r2Score(options: R2ScoreOptions = {}): Metric {
  return new R2Score(options);
}
