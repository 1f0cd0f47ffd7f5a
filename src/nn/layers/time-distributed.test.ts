import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { getMask, layers, sequential, setMask, tensor } from "../../index.js";

describe("TimeDistributed", () => {
  it("passes the layer harness (Dense per step)", () => {
    runLayerTest((dtype) => layers.timeDistributed({ layer: layers.dense({ units: 3, dtype }), dtype }), {
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 3],
      expectedParams: 18,
    });
  });

  it("applies the same layer at every step and keeps the mask", () => {
    const x = seeded([2, 3, 4], -1, 1, 1);
    const dense = layers.dense({ units: 2 });
    const td = layers.timeDistributed({ layer: dense });
    const mask = tensor([
      [true, false, true],
      [true, true, true],
    ]);
    setMask(x, mask);
    const y = td.apply(x);
    for (let t = 0; t < 3; t++) assertClose(y.slice([null, t]), dense.apply(x.slice([null, t])));
    assert.equal(getMask(y), mask);
    const m = sequential([layers.timeDistributed({ layer: layers.dense({ units: 1 }), inputShape: [5, 2] })]);
    assert.deepEqual(m.outputShapes, [[null, 5, 1]]);
  });
});
