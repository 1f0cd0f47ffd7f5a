// Tests of permutation importance and partial dependence on models whose answers are known:
// shuffling an unused feature changes nothing; the drop for a used one is recomputed from the
// shuffled column the model saw; partial dependence of a linear or product model in closed form.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ShapeError, ValueError } from "../core/errors.js";
import { add, matmul, mul } from "../ops/index.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { partialDependence } from "./explain-partial-dependence.js";
import { permutationImportance } from "./explain-permutation.js";

// 10 rows: x0 = 0..9, x1 = a fixed scramble, x2 = 1 everywhere
const ROWS = [3, 7, 1, 9, 0, 5, 2, 8, 6, 4].map((v, i) => [i, v, 1]);
const X = tensor(ROWS, { dtype: "float64" });
const threeX0 = (x: Tensor) => matmul(x, tensor([[3], [0], [0]], { dtype: "float64" }));
const Y = threeX0(X);

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} vs ${expected[i]}`);
}

describe("permutationImportance", () => {
  test("an unused feature has importance 0; a used one drops by the MSE of the shuffled column", () => {
    const seen: number[][] = [];
    const mse = (yTrue: Tensor, yPred: Tensor) => {
      seen.push(Array.from(yPred.data, (v) => v / 3));
      let total = 0;
      for (let i = 0; i < yTrue.size; i++) total += (yTrue.data[i]! - yPred.data[i]!) ** 2;
      return total / yTrue.size;
    };
    const result = permutationImportance(threeX0, X, Y, {
      scoring: mse,
      greaterIsBetter: false,
      nRepeats: 4,
      seed: 1,
    });
    assert.equal(result.baselineScore, -0);
    // seen[0] is the baseline call; then 4 shuffles of x0, 4 of x1, 4 of x2
    for (let r = 0; r < 4; r++) {
      const column = seen[1 + r]!;
      assert.deepEqual(
        [...column].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      const expected = column.reduce((s, v, i) => s + 9 * (v - i) ** 2, 0) / 10;
      assert.ok(Math.abs(result.importances[0]![r]! - expected) < 1e-9);
      assert.ok(expected > 0);
    }
    assert.notDeepEqual(seen[1], seen[2]);
    assert.deepEqual(Array.from(result.importancesMean.slice(1)), [0, 0]);
    assert.deepEqual(Array.from(result.importancesStd.slice(1)), [0, 0]);
    const drops = Array.from(result.importances[0]!);
    const mean = drops.reduce((a, b) => a + b, 0) / 4;
    assert.ok(Math.abs(result.importancesMean[0]! - mean) < 1e-12);
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    assert.ok(Math.abs(result.importancesStd[0]! - std) < 1e-12);
    // the registry's "mse" (lower is better, so negated) gives the same drops for the same seed
    const named = permutationImportance(threeX0, X, Y, { scoring: "mse", nRepeats: 4, seed: 1 });
    for (let r = 0; r < 4; r++)
      assert.ok(Math.abs(named.importances[0]![r]! - result.importances[0]![r]!) < 1e-9);
  });

  test("accuracy of a classifier: only the feature it reads matters; the seed fixes the result", () => {
    // two-class scores [-x0 + 4.5, x0 - 4.5]: class 1 when x0 > 4.5
    const classifier = (x: Tensor) =>
      add(
        matmul(
          x,
          tensor(
            [
              [-1, 1],
              [0, 0],
              [0, 0],
            ],
            { dtype: "float64" },
          ),
        ),
        tensor([4.5, -4.5], { dtype: "float64" }),
      );
    const labels = tensor(
      ROWS.map(([x0]) => (x0! > 4.5 ? 1 : 0)),
      { dtype: "float64" },
    );
    const a = permutationImportance(classifier, X, labels, {
      scoring: "sparse_categorical_accuracy",
      nRepeats: 6,
      seed: 5,
    });
    const b = permutationImportance(classifier, X, labels, {
      scoring: "sparse_categorical_accuracy",
      nRepeats: 6,
      seed: 5,
    });
    assert.equal(a.baselineScore, 1);
    assert.ok(a.importancesMean[0]! > 0.2, `x0 importance ${a.importancesMean[0]}`);
    assert.deepEqual(Array.from(a.importancesMean.slice(1)), [0, 0]);
    assert.deepEqual(
      a.importances.map((r) => Array.from(r)),
      b.importances.map((r) => Array.from(r)),
    );
  });

  test("bad input: y of another length, unknown metric, nRepeats 0", () => {
    assert.throws(() => permutationImportance(threeX0, X, tensor([1, 2])), ShapeError);
    assert.throws(() => permutationImportance(threeX0, X, Y, { scoring: "nope" }), /unknown metric "nope"/);
    assert.throws(
      () => permutationImportance(threeX0, X, Y, { nRepeats: 0 }),
      /nRepeats must be an integer >= 1 \(got 0\)/,
    );
  });
});

describe("partialDependence", () => {
  test("of 2 x0 + x1 is 2 v + mean(x1), over the distinct values of a small feature", () => {
    const model = (x: Tensor) => matmul(x, tensor([[2], [1], [0]], { dtype: "float64" }));
    const { grid, average, individual } = partialDependence(model, X, 0);
    assert.deepEqual(Array.from(grid), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    close(
      average.map((a) => a[0]!),
      Array.from(grid, (v) => 2 * v + 4.5),
    );
    assert.deepEqual(
      Array.from(individual[2]!),
      ROWS.map(([, x1]) => 4 + x1!),
    );
  });
  test("a resolution below the distinct count spans the 5th to 95th percentiles", () => {
    const pick = (j: number) => tensor([[j === 0 ? 1 : 0], [j === 1 ? 1 : 0], [0]], { dtype: "float64" });
    const product = (x: Tensor) => mul(matmul(x, pick(0)), matmul(x, pick(1))); // x0 * x1
    const { grid, average } = partialDependence(product, X, 0, { gridResolution: 3 });
    close(grid, [0.45, 4.5, 8.55]);
    for (let g = 0; g < 3; g++) assert.ok(Math.abs(average[g]![0]! - grid[g]! * 4.5) < 1e-12);
  });
  test("rejects a feature out of range and equal percentiles", () => {
    assert.throws(
      () => partialDependence(threeX0, X, 3),
      /feature must be a column index in \[0, 3\) \(got 3\)/,
    );
    assert.throws(() => partialDependence(threeX0, X, 2, { gridResolution: 1 }), ValueError);
  });
});
