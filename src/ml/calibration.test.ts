// Calibration and thresholds against scikit-learn 1.2.1 (Debian python3-sklearn) on 40 seeded
// samples: scores = round(2 N(0,1), 2) and labels ~ Bernoulli(sigmoid(1.5 s - 0.5)) from
// numpy.random.RandomState(0). References: _sigmoid_calibration (Platt), IsotonicRegression(
// out_of_bounds="clip"), brier_score_loss and calibration_curve on sigmoid(scores),
// precision_recall_curve (max precision where recall >= r), and a brute-force cost sweep.
import assert from "node:assert/strict";
import { test } from "node:test";
import { brierScore, reliabilityCurve } from "./calibration.js";
import { IsotonicCalibrator, PlattCalibrator } from "./calibrators.js";
import type { EstimatorState } from "./estimator.js";
import { costSensitiveThreshold, precisionAtRecall, thresholdPoints } from "./thresholds.js";

const scores = [
  3.53, 0.8, 1.96, 4.48, 3.74, -1.95, 1.9, -0.3, -0.21, 0.82, 0.29, 2.91, 1.52, 0.24, 0.89, 0.67, 2.99, -0.41,
  0.63, -1.71, -5.11, 1.31, 1.73, -1.48, 4.54, -2.91, 0.09, -0.37, 3.07, 2.94, 0.31, 0.76, -1.78, -3.96, -0.7,
  0.31, 2.46, 2.4, -0.77, -0.6,
];
const labels = [
  1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0,
  1, 1, 0, 1,
];
const probabilities = scores.map((s) => 1 / (1 + Math.exp(-s)));
const near = (actual: ArrayLike<number>, expected: readonly number[], tolerance: number) => {
  assert.equal(actual.length, expected.length);
  for (const [i, e] of expected.entries())
    assert.ok(Math.abs(actual[i]! - e) < tolerance, `${i}: ${actual[i]} vs ${e}`);
};
const roundTrip = (state: EstimatorState) => JSON.parse(JSON.stringify(state)) as EstimatorState;

test("Platt scaling matches scikit-learn's sigmoid calibration and round-trips through JSON", () => {
  const platt = new PlattCalibrator().fit(scores, labels);
  near([platt.slope!, platt.intercept!], [0.924182381882891, 0.3438262427216024], 1e-5);
  const grid = [-3, -1, 0, 0.5, 2, 4];
  const expected = [
    0.08100864016455639, 0.35885065016652357, 0.5851196625980041, 0.6912388525197168, 0.8995460656176931,
    0.982716285713828,
  ];
  near(platt.predict(grid), expected, 1e-6);
  near(PlattCalibrator.fromJSON(roundTrip(platt.toJSON())).predict(grid), expected, 1e-6);
  assert.throws(() => new PlattCalibrator().predict([1]), /not fitted yet/);
  assert.throws(() => new PlattCalibrator().fit([1, 2], [0, 2]), /labels must be 0 or 1/);
});

test("isotonic calibration (pool adjacent violators) matches scikit-learn and round-trips", () => {
  const iso = new IsotonicCalibrator().fit(scores, labels);
  const grid = [-5, -1.3, 0, 0.37, 1.1, 2.5, 9];
  const expected = [0, 0, 0.5714285714285714, 0.6, 0.875, 1, 1];
  near(iso.predict(grid), expected, 1e-12);
  for (let i = 1; i < iso.values!.length; i++) assert.ok(iso.values![i]! >= iso.values![i - 1]!);
  near(IsotonicCalibrator.fromJSON(roundTrip(iso.toJSON())).predict(grid), expected, 1e-12);
  // duplicate scores are one point: 0.5 at x = 1 between 0 and 1 stays (no pooling with x = 0)
  near(new IsotonicCalibrator().fit([0, 1, 1, 2], [0, 0, 1, 1]).predict([0, 1, 1.5]), [0, 0.5, 0.75], 1e-12);
  const bad = iso.toJSON();
  bad.fitted = { thresholds: [1, 0], values: [0, 1] };
  assert.throws(() => IsotonicCalibrator.fromJSON(bad), /thresholds must increase/);
});

test("Brier score and the reliability curve match scikit-learn", () => {
  assert.ok(Math.abs(brierScore(labels, probabilities) - 0.12583375951575407) < 1e-12);
  const uniform = reliabilityCurve(labels, probabilities);
  near(uniform.fractionOfPositives, [0, 0.5, 0.625, 0.8571428571428571, 0.9285714285714286], 1e-12);
  near(
    uniform.meanPredicted,
    [0.09768791999770385, 0.3503867872553383, 0.5112194655544801, 0.6965657864091351, 0.9276383927831799],
    1e-12,
  );
  assert.equal(
    uniform.counts.reduce((a, b) => a + b, 0),
    40,
  );
  const quantile = reliabilityCurve(labels, probabilities, { strategy: "quantile" });
  near(quantile.fractionOfPositives, [0, 0.625, 0.75, 0.875, 1], 1e-12);
  near(
    quantile.meanPredicted,
    [0.12503681828095142, 0.4311321389997372, 0.6381654789519972, 0.8438619592122163, 0.9665556442137957],
    1e-12,
  );
  const ece = uniform.counts.reduce(
    (s, c, b) => s + (c / 40) * Math.abs(uniform.fractionOfPositives[b]! - uniform.meanPredicted[b]!),
    0,
  );
  assert.ok(Math.abs(uniform.expectedCalibrationError - ece) < 1e-15 && ece > 0);
  assert.throws(() => brierScore([1], [1.5]), /probabilities must be in \[0, 1\]/);
});

test("precision at a fixed recall and the cost-sensitive threshold", () => {
  for (const [recall, precision, threshold] of [
    [0.5, 0.95, 0.67],
    [0.8, 0.88, 0.24],
    [1, 0.8125, -0.7],
  ] as const) {
    const p = precisionAtRecall(labels, scores, recall);
    assert.ok(Math.abs(p.precision - precision) < 1e-12, `recall ${recall}: ${p.precision}`);
    assert.equal(p.threshold, threshold);
    assert.ok(p.recall >= recall);
  }
  // misses cost 5 false alarms: flag everything from -0.7 up (6 FP, 0 FN); the reverse: 0.67 (1 FP, 7 FN)
  const missesCostly = costSensitiveThreshold(labels, scores, { falsePositive: 1, falseNegative: 5 });
  assert.deepEqual(
    [missesCostly.threshold, missesCostly.cost, missesCostly.falsePositives, missesCostly.falseNegatives],
    [-0.7, 6, 6, 0],
  );
  const alarmsCostly = costSensitiveThreshold(labels, scores, { falsePositive: 5, falseNegative: 1 });
  assert.deepEqual(
    [alarmsCostly.threshold, alarmsCostly.cost, alarmsCostly.falsePositives, alarmsCostly.falseNegatives],
    [0.67, 12, 1, 7],
  );
  assert.equal(alarmsCostly.costPerSample, 12 / 40);
  // ties in score form one point; +Infinity first
  const points = thresholdPoints([1, 0, 1], [0.5, 0.5, 0.2]);
  assert.deepEqual(
    points.map((p) => [p.threshold, p.truePositives, p.falsePositives]),
    [
      [Number.POSITIVE_INFINITY, 0, 0],
      [0.5, 1, 1],
      [0.2, 2, 1],
    ],
  );
  assert.throws(() => precisionAtRecall(labels, scores, 0), /minRecall must be in \(0, 1\]/);
  assert.throws(
    () => costSensitiveThreshold(labels, scores, { falsePositive: -1, falseNegative: 1 }),
    /falsePositive cost must be/,
  );
});
