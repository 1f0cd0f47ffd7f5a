// train/metrics/mean: Mean, the running weighted mean of a value (fit tracks the loss with it,
// weighted by batch size as Keras does).

import { ValueError } from "../../core/errors.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Metric, MetricOptions } from "./metric.js";
import { broadcastWeights, readMetricOptions } from "./metric.js";

/**
 * A weighted running mean. `update(values, sampleWeight)` takes a number or a tensor of values and
 * an optional weight (a number, or a tensor of one weight per value).
 * @example
 * const loss = metrics.mean({ name: "loss" });
 * loss.update(0.5, 32); loss.update(0.3, 16); loss.result(); // (0.5*32 + 0.3*16) / 48
 */
export class Mean implements Metric {
  readonly className = "Mean";
  readonly name: string;
  private total = 0;
  private count = 0;

  constructor(options: MetricOptions = {}) {
    this.name = readMetricOptions("mean", options, "mean").name;
  }

  update(values: Tensor | number, sampleWeight?: Tensor | number): void {
    if (typeof values === "number") {
      const w =
        sampleWeight === undefined
          ? 1
          : typeof sampleWeight === "number"
            ? sampleWeight
            : sampleWeight.item();
      if (!Number.isFinite(w)) throw new ValueError(`${this.name}: sample weight must be finite (got ${w})`);
      this.total += values * w;
      this.count += w;
      return;
    }
    if (!(values instanceof Tensor))
      throw new ValueError(`${this.name}: values must be a number or a tensor`);
    const data = values.data;
    if (sampleWeight === undefined || typeof sampleWeight === "number") {
      const w = sampleWeight ?? 1;
      for (let j = 0; j < data.length; j++) this.total += data[j]! * w;
      this.count += data.length * w;
      return;
    }
    const batch = values.rank === 0 ? 1 : values.shape[0]!;
    const weights = broadcastWeights(this.name, sampleWeight, batch, data.length)!;
    for (let j = 0; j < data.length; j++) {
      this.total += data[j]! * weights[j]!;
      this.count += weights[j]!;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  getConfig(): SerializedConfig {
    return { className: this.className, config: { name: this.name } };
  }
}

export function mean(options: MetricOptions = {}): Mean {
  return new Mean(options);
}
