import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, ShapeError, tensor } from "../index.js";
import { classIndices, classWeightToSampleWeight, toSampleWeight } from "./sample-weights.js";

describe("sample weights", () => {
  test("class indices come from integer labels, [N,1] labels or one-hot rows", () => {
    assert.deepEqual([...classIndices(tensor([2, 0, 1], { dtype: "int32" }))], [2, 0, 1]);
    assert.deepEqual([...classIndices(tensor([[1], [0], [1]]))], [1, 0, 1]);
    assert.deepEqual(
      [
        ...classIndices(
          tensor([
            [0, 0, 1],
            [1, 0, 0],
          ]),
        ),
      ],
      [2, 0],
    );
  });

  test("classWeight maps each sample to its class's weight; missing classes weigh 1", () => {
    const w = classWeightToSampleWeight("fit", { 0: 0.5, 2: 4 }, tensor([0, 1, 2, 2], { dtype: "int32" }));
    assert.deepEqual([...w.data], [0.5, 1, 4, 4]);
    const fromArray = classWeightToSampleWeight("fit", [1, 3], tensor([[1], [0]]));
    assert.deepEqual([...fromArray.data], [3, 1]);
    assert.throws(() => classWeightToSampleWeight("fit", { 0: -1 }, tensor([0])), ConfigError);
  });

  test("sampleWeight must have one value per sample", () => {
    assert.deepEqual([...toSampleWeight("fit", [1, 2], 2).data], [1, 2]);
    assert.deepEqual(toSampleWeight("fit", tensor([[1], [2]]), 2).shape, [2]);
    assert.throws(() => toSampleWeight("fit", [1, 2, 3], 2), ShapeError);
  });
});
