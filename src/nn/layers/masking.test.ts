import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { getMask, layers, sequential, tensor } from "../../index.js";

describe("Masking", () => {
  it("passes the layer harness", () => {
    runLayerTest((dtype) => layers.masking({ maskValue: 0.5, dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 0,
    });
  });

  it("zeroes and masks steps whose features all equal maskValue", () => {
    const x = tensor([
      [
        [1, -1],
        [-1, -1],
        [0, -1],
      ],
    ]);
    const y = layers.masking({ maskValue: -1 }).apply(x);
    assertClose(y, [
      [
        [1, -1],
        [0, 0],
        [0, -1],
      ],
    ]);
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 0, 1]);
  });

  it("masks an LSTM's padding inside a sequential model", () => {
    const m = sequential([
      layers.masking({ inputShape: [4, 1] }),
      layers.lstm({ units: 2, returnSequences: true }),
      layers.dense({ units: 1 }),
    ]);
    const y = m.apply(tensor([[[0.5], [1], [0], [0]]]));
    // the padded steps repeat the last real step; Dense carries the mask on
    assert.equal(y.data[2], y.data[1]);
    assert.equal(y.data[3], y.data[1]);
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 1, 0, 0]);
  });
});
