import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { ConfigError, layers, tensor } from "../../index.js";

describe("RMSNormalization", () => {
  it("passes the layer harness (last axis, two axes)", () => {
    runLayerTest((dtype) => layers.rmsNormalization({ dtype }), {
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedParams: 4,
    });
    runLayerTest((dtype) => layers.rmsNormalization({ axis: [1, 2], dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 6,
    });
  });

  it("divides by the root mean square and multiplies by the scale", () => {
    const l = layers.rmsNormalization({ epsilon: 0 });
    const x = tensor([
      [3, 4],
      [1, -1],
    ]);
    l.apply(x);
    l.setWeights([tensor([2, 0.5])]);
    const r0 = Math.sqrt((9 + 16) / 2);
    assertClose(l.apply(x), [
      [(3 / r0) * 2, (4 / r0) * 0.5],
      [2, -0.5],
    ]);
    assert.equal(layers.rmsNormalization().epsilon, 1e-6);
    assert.throws(() => layers.rmsNormalization({ axis: [] }), ConfigError);
  });
});
