// Dot: Keras batch_dot semantics (values from NumPy: x @ y.T per sample, cosine with normalize),
// the layer harness (shapes, config round trip, gradients), and a functional two-input model.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import {
  deserializeLayer,
  input,
  layers,
  model,
  ShapeError,
  serializeLayer,
  tensor,
  ValueError,
} from "../../index.js";

const close = (actual: number[], expected: number[]) => {
  for (const [i, e] of expected.entries())
    assert.ok(Math.abs(actual[i]! - e) < 1e-6, `${i}: ${actual[i]} vs ${e}`);
};

describe("Dot", () => {
  it("passes the layer harness for (B, D) pairs, normalized, and 3-D inputs with two axes", () => {
    runLayerTest((dtype) => layers.dot({ axes: 1, dtype }), {
      inputShape: [
        [3, 4],
        [3, 4],
      ],
      expectedOutputShape: [3, 1],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.dot({ axes: -1, normalize: true, dtype }), {
      inputShape: [
        [2, 5],
        [2, 5],
      ],
      expectedOutputShape: [2, 1],
      expectedParams: 0,
    });
    runLayerTest((dtype) => layers.dot({ axes: [1, 1], dtype }), {
      inputShape: [
        [2, 3, 4],
        [2, 3, 5],
      ],
      expectedOutputShape: [2, 4, 5],
      expectedParams: 0,
    });
  });

  it("computes batch_dot values as NumPy", () => {
    const pair = [
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([
        [5, 6],
        [-7, 8],
      ]),
    ];
    const y1 = layers.dot({ axes: 1 }).apply(pair);
    assert.deepEqual(y1.toArray(), [[17], [11]]);
    const cosine = layers.dot({ axes: 1, normalize: true }).apply(pair);
    close(Array.from(cosine.data), [0.9734171683335759, 0.2069585910443914]);
    // x (1, 2, 3) . y (1, 4, 3) over axis 2: x @ y^T
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [1, 2, 3] });
    const y = tensor(
      Array.from({ length: 12 }, (_, i) => i + 1),
      { shape: [1, 4, 3] },
    );
    const xy = layers.dot({ axes: 2 }).apply([x, y]);
    assert.deepEqual(xy.toArray(), [
      [
        [14, 32, 50, 68],
        [32, 77, 122, 167],
      ],
    ]);
    // axes [1, 1]: x^T @ y2 for y2 (1, 2, 4)
    const y2 = tensor(
      Array.from({ length: 8 }, (_, i) => i + 1),
      { shape: [1, 2, 4] },
    );
    assert.deepEqual(
      layers
        .dot({ axes: [1, 1] })
        .apply([x, y2])
        .toArray(),
      [
        [
          [21, 26, 31, 36],
          [27, 34, 41, 48],
          [33, 42, 51, 60],
        ],
      ],
    );
  });

  it("works in a functional model, round-trips its config and rejects bad inputs", () => {
    const users = input({ shape: [4] });
    const items = input({ shape: [4] });
    const score = layers.dot({ axes: 1, normalize: true }).apply([users, items]);
    assert.deepEqual([...score.shape], [null, 1]);
    const m = model({ inputs: [users, items], outputs: score });
    const out = m.apply([tensor([[1, 0, 0, 0]]), tensor([[2, 0, 0, 0]])]);
    close(Array.from(out.data), [1]);
    const copy = deserializeLayer(serializeLayer(layers.dot({ axes: [1, 2], normalize: true })));
    assert.deepEqual(copy.getConfig().axes, [1, 2]);
    assert.equal(copy.getConfig().normalize, true);
    assert.throws(() => layers.dot({ axes: 1 }).apply([tensor([[1, 2]]), tensor([[1, 2, 3]])]), ShapeError);
    assert.throws(() => layers.dot({ axes: 0 }).apply([tensor([[1]]), tensor([[1]])]), /axis 0 does not fit/);
    assert.throws(() => layers.dot({ axes: 1 }).apply([tensor([[1]])]), /exactly 2 inputs/);
    assert.throws(() => layers.dot({ axes: 1.5 as number }), ValueError);
  });
});
