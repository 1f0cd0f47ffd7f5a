// train/metrics/auc: area under the ROC or precision-recall curve, approximated like Keras 3 from
// weighted confusion counts at fixed thresholds (numThresholds evenly spaced in [0, 1], plus
// -eps and 1 + eps at the ends), summed with trapezoids ("interpolation"; for PR, the
// Davis & Goadrich interpolation) or with lower/upper rectangles ("minoring"/"majoring").

import { describe } from "../../core/config.js";
import { ValueError } from "../../core/errors.js";
import { booleanOption, numberOption, stringOption } from "../../core/options.js";
import type { SerializedConfig } from "../../optim/learning-rate.js";
import type { Tensor } from "../../tensor/tensor.js";
import {
  broadcastWeights,
  type Metric,
  type MetricOptions,
  pairedValues,
  readMetricOptions,
} from "./metric.js";

export interface AucOptions extends MetricOptions {
  /** Default 200. Alias `num_thresholds`. */
  numThresholds?: number;
  num_thresholds?: number;
  /** "ROC" (default) or "PR". */
  curve?: "ROC" | "PR";
  /** "interpolation" (default), "minoring" or "majoring". Alias `summation_method`. */
  summationMethod?: "interpolation" | "minoring" | "majoring";
  summation_method?: "interpolation" | "minoring" | "majoring";
  /** Explicit thresholds in [0, 1] (numThresholds is then their count + 2). */
  thresholds?: readonly number[];
  /** One curve per output column, averaged; otherwise every entry is one binary sample. Alias `multi_label`. */
  multiLabel?: boolean;
  multi_label?: boolean;
  /** Apply a sigmoid to predictions first. Alias `from_logits`. */
  fromLogits?: boolean;
  from_logits?: boolean;
}

const EPSILON = 1e-7;

/** Keras's thresholds: -eps, the inner ones, 1 + eps. */
export function aucThresholds(numThresholds: number, explicit: readonly number[] | null): number[] {
  const inner =
    explicit !== null
      ? [...explicit].sort((a, b) => a - b)
      : Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1));
  return [0 - EPSILON, ...inner, 1 + EPSILON];
}

/** Area under the ROC (default) or PR curve. */
export class AUC implements Metric {
  readonly className = "AUC";
  readonly name: string;
  readonly numThresholds: number;
  readonly curve: "ROC" | "PR";
  readonly summationMethod: "interpolation" | "minoring" | "majoring";
  readonly multiLabel: boolean;
  readonly fromLogits: boolean;
  readonly thresholds: readonly number[];
  private readonly explicit: readonly number[] | null;
  // per label: weighted counts of positives/negatives by how many thresholds their score exceeds
  private positives: Float64Array[] = [];
  private negatives: Float64Array[] = [];

  constructor(options: AucOptions = {}) {
    const owner = "auc";
    const read = readMetricOptions(owner, options, "auc", {
      numThresholds: ["num_thresholds"],
      curve: [],
      summationMethod: ["summation_method"],
      thresholds: [],
      multiLabel: ["multi_label"],
      fromLogits: ["from_logits"],
    });
    const o = read.options;
    this.name = read.name;
    const explicit = o.get("thresholds");
    if (explicit !== undefined && explicit !== null) {
      if (!Array.isArray(explicit) || explicit.some((v) => typeof v !== "number" || !(v >= 0 && v <= 1))) {
        throw new ValueError(`${owner}: thresholds must be numbers in [0, 1] (got ${describe(explicit)})`);
      }
      this.explicit = explicit as number[];
      this.numThresholds = explicit.length + 2;
    } else {
      this.explicit = null;
      this.numThresholds = numberOption(owner, o, "numThresholds", 200);
      if (!Number.isInteger(this.numThresholds) || this.numThresholds <= 1) {
        throw new ValueError(`${owner}: numThresholds must be an integer > 1 (got ${this.numThresholds})`);
      }
    }
    const curve = stringOption(owner, o, "curve", "ROC").toUpperCase();
    if (curve !== "ROC" && curve !== "PR")
      throw new ValueError(`${owner}: curve must be "ROC" or "PR" (got "${curve}")`);
    this.curve = curve;
    const method = stringOption(owner, o, "summationMethod", "interpolation");
    if (method !== "interpolation" && method !== "minoring" && method !== "majoring") {
      throw new ValueError(
        `${owner}: summationMethod must be "interpolation", "minoring" or "majoring" (got "${method}")`,
      );
    }
    this.summationMethod = method;
    this.multiLabel = booleanOption(owner, o, "multiLabel", false);
    this.fromLogits = booleanOption(owner, o, "fromLogits", false);
    this.thresholds = aucThresholds(this.numThresholds, this.explicit);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { t, p } = pairedValues(this.name, yTrue, yPred);
    const batch = yPred.shape[0]!;
    const labels = this.multiLabel ? (batch === 0 ? 1 : p.length / batch) : 1;
    if (this.positives.length === 0) this.allocate(labels);
    else if (this.positives.length !== labels) {
      throw new ValueError(`${this.name}: expected ${this.positives.length} labels (got ${labels})`);
    }
    const w = broadcastWeights(this.name, sampleWeight, batch, p.length);
    const thresholds = this.thresholds;
    for (let j = 0; j < p.length; j++) {
      let score = p[j]!;
      if (this.fromLogits) score = 1 / (1 + Math.exp(-score));
      // bucket = number of thresholds the score is strictly above (binary search; NaN lands in 0)
      let lo = 0;
      let hi = thresholds.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (score > thresholds[mid]!) lo = mid + 1;
        else hi = mid;
      }
      const label = this.multiLabel ? j % labels : 0;
      const weight = w === null ? 1 : w[j]!;
      if (t[j]! !== 0) this.positives[label]![lo]! += weight;
      else this.negatives[label]![lo]! += weight;
    }
  }

  private allocate(labels: number): void {
    const n = this.thresholds.length + 1;
    this.positives = Array.from({ length: labels }, () => new Float64Array(n));
    this.negatives = Array.from({ length: labels }, () => new Float64Array(n));
  }

  /** Confusion counts at each threshold of one label: tp[i] counts positives scored above thresholds[i]. */
  counts(label = 0): { tp: number[]; fp: number[]; tn: number[]; fn: number[] } {
    const pos = this.positives[label] ?? new Float64Array(this.thresholds.length + 1);
    const neg = this.negatives[label] ?? new Float64Array(this.thresholds.length + 1);
    const n = this.thresholds.length;
    const tp = new Array<number>(n);
    const fp = new Array<number>(n);
    let above = 0;
    let aboveNeg = 0;
    for (let i = n - 1; i >= 0; i--) {
      above += pos[i + 1]!;
      aboveNeg += neg[i + 1]!;
      tp[i] = above;
      fp[i] = aboveNeg;
    }
    const totalPos = pos.reduce((s, v) => s + v, 0);
    const totalNeg = neg.reduce((s, v) => s + v, 0);
    return { tp, fp, fn: tp.map((v) => totalPos - v), tn: fp.map((v) => totalNeg - v) };
  }

  result(): number {
    if (this.positives.length === 0) return 0;
    let total = 0;
    for (let label = 0; label < this.positives.length; label++) total += this.area(label);
    return total / this.positives.length;
  }

  private area(label: number): number {
    const { tp, fp, tn, fn } = this.counts(label);
    const n = tp.length;
    const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    if (this.curve === "PR" && this.summationMethod === "interpolation") return interpolatePrAuc(tp, fp, fn);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const recallValue = div(tp[i]!, tp[i]! + fn[i]!);
      if (this.curve === "ROC") {
        x.push(div(fp[i]!, fp[i]! + tn[i]!));
        y.push(recallValue);
      } else {
        x.push(recallValue);
        y.push(div(tp[i]!, tp[i]! + fp[i]!));
      }
    }
    let sum = 0;
    for (let i = 0; i < n - 1; i++) {
      const height =
        this.summationMethod === "interpolation"
          ? (y[i]! + y[i + 1]!) / 2
          : this.summationMethod === "minoring"
            ? Math.min(y[i]!, y[i + 1]!)
            : Math.max(y[i]!, y[i + 1]!);
      sum += (x[i]! - x[i + 1]!) * height;
    }
    return sum;
  }

  reset(): void {
    this.positives = [];
    this.negatives = [];
  }

  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: {
        name: this.name,
        numThresholds: this.numThresholds,
        curve: this.curve,
        summationMethod: this.summationMethod,
        thresholds: this.explicit === null ? null : [...this.explicit],
        multiLabel: this.multiLabel,
        fromLogits: this.fromLogits,
      },
    };
  }
}

/**
 * PR-AUC with the Davis & Goadrich (2006) interpolation: between adjacent thresholds precision is
 * interpolated as a function of the count of positive predictions, and integrated exactly.
 */
function interpolatePrAuc(tp: number[], fp: number[], fn: number[]): number {
  const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  let sum = 0;
  for (let i = 0; i < tp.length - 1; i++) {
    const dtp = tp[i]! - tp[i + 1]!;
    const p0 = tp[i]! + fp[i]!;
    const p1 = tp[i + 1]! + fp[i + 1]!;
    const dp = p0 - p1;
    const slope = div(dtp, Math.max(dp, 0));
    const intercept = tp[i + 1]! - slope * p1;
    const pRatio = p0 > 0 && p1 > 0 ? div(p0, Math.max(p1, 0)) : 1;
    sum += div(slope * (dtp + intercept * Math.log(pRatio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
  }
  return sum;
}

export function auc(options: AucOptions = {}): AUC {
  return new AUC(options);
}
