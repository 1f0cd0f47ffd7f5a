// Tests of report/curves against scikit-learn's documented outputs (roc_curve, roc_auc_score,
// precision_recall_curve, average_precision_score and calibration_curve examples).
import assert from "node:assert/strict";
import { test } from "node:test";
import { calibrationBins, prPoints, rocPoints } from "./curves.js";

const TOLERANCE = 1e-12;
const close = (actual: readonly number[], expected: readonly number[]): void => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= TOLERANCE, `${actual} vs ${expected}`);
  });
};

// scikit-learn's docstring example: y = [1, 1, 2, 2] with pos_label 2, scores [0.1, 0.4, 0.35, 0.8].
const labels = Uint8Array.from([0, 0, 1, 1]);
const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8]);

test("rocPoints matches scikit-learn's roc_curve and roc_auc_score example", () => {
  const roc = rocPoints(labels, scores);
  close(roc.fpr, [0, 0, 0.5, 0.5, 1]);
  close(roc.tpr, [0, 0.5, 0.5, 1, 1]);
  assert.deepEqual(roc.thresholds, [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
  assert.ok(Math.abs(roc.auc - 0.75) <= TOLERANCE);
});

test("prPoints matches scikit-learn's precision_recall_curve and average_precision_score", () => {
  const pr = prPoints(labels, scores);
  close(pr.precision, [0.5, 2 / 3, 0.5, 1, 1]);
  close(pr.recall, [1, 1, 0.5, 0.5, 0]);
  close(pr.thresholds, [0.1, 0.35, 0.4, 0.8]);
  assert.ok(Math.abs(pr.averagePrecision - 0.8333333333333333) <= 1e-12);
});

test("tied scores move together: one ROC point per distinct score", () => {
  const roc = rocPoints(Uint8Array.from([1, 0, 1, 0]), Float64Array.from([0.5, 0.5, 0.9, 0.1]));
  close(roc.fpr, [0, 0, 0.5, 1]);
  close(roc.tpr, [0, 0.5, 1, 1]);
  assert.ok(Math.abs(roc.auc - 0.875) <= TOLERANCE);
});

test("calibrationBins matches scikit-learn's calibration_curve example (3 bins)", () => {
  // y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1], y_pred = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]
  const bins = calibrationBins(
    Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1]),
    Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]),
    3,
  );
  close(bins.fractionPositive, [0, 0.5, 1]);
  close(bins.meanPredicted, [0.2, 0.525, 0.85]);
  close(bins.count, [3, 2, 4]);
});

test("a value on a bin edge falls in the lower bin, as numpy.searchsorted puts it", () => {
  const bins = calibrationBins(Uint8Array.from([0, 1]), Float64Array.from([0.5, 0.51]), 2);
  close(bins.count, [1, 1]);
});

test("curves refuse one-class labels, NaN scores and probabilities outside [0, 1]", () => {
  assert.throws(
    () => rocPoints(Uint8Array.from([1, 1]), Float64Array.from([0.2, 0.3])),
    /needs both classes/,
  );
  assert.throws(
    () => prPoints(Uint8Array.from([0, 1]), Float64Array.from([Number.NaN, 0.3])),
    /must not be NaN/,
  );
  assert.throws(
    () => calibrationBins(Uint8Array.from([0]), Float64Array.from([1.5])),
    /must lie in \[0, 1\] \(got 1.5/,
  );
  assert.throws(
    () => calibrationBins(Uint8Array.from([0]), Float64Array.from([0.5]), 0),
    /bins must be an integer >= 1/,
  );
});
