import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose, EXACT } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { ConfigError, layers, reshape, tensor } from "../../index.js";
import { bilinearWeights } from "./up-sampling2d.js";

describe("UpSampling2D", () => {
  it("passes the layer harness (nearest, bilinear, channels_first)", () => {
    runLayerTest((dtype) => layers.upSampling2d({ dtype }), {
      inputShape: [2, 2, 3, 2],
      expectedOutputShape: [2, 4, 6, 2],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.upSampling2d({ size: [3, 2], interpolation: "bilinear", dtype }), {
      inputShape: [1, 2, 3, 2],
      expectedOutputShape: [1, 6, 6, 2],
      expectedParams: 0,
    });
    runLayerTest(
      (dtype) =>
        layers.upSampling2d({ size: [1, 2], dataFormat: "channels_first", interpolation: "bilinear", dtype }),
      {
        inputShape: [1, 2, 2, 3],
        expectedOutputShape: [1, 2, 2, 6],
        expectedParams: 0,
      },
    );
  });

  it("nearest repeats rows and columns", () => {
    const y = layers.upSampling2d({ size: [2, 3] }).apply(tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] }));
    assertClose(
      reshape(y, [4, 6]),
      [
        [1, 1, 1, 2, 2, 2],
        [1, 1, 1, 2, 2, 2],
        [3, 3, 3, 4, 4, 4],
        [3, 3, 3, 4, 4, 4],
      ],
      { tol: EXACT },
    );
  });

  it("bilinear uses half-pixel centres (tf.image.resize / torch align_corners=False)", () => {
    // 1-D factor 2 of [0, 4, 8]: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25, 1.75, 2.25 (clamped to 2)
    const row = tensor([0, 4, 8], { shape: [1, 1, 3, 1] });
    const y = layers.upSampling2d({ size: [1, 2], interpolation: "bilinear" }).apply(row);
    assertClose(reshape(y, [6]), [0, 1, 3, 5, 7, 8], { tol: EXACT });
    assert.deepEqual(bilinearWeights(2, 4), [
      [1, 0],
      [0.75, 0.25],
      [0.25, 0.75],
      [0, 1],
    ]);
    // both axes: a 2x2 image upsampled 2x is the outer product of the 1-D weights
    const img = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1], dtype: "float64" });
    const z = reshape(
      layers.upSampling2d({ interpolation: "bilinear", dtype: "float64" }).apply(img),
      [4, 4],
    );
    const w = bilinearWeights(2, 4);
    const expected = w.map((ri) =>
      w.map((cj) => ri[0]! * (cj[0]! * 1 + cj[1]! * 2) + ri[1]! * (cj[0]! * 3 + cj[1]! * 4)),
    );
    assertClose(z, expected);
  });

  it("rejects unsupported interpolations", () => {
    assert.throws(
      () => layers.upSampling2d({ interpolation: "bicubic" as "nearest" }),
      /"bicubic" is not supported yet/,
    );
    assert.throws(() => layers.upSampling2d({ interpolation: "cubic" as "nearest" }), ConfigError);
  });
});
