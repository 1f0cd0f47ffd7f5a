// responsible/fairness tests: every figure below is computed by hand from the ten-row example in the
// comments, with Fairlearn's definitions (fairlearn.metrics / MetricFrame / ThresholdOptimizer docs).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, FormatError, ShapeError, ValueError } from "../core/errors.js";
import { tensor } from "../tensor/creation.js";
import * as fairness from "./fairness.js";

const CLOSE = 1e-12;
function close(actual: number | undefined, expected: number, what = ""): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < CLOSE, `${what}: ${actual} != ${expected}`);
}

// Group a (rows 0-3): yTrue 1 1 0 0, yPred 1 0 1 0 -> selection 2/4, TPR 1/2, FPR 1/2, accuracy 2/4.
// Group b (rows 4-9): yTrue 1 1 1 0 0 0, yPred 1 1 0 0 0 0 -> selection 2/6, TPR 2/3, FPR 0, accuracy 5/6.
// Overall: selection 4/10, TPR 3/5, FPR 1/5, accuracy 7/10.
const yTrue = [1, 1, 0, 0, 1, 1, 1, 0, 0, 0];
const yPred = [1, 0, 1, 0, 1, 1, 0, 0, 0, 0];
const group = ["a", "a", "a", "a", "b", "b", "b", "b", "b", "b"];
const age = ["y", "o", "y", "o", "y", "o", "y", "o", "y", "o"];

describe("groupMetrics (MetricFrame)", () => {
  const frame = fairness.groupMetrics({
    yTrue,
    yPred,
    sensitive: { group },
    metrics: ["accuracy", "selection_rate", "true_positive_rate", "false_positive_rate", "count"],
  });

  test("overall and by group", () => {
    close(frame.overall.accuracy, 0.7, "overall accuracy");
    close(frame.overall.selection_rate, 0.4, "overall selection");
    close(frame.overall.true_positive_rate, 0.6, "overall TPR");
    close(frame.overall.false_positive_rate, 0.2, "overall FPR");
    assert.deepEqual(
      frame.byGroup.map((g) => [g.key, g.rows, g.metrics.count]),
      [
        ["a", 4, 4],
        ["b", 6, 6],
      ],
    );
    const a = frame.group("a").metrics;
    const b = frame.group("b").metrics;
    close(a.selection_rate, 0.5);
    close(b.selection_rate, 1 / 3);
    close(a.true_positive_rate, 0.5);
    close(b.true_positive_rate, 2 / 3);
    close(a.false_positive_rate, 0.5);
    close(b.false_positive_rate, 0);
    close(b.accuracy, 5 / 6);
  });

  test("min, max, differences and ratios between groups and to overall", () => {
    close(frame.groupMin().selection_rate, 1 / 3);
    close(frame.groupMax().selection_rate, 0.5);
    close(frame.difference().selection_rate, 1 / 6);
    close(frame.ratio().selection_rate, 2 / 3);
    // to_overall: max |g - overall| = max(0.1, 1/15); min of min(g/o, o/g) = min(0.8, 5/6).
    close(frame.difference("to_overall").selection_rate, 0.1);
    close(frame.ratio("to_overall").selection_rate, 0.8);
    close(frame.difference().accuracy, 5 / 6 - 0.5);
  });

  test("several sensitive columns group by their observed combinations", () => {
    const both = fairness.groupMetrics({
      yTrue,
      yPred,
      sensitive: { group, age },
      metrics: "selection_rate",
    });
    assert.deepEqual(
      both.byGroup.map((g) => [g.key, g.rows]),
      [
        ["a, o", 2],
        ["a, y", 2],
        ["b, o", 3],
        ["b, y", 3],
      ],
    );
    assert.deepEqual(both.group("a, y").values, { group: "a", age: "y" });
    // a,y: rows 0 and 2 both predicted 1; b,o: rows 5, 7, 9 -> 1 of 3.
    close(both.group("a, y").metrics.selection_rate, 1);
    close(both.group("b, o").metrics.selection_rate, 1 / 3);
    close(both.difference().selection_rate, 1);
  });

  test("a custom metric function, tensors and an unnamed sensitive column", () => {
    const errors = (t: ArrayLike<number>, p: ArrayLike<number>) => {
      let e = 0;
      for (let i = 0; i < t.length; i++) if (t[i] !== p[i]) e++;
      return e;
    };
    const f = fairness.groupMetrics({
      yTrue: tensor(yTrue),
      yPred: tensor(yPred),
      sensitive: group,
      metrics: { errors },
    });
    assert.deepEqual(f.sensitiveNames, ["sensitive_feature_0"]);
    assert.equal(f.group("a").metrics.errors, 2);
    assert.equal(f.group("b").metrics.errors, 1);
    assert.equal(f.overall.errors, 3);
  });

  test("toJSON writes undefined rates as null", () => {
    // Group c has no positive label, so its TPR is 0/0.
    const f = fairness.groupMetrics({
      yTrue: [1, 0],
      yPred: [1, 1],
      sensitive: ["b", "c"],
      metrics: ["true_positive_rate"],
    });
    const json = f.toJSON();
    assert.equal(json.byGroup[1]!.metrics.true_positive_rate, null);
    assert.equal(json.byGroup[0]!.metrics.true_positive_rate, 1);
    assert.equal(json.difference.true_positive_rate, 0);
  });
});

describe("disparity measures", () => {
  const input = { yTrue, yPred, sensitive: group };
  test("demographic parity", () => {
    close(fairness.demographicParityDifference(input), 1 / 6);
    close(fairness.demographicParityRatio(input), 2 / 3);
    close(fairness.demographicParityDifference({ ...input, method: "to_overall" }), 0.1);
  });
  test("equalised odds: the worse of the TPR and FPR gaps", () => {
    close(fairness.equalizedOddsDifference(input), 0.5); // max(1/6, 1/2)
    close(fairness.equalizedOddsRatio(input), 0); // min(0.75, 0/0.5)
  });
  test("equal opportunity: the TPR gap", () => {
    close(fairness.equalOpportunityDifference(input), 1 / 6);
    close(fairness.equalOpportunityRatio(input), 0.75);
  });
  test("disparate impact and the four-fifths rule", () => {
    const di = fairness.disparateImpact({ yPred, sensitive: group });
    assert.equal(di.reference, "a");
    assert.equal(di.lowest, "b");
    close(di.ratio, 2 / 3);
    assert.equal(di.passesFourFifths, false);
    const named = fairness.disparateImpact({ yPred, sensitive: group, privileged: "b" });
    close(named.ratio, 1.5);
    assert.equal(named.passesFourFifths, true);
    // 4 of 5 selected vs 3 of 5: 0.6 / 0.8 = 0.75 < 0.8; 4 vs 4: passes.
    const close80 = fairness.disparateImpact({
      yPred: [1, 1, 1, 1, 0, 1, 1, 1, 0, 0],
      sensitive: ["p", "p", "p", "p", "p", "q", "q", "q", "q", "q"],
    });
    close(close80.ratio, 0.75);
    assert.equal(close80.passesFourFifths, false);
  });
});

describe("reweighing (Kamiran & Calders)", () => {
  // n = 10, a: 4 rows (3 positive), b: 6 rows (1 positive); P(y=1) = 0.4.
  const y = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];
  test("w(g, y) = P(g) P(y) / P(g, y)", () => {
    const { sampleWeight, cells } = fairness.reweighing({ yTrue: y, sensitive: group });
    close(sampleWeight[0], Math.fround((4 * 4) / (10 * 3)), "a,1");
    close(sampleWeight[3], Math.fround((4 * 6) / (10 * 1)), "a,0");
    close(sampleWeight[4], Math.fround((6 * 4) / (10 * 1)), "b,1");
    close(sampleWeight[9], Math.fround((6 * 6) / (10 * 5)), "b,0");
    assert.equal(cells.length, 4);
    // In the weighted data the positive rate is 0.4 in both groups.
    for (const [from, to] of [
      [0, 4],
      [4, 10],
    ] as const) {
      let positive = 0;
      let total = 0;
      for (let i = from; i < to; i++) {
        total += sampleWeight[i]!;
        positive += sampleWeight[i]! * y[i]!;
      }
      assert.ok(Math.abs(positive / total - 0.4) < 1e-6);
    }
  });
});

describe("ThresholdOptimizer", () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
  const labels = [1, 1, 0, 0, 1, 1, 0, 0];
  const groups = ["a", "a", "a", "a", "b", "b", "b", "b"];

  test("demographic parity: each group selects its top half, accuracy 1", () => {
    const post = new fairness.ThresholdOptimizer({ constraint: "demographic_parity" }).fit({
      yTrue: labels,
      scores,
      sensitive: groups,
    });
    assert.deepEqual(post.state.thresholds, { a: 0.8, b: 0.4 });
    assert.equal(post.state.validationScore, 1);
    assert.deepEqual(
      [...post.predict({ scores: [0.85, 0.75, 0.45, 0.35], sensitive: ["a", "a", "b", "b"] })],
      [1, 0, 1, 0],
    );
    const again = fairness.ThresholdOptimizer.fromJSON(JSON.parse(JSON.stringify(post)));
    assert.deepEqual(
      [...again.predict({ scores, sensitive: groups })],
      [...post.predict({ scores, sensitive: groups })],
    );
  });

  test("true positive rate parity: both groups keep all positives, accuracy 7/8", () => {
    // b's positives score 0.5 and 0.3, so TPR 1 in b costs one false positive (0.4).
    const post = new fairness.ThresholdOptimizer({ constraint: "true_positive_rate_parity" }).fit({
      yTrue: labels,
      scores: [0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.4, 0.2],
      sensitive: groups,
    });
    assert.deepEqual(post.state.thresholds, { a: 0.8, b: 0.3 });
    close(post.state.validationScore, 7 / 8);
    close(post.state.targetRate, 0.75);
  });

  test("several sensitive columns: one threshold per combination, the same columns at predict", () => {
    // Group "a, x" holds rows 0-1, "a, y" rows 2-3, and so on; each selects its higher-scored row.
    const post = new fairness.ThresholdOptimizer({ constraint: "demographic_parity" }).fit({
      yTrue: [1, 0, 1, 0, 1, 0, 1, 0],
      scores: [0.9, 0.1, 0.6, 0.5, 0.3, 0.2, 0.8, 0.7],
      sensitive: { g: groups, h: ["x", "x", "y", "y", "x", "x", "y", "y"] },
    });
    assert.deepEqual(post.state.thresholds, { "a, x": 0.9, "a, y": 0.6, "b, x": 0.3, "b, y": 0.8 });
    assert.equal(post.state.validationScore, 1);
    assert.throws(
      () => post.predict({ scores: [0.5], sensitive: { g: ["a"], k: ["x"] } }),
      /sensitive columns g, k differ from those fitted \(g, h\)/,
    );
  });

  test("errors: unseen group, no positives, bad state, bad options", () => {
    const post = new fairness.ThresholdOptimizer({ constraint: "demographic_parity" }).fit({
      yTrue: labels,
      scores,
      sensitive: groups,
    });
    assert.throws(() => post.predict({ scores: [0.5], sensitive: ["c"] }), /group "c" had no rows in fit/);
    assert.throws(
      () =>
        new fairness.ThresholdOptimizer({ constraint: "true_positive_rate_parity" }).fit({
          yTrue: [1, 0, 0, 0],
          scores: [0.1, 0.2, 0.3, 0.4],
          sensitive: ["a", "a", "b", "b"],
        }),
      (e: Error) => e instanceof ValueError && /group "b" has no positive rows/.test(e.message),
    );
    assert.throws(() => fairness.ThresholdOptimizer.fromJSON({ kind: "x" }), FormatError);
    assert.throws(
      () => fairness.ThresholdOptimizer.fromJSON({ ...post.toJSON(), thresholds: { a: "high" } }),
      /threshold of group "a" must be a finite number or null/,
    );
    assert.throws(() => new fairness.ThresholdOptimizer({ constraint: "parity" as never }), ConfigError);
    assert.throws(
      () => new fairness.ThresholdOptimizer({ constraint: "demographic_parity" }).state,
      /call fit\(\)/,
    );
  });
});

describe("bad input gets a clear error", () => {
  test("labels that are not binary where a binary metric needs them", () => {
    assert.throws(
      () => fairness.equalizedOddsDifference({ yTrue: [0, 2], yPred: [0, 1], sensitive: ["a", "b"] }),
      (e: Error) =>
        e instanceof ValueError && /yTrue must be binary labels 0\/1.*got 2 at row 1/.test(e.message),
    );
    assert.throws(
      () => fairness.demographicParityDifference({ yTrue: [0, 1], yPred: [0.5, 1], sensitive: ["a", "b"] }),
      /yPred must be binary/,
    );
  });
  test("a group with no rows", () => {
    assert.throws(
      () => fairness.disparateImpact({ yPred: [1, 0], sensitive: ["a", "b"], privileged: "men" }),
      (e: Error) => e instanceof ValueError && /group "men" has no rows \(groups: a; b\)/.test(e.message),
    );
  });
  test("lengths, missing sensitive values, unknown metrics", () => {
    assert.throws(
      () => fairness.groupMetrics({ yTrue: [1, 0], yPred: [1], sensitive: ["a", "b"], metrics: "accuracy" }),
      ShapeError,
    );
    assert.throws(
      () =>
        fairness.groupMetrics({
          yTrue: [1, 0],
          yPred: [1, 0],
          sensitive: { sex: ["a", null] },
          metrics: "accuracy",
        }),
      /sensitive column "sex" is missing a value at row 1/,
    );
    assert.throws(
      () => fairness.groupMetrics({ yTrue: [1], yPred: [1], sensitive: ["a"], metrics: ["f1" as never] }),
      /unknown metric "f1"/,
    );
    assert.throws(() => fairness.reweighing({ yTrue: [], sensitive: [] }), /0 rows/);
    assert.throws(
      () => fairness.demographicParityDifference({ yTrue: [1, 0], yPred: [1, 0], sensitive: "sex" as never }),
      /sensitive must hold the column's values, one per row \(got the string "sex"\)/,
    );
  });
});
