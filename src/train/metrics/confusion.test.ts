import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../../index.js";
import { classificationReport, confusionMatrix } from "./index.js";

describe("confusionMatrix", () => {
  it("rows are true classes, columns predicted; scores are argmaxed", () => {
    const yTrue = tensor([0, 1, 2, 2, 1], { dtype: "int32" });
    const yPred = tensor([
      [0.8, 0.1, 0.1],
      [0.1, 0.3, 0.6],
      [0.2, 0.2, 0.6],
      [0.1, 0.1, 0.8],
      [0.2, 0.7, 0.1],
    ]);
    const m = confusionMatrix(yTrue, yPred);
    assert.equal(m.dtype, "int32");
    assert.deepEqual(m.toArray(), [
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });

  it("thresholds binary probabilities, takes one-hot targets and weights", () => {
    const m = confusionMatrix(tensor([[1], [0], [1]]), tensor([[0.7], [0.6], [0.2]]));
    assert.deepEqual(m.toArray(), [
      [0, 1],
      [1, 1],
    ]);
    const weighted = confusionMatrix(
      tensor([
        [0, 1],
        [1, 0],
      ]),
      tensor([1, 0], { dtype: "int32" }),
      { weights: tensor([0.5, 2]), numClasses: 3 },
    );
    assert.equal(weighted.dtype, "float64");
    assert.deepEqual(weighted.toArray(), [
      [2, 0, 0],
      [0, 0.5, 0],
      [0, 0, 0],
    ]);
    assert.throws(
      () => confusionMatrix(tensor([0, 1]), tensor([0])),
      /different batch sizes \(got 2 and 1\)/,
    );
  });
});

describe("classificationReport", () => {
  const yTrue = tensor([0, 1, 2, 2, 1], { dtype: "int32" });
  const yPred = tensor([0, 2, 2, 2, 1], { dtype: "int32" });

  it("computes per-class and averaged scores", () => {
    const report = classificationReport(yTrue, yPred);
    assert.equal(report.accuracy, 0.8);
    assert.deepEqual(
      report.perClass.map((c) => [c.label, c.support]),
      [
        [0, 1],
        [1, 2],
        [2, 2],
      ],
    );
    assert.ok(Math.abs(report.perClass[2]!.f1 - 0.8) < 1e-12);
    assert.ok(Math.abs(report.macroAvg.recall - 2.5 / 3) < 1e-12);
    assert.ok(Math.abs(report.weightedAvg.f1 - (1 + 4 / 3 + 1.6) / 5) < 1e-12);
  });

  it("prints scikit-learn's layout", () => {
    const { text } = classificationReport(yTrue, yPred, { targetNames: ["a", "b", "c"] });
    // produced by scikit-learn's format strings ("{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}")
    const expected =
      "              precision    recall  f1-score   support\n\n" +
      "           a       1.00      1.00      1.00         1\n" +
      "           b       1.00      0.50      0.67         2\n" +
      "           c       0.67      1.00      0.80         2\n\n" +
      "    accuracy                           0.80         5\n" +
      "   macro avg       0.89      0.83      0.82         5\n" +
      "weighted avg       0.87      0.80      0.79         5\n";
    assert.equal(text, expected);
  });

  it("uses zeroDivision for a class never predicted", () => {
    const report = classificationReport(tensor([0, 1]), tensor([0, 0]), { zeroDivision: 0 });
    assert.equal(report.perClass[1]!.precision, 0);
    assert.equal(report.perClass[0]!.precision, 0.5);
  });
});
