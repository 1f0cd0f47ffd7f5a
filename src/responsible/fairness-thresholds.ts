// responsible/fairness-thresholds: post-processing mitigation by group-specific thresholds, after
// Fairlearn's ThresholdOptimizer (Hardt, Price & Srebro 2016): on validation scores, every group gets
// its own threshold so that its selection rate (demographic parity) or true positive rate (equal
// opportunity, Fairlearn's "true_positive_rate_parity") equals one shared target, and the target is
// the one of a grid that maximises accuracy (or balanced accuracy) over all rows. Unlike Fairlearn we
// do not randomise between two thresholds: predictions are deterministic, and each group meets the
// target to within its score resolution (ties and 1 / group size). Layer: responsible.
import { ConfigError, FormatError, ValueError } from "../core/errors.js";
import {
  groupRows,
  type NumericInput,
  numbersOf,
  type SensitiveInput,
  sensitiveColumns,
} from "./fairness-groups.js";
import { assertBinary } from "./fairness-metrics.js";

export type ThresholdConstraint = "demographic_parity" | "true_positive_rate_parity";
export type ThresholdObjective = "accuracy" | "balanced_accuracy";

export interface ThresholdOptimizerOptions {
  /** "demographic_parity" (equal selection rates) or "true_positive_rate_parity" (equal opportunity). */
  readonly constraint: ThresholdConstraint;
  readonly objective?: ThresholdObjective;
  /** Target rates tried: 0, 1/gridSize, ..., 1 (Fairlearn's grid_size default, 1000). */
  readonly gridSize?: number;
}

/** The JSON state of a fitted optimizer: a threshold per group (null: the group is never selected). */
export interface ThresholdOptimizerState {
  readonly kind: "ThresholdOptimizer";
  readonly constraint: ThresholdConstraint;
  readonly objective: ThresholdObjective;
  readonly sensitive: readonly string[];
  readonly targetRate: number;
  readonly validationScore: number;
  readonly thresholds: Readonly<Record<string, number | null>>;
}

interface SortedGroup {
  key: string;
  scores: Float64Array; // descending
  positivesBefore: Int32Array; // positivesBefore[s] = positives among the s highest scores
  positiveScores: Float64Array; // scores of the group's positive rows, descending
  rows: number;
  positives: number;
}

/** Number of values >= t in a descending array (binary search). */
function countAtLeast(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const CONSTRAINTS: readonly ThresholdConstraint[] = ["demographic_parity", "true_positive_rate_parity"];
const OBJECTIVES: readonly ThresholdObjective[] = ["accuracy", "balanced_accuracy"];

/**
 * Group-specific decision thresholds chosen on validation scores.
 * @example
 * const post = new ThresholdOptimizer({ constraint: "demographic_parity" }).fit({ yTrue, scores, sensitive });
 * const yPred = post.predict({ scores: testScores, sensitive: testGroups });
 */
export class ThresholdOptimizer {
  readonly constraint: ThresholdConstraint;
  readonly objective: ThresholdObjective;
  readonly gridSize: number;
  private fitted: ThresholdOptimizerState | null = null;

  constructor(options: ThresholdOptimizerOptions) {
    if (!CONSTRAINTS.includes(options.constraint))
      throw new ConfigError(
        `ThresholdOptimizer: constraint must be one of ${CONSTRAINTS.join(", ")} (got ${JSON.stringify(options.constraint)})`,
      );
    this.constraint = options.constraint;
    this.objective = options.objective ?? "accuracy";
    if (!OBJECTIVES.includes(this.objective))
      throw new ConfigError(
        `ThresholdOptimizer: objective must be one of ${OBJECTIVES.join(", ")} (got ${JSON.stringify(this.objective)})`,
      );
    this.gridSize = options.gridSize ?? 1000;
    if (!Number.isInteger(this.gridSize) || this.gridSize < 1)
      throw new ConfigError(`ThresholdOptimizer: gridSize must be an integer >= 1 (got ${this.gridSize})`);
  }

  /** Chooses the thresholds on validation labels (0/1) and scores (higher = more likely positive). */
  fit(input: { yTrue: NumericInput; scores: NumericInput; sensitive: SensitiveInput }): this {
    const y = numbersOf("ThresholdOptimizer.fit", "yTrue", input.yTrue);
    const n = y.length;
    if (n === 0) throw new ValueError("ThresholdOptimizer.fit: the data has 0 rows");
    const scores = numbersOf("ThresholdOptimizer.fit", "scores", input.scores, n);
    assertBinary("ThresholdOptimizer.fit", "yTrue", y);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(scores[i]!))
        throw new ValueError(`ThresholdOptimizer.fit: scores hold ${scores[i]} at row ${i}`);
    const columns = sensitiveColumns("ThresholdOptimizer.fit", input.sensitive, n);
    const groups = groupRows(columns, n).groups.map((g): SortedGroup => {
      const order = [...g.indices].sort((a, b) => scores[b]! - scores[a]!);
      const positivesBefore = new Int32Array(order.length + 1);
      order.forEach((i, s) => {
        positivesBefore[s + 1] = positivesBefore[s]! + y[i]!;
      });
      const positives = positivesBefore[order.length]!;
      if (positives === 0 && this.constraint === "true_positive_rate_parity")
        throw new ValueError(
          `ThresholdOptimizer.fit: group "${g.key}" has no positive rows, so its true positive rate is undefined`,
        );
      return {
        key: g.key,
        scores: Float64Array.from(order, (i) => scores[i]!),
        positivesBefore,
        positiveScores: Float64Array.from(
          order.filter((i) => y[i] === 1),
          (i) => scores[i]!,
        ),
        rows: order.length,
        positives,
      };
    });
    const totalPositives = groups.reduce((s, g) => s + g.positives, 0);
    const totalNegatives = n - totalPositives;
    let best: { rate: number; score: number; thresholds: Record<string, number | null> } | null = null;
    for (let step = 0; step <= this.gridSize; step++) {
      const rate = step / this.gridSize;
      let truePositives = 0;
      let trueNegatives = 0;
      const thresholds: Record<string, number | null> = {};
      for (const g of groups) {
        const pool = this.constraint === "demographic_parity" ? g.scores : g.positiveScores;
        const k = Math.round(rate * pool.length);
        const threshold = k === 0 ? null : pool[k - 1]!;
        thresholds[g.key] = threshold;
        const selected = threshold === null ? 0 : countAtLeast(g.scores, threshold);
        const tp = g.positivesBefore[selected]!;
        truePositives += tp;
        trueNegatives += g.rows - g.positives - (selected - tp);
      }
      const score =
        this.objective === "accuracy"
          ? (truePositives + trueNegatives) / n
          : ((totalPositives === 0 ? 0 : truePositives / totalPositives) +
              (totalNegatives === 0 ? 0 : trueNegatives / totalNegatives)) /
            2;
      if (best === null || score > best.score) best = { rate, score, thresholds };
    }
    this.fitted = {
      kind: "ThresholdOptimizer",
      constraint: this.constraint,
      objective: this.objective,
      sensitive: [...columns.keys()],
      targetRate: best!.rate,
      validationScore: best!.score,
      thresholds: best!.thresholds,
    };
    return this;
  }

  /** The fitted state; a ValueError before fit. */
  get state(): ThresholdOptimizerState {
    if (this.fitted === null) throw new ValueError("ThresholdOptimizer: call fit() before using it");
    return this.fitted;
  }

  /** 1 where the row's score reaches its group's threshold, else 0. A group unseen in fit is an error. */
  predict(input: { scores: NumericInput; sensitive: SensitiveInput }): Float32Array {
    const state = this.state;
    const scores = numbersOf("ThresholdOptimizer.predict", "scores", input.scores);
    const n = scores.length;
    const columns = sensitiveColumns("ThresholdOptimizer.predict", input.sensitive, n);
    const names = [...columns.keys()];
    if (
      names.join("\u0000") !== state.sensitive.join("\u0000") &&
      !(names.length === 1 && state.sensitive.length === 1)
    )
      throw new ValueError(
        `ThresholdOptimizer.predict: sensitive columns ${names.join(", ")} differ from those fitted (${state.sensitive.join(", ")})`,
      );
    const { keys } = groupRows(columns, n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (!Object.hasOwn(state.thresholds, key))
        throw new ValueError(
          `ThresholdOptimizer.predict: group "${key}" had no rows in fit, so it has no threshold (groups: ${Object.keys(state.thresholds).join("; ")})`,
        );
      const t = state.thresholds[key]!;
      out[i] = t !== null && scores[i]! >= t ? 1 : 0;
    }
    return out;
  }

  toJSON(): ThresholdOptimizerState {
    return this.state;
  }

  /** Restores a fitted optimizer from its JSON state, checking every field. */
  static fromJSON(value: unknown): ThresholdOptimizer {
    const fail = (why: string): never => {
      throw new FormatError(`ThresholdOptimizer.fromJSON: ${why}`);
    };
    if (typeof value !== "object" || value === null) return fail(`expected an object (got ${typeof value})`);
    const s = value as Record<string, unknown>;
    if (s.kind !== "ThresholdOptimizer")
      fail(`kind must be "ThresholdOptimizer" (got ${JSON.stringify(s.kind)})`);
    if (!CONSTRAINTS.includes(s.constraint as ThresholdConstraint))
      fail(`unknown constraint ${JSON.stringify(s.constraint)}`);
    if (!OBJECTIVES.includes(s.objective as ThresholdObjective))
      fail(`unknown objective ${JSON.stringify(s.objective)}`);
    if (!Array.isArray(s.sensitive) || !s.sensitive.every((v) => typeof v === "string"))
      fail("sensitive must be an array of column names");
    for (const field of ["targetRate", "validationScore"])
      if (typeof s[field] !== "number" || !Number.isFinite(s[field]))
        fail(`${field} must be a finite number`);
    const thresholds = s.thresholds;
    if (typeof thresholds !== "object" || thresholds === null || Array.isArray(thresholds))
      fail("thresholds must be an object of group -> number or null");
    for (const [group, t] of Object.entries(thresholds as object))
      if (t !== null && (typeof t !== "number" || !Number.isFinite(t)))
        fail(`threshold of group "${group}" must be a finite number or null (got ${JSON.stringify(t)})`);
    const optimizer = new ThresholdOptimizer({
      constraint: s.constraint as ThresholdConstraint,
      objective: s.objective as ThresholdObjective,
    });
    optimizer.fitted = {
      ...(s as unknown as ThresholdOptimizerState),
      thresholds: { ...(thresholds as object) },
    };
    return optimizer;
  }
}
