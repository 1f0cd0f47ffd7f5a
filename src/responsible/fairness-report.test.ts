// responsible/fairness-report tests: the evaluate command's per-group report on hand-computed cases.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator } from "../core/random.js";
import {
  demographicParityRatio,
  disparateImpact,
  equalizedOddsDifference,
  equalizedOddsRatio,
  equalOpportunityDifference,
} from "./fairness-disparity.js";
import { fairnessReport, formatFairnessReport } from "./fairness-report.js";

test("regression: MAE by group, no disparity summary", () => {
  // a: |1-1|, |2-3| -> 0.5; b: |3-3|, |4-2| -> 1; overall 0.75.
  const report = fairnessReport({
    task: "regression",
    yTrue: [1, 2, 3, 4],
    yPred: [1, 3, 3, 2],
    sensitive: { region: ["a", "a", "b", "b"] },
  });
  assert.deepEqual(report.metrics, ["count", "mean_absolute_error"]);
  assert.deepEqual(
    report.groups.map((g) => [g.group, g.rows, g.metrics.mean_absolute_error]),
    [
      ["a", 2, 0.5],
      ["b", 2, 1],
    ],
  );
  assert.equal(report.overall.mean_absolute_error, 0.75);
  assert.equal(report.difference.mean_absolute_error, 0.5);
  assert.equal(report.ratio.mean_absolute_error, 0.5);
  assert.equal(report.summary, null);
  assert.equal(report.positiveLabel, null);
});

test("multiclass accuracy and binary summary, printed as a table", () => {
  const multi = fairnessReport({
    task: "multiclass",
    yTrue: [0, 1, 2, 2],
    yPred: [0, 2, 2, 2],
    sensitive: { g: ["a", "a", "b", "b"] },
  });
  assert.deepEqual(
    multi.groups.map((g) => g.metrics.accuracy),
    [0.5, 1],
  );
  // Binary: a selects 2 of 2 (TPR 1, FPR 1), b selects 1 of 2 (TPR 1, FPR 0).
  const binary = fairnessReport({
    task: "binary",
    yTrue: [1, 0, 1, 0],
    yPred: [1, 1, 1, 0],
    sensitive: { g: ["a", "a", "b", "b"] },
    positiveLabel: "approved",
  });
  assert.deepEqual(binary.summary, {
    demographicParityDifference: 0.5,
    demographicParityRatio: 0.5,
    equalizedOddsDifference: 1,
    equalizedOddsRatio: 0,
    equalOpportunityDifference: 0,
    disparateImpact: 0.5,
    passesFourFifths: false,
  });
  const text = formatFairnessReport(binary);
  assert.match(text, /^g\s+count\s+accuracy\s+selection_rate\s+true_positive_rate\s+false_positive_rate$/m);
  assert.match(text, /^a\s+2\s+0\.500\s+1\.000\s+1\.000\s+1\.000$/m);
  assert.match(text, /^\(difference\)\s+0\.500\s+0\.500\s+0\.000\s+1\.000$/m);
  assert.match(text, /positive label: approved/);
  assert.match(text, /disparate impact 0\.500 \(four-fifths rule: fails, below 0\.8\)/);
});

test("the binary summary equals the standalone disparity measures on seeded data", () => {
  const rng = new Generator(7);
  const n = 300;
  const group = Array.from({ length: n }, () => ["a", "b", "c"][rng.int(0, 3)]!);
  // Group-dependent rates, so that no measure is trivially 0 or 1.
  const yTrue = group.map((g) => (rng.random() < (g === "a" ? 0.6 : 0.4) ? 1 : 0));
  const yPred = yTrue.map((t, i) =>
    rng.random() < (t === 1 ? 0.8 : 0.2) + (group[i] === "c" ? 0.1 : 0) ? 1 : 0,
  );
  const sensitive = { g: group };
  const s = fairnessReport({ task: "binary", yTrue, yPred, sensitive }).summary!;
  const input = { yTrue, yPred, sensitive };
  const impact = disparateImpact({ yPred, sensitive });
  assert.equal(s.equalizedOddsDifference, equalizedOddsDifference(input));
  assert.equal(s.equalizedOddsRatio, equalizedOddsRatio(input));
  assert.equal(s.equalOpportunityDifference, equalOpportunityDifference(input));
  assert.equal(s.demographicParityRatio, demographicParityRatio(input));
  assert.equal(s.disparateImpact, impact.ratio);
  assert.equal(s.passesFourFifths, impact.passesFourFifths);
  assert.ok(s.equalizedOddsDifference! > 0 && s.equalizedOddsRatio! < 1, JSON.stringify(s));
});
