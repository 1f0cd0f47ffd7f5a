import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { getMask, layers, tensor } from "../../index.js";

describe("PositionEmbedding", () => {
  it("passes the layer harness", () => {
    runLayerTest((dtype) => layers.positionEmbedding({ sequenceLength: 5, dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 20,
    });
  });

  it("returns the first T position vectors (from startIndex) for every sample", () => {
    const pos = layers.positionEmbedding({ sequenceLength: 4 });
    const x = seeded([2, 3, 2], -1, 1, 1);
    pos.apply(x);
    const table = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    pos.setWeights([table]);
    assertClose(pos.apply(x), [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const shifted = layers.positionEmbedding({ sequenceLength: 4, startIndex: 2 });
    shifted.apply(x.slice([null, [0, 2]]));
    shifted.setWeights([table]);
    assertClose(
      shifted.apply(
        x.slice([
          [0, 1],
          [0, 2],
        ]),
      ),
      [
        [
          [5, 6],
          [7, 8],
        ],
      ],
    );
    assert.throws(() => pos.apply(seeded([1, 5, 2], 0, 1, 2)), /exceed sequenceLength 4/);
  });
});

describe("TokenAndPositionEmbedding", () => {
  it("passes the layer harness on token ids", () => {
    runLayerTest(
      (dtype) =>
        layers.tokenAndPositionEmbedding({ vocabularySize: 6, sequenceLength: 4, embeddingDim: 3, dtype }),
      { inputShape: [2, 4], intInputs: [6], expectedOutputShape: [2, 4, 3], expectedParams: 30 },
    );
  });

  it("adds token and position vectors, masks padding ids, names its weights after itself", () => {
    const emb = layers.tokenAndPositionEmbedding({
      name: "tok",
      vocabularySize: 3,
      sequenceLength: 2,
      embeddingDim: 2,
      maskZero: true,
    });
    const ids = tensor([[2, 0]], { dtype: "int32" });
    emb.apply(ids);
    emb.setWeights([
      tensor([
        [0, 0],
        [1, 1],
        [10, 20],
      ]),
      tensor([
        [0.5, 0.25],
        [-1, -2],
      ]),
    ]);
    const y = emb.apply(ids);
    assertClose(y, [
      [
        [10.5, 20.25],
        [-1, -2],
      ],
    ]);
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 0]);
    assert.deepEqual(
      emb.weightEntries().map((w) => w.path),
      ["tok_token_embedding/embeddings", "tok_position_embedding/embeddings"],
    );
    const again = layers.tokenAndPositionEmbedding(emb.getConfig() as never);
    again.apply(ids);
    assert.deepEqual(
      again.weightEntries().map((w) => w.path),
      emb.weightEntries().map((w) => w.path),
    );
  });
});
