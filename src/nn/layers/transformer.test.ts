// TransformerEncoder and TransformerDecoder: the harness, the order of their residual sub-blocks
// (post-norm and pre-norm) recomputed from their own sub-layers, masks, and causality.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import {
  add,
  input,
  type Layer,
  layers,
  model,
  sequential,
  setMask,
  type Tensor,
  tensor,
} from "../../index.js";

/** The sub-layer of `block` whose name ends with `suffix`. */
function sub(block: Layer, suffix: string): Layer {
  const found = block.childLayers().find((l) => l.name.endsWith(suffix));
  assert.ok(found, `no sub-layer *${suffix}`);
  return found;
}

describe("TransformerEncoder", () => {
  it("passes the layer harness (post-norm and pre-norm)", () => {
    // MHA 4 * 20, two LayerNorms 16, feedforward 40 + 36
    for (const normalizeFirst of [false, true]) {
      runLayerTest(
        (dtype) => layers.transformerEncoder({ intermediateDim: 8, numHeads: 2, normalizeFirst, dtype }),
        { inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedParams: 172 },
      );
    }
  });

  it("is norm(x + attention(x)) then norm(y + ffn(y)) (post-norm)", () => {
    const x = seeded([2, 5, 4], -1, 1, 1);
    const enc = layers.transformerEncoder({ intermediateDim: 6, numHeads: 2 });
    const y = enc.apply(x);
    const mha = sub(enc, "_self_attention");
    const ln1 = sub(enc, "_self_attention_layer_norm");
    const ln2 = sub(enc, "_feedforward_layer_norm");
    const ffn = (h: Tensor) => sub(enc, "_output_dense").apply(sub(enc, "_intermediate_dense").apply(h));
    const y1 = ln1.apply(add(x, mha.apply(x)));
    assertClose(y, ln2.apply(add(y1, ffn(y1))));
    assert.equal(sub(enc, "_intermediate_dense").getConfig().activation, "relu");
  });

  it("ignores padded positions: their values do not change the real positions' outputs", () => {
    const enc = layers.transformerEncoder({ intermediateDim: 6, numHeads: 2, normalizeFirst: true });
    const mask = tensor([
      [true, true, true, false, false],
      [true, true, true, true, true],
    ]);
    const a = seeded([2, 5, 4], -1, 1, 2);
    const b = a.mul(tensor([1, 1, 1, 7, -3]).reshape([1, 5, 1]));
    setMask(a, mask);
    setMask(b, mask);
    const ya = enc.apply(a);
    const yb = enc.apply(b);
    assertClose(
      ya.slice([
        [0, 1],
        [0, 3],
      ]),
      yb.slice([
        [0, 1],
        [0, 3],
      ]),
    );
    // an explicit attention mask input: only the first two keys visible
    const allowed = tensor([0, 1, 2, 3, 4].map(() => [true, true, false, false, false])).reshape([1, 5, 5]);
    const explicit = enc.apply([a.mul(1), allowed]);
    const changedTail = enc.apply([a.mul(tensor([1, 1, 5, 5, 5]).reshape([1, 5, 1])), allowed]);
    assertClose(explicit.slice([null, [0, 2]]), changedTail.slice([null, [0, 2]]));
  });
});

describe("TransformerDecoder", () => {
  it("passes the layer harness (decoder-only pre-norm; with cross-attention)", () => {
    runLayerTest(
      (dtype) => layers.transformerDecoder({ intermediateDim: 8, numHeads: 2, normalizeFirst: true, dtype }),
      { inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedParams: 172 },
    );
    runLayerTest((dtype) => layers.transformerDecoder({ intermediateDim: 8, numHeads: 2, dtype }), {
      inputShape: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 260,
    });
  });

  it("is x + attention(norm(x)) then y + ffn(norm(y)) (pre-norm), and causal", () => {
    const x = seeded([1, 6, 4], -1, 1, 3);
    const dec = layers.transformerDecoder({ intermediateDim: 6, numHeads: 2, normalizeFirst: true });
    const y = dec.apply(x);
    const mha = sub(dec, "_self_attention");
    assert.equal(mha.getConfig().useCausalMask, true);
    const ln1 = sub(dec, "_self_attention_layer_norm");
    const ln2 = sub(dec, "_feedforward_layer_norm");
    const ffn = (h: Tensor) => sub(dec, "_output_dense").apply(sub(dec, "_intermediate_dense").apply(h));
    const y1 = add(x, mha.apply(ln1.apply(x)));
    assertClose(y, add(y1, ffn(ln2.apply(y1))));
    // changing steps 4 and 5 leaves steps 0..3 unchanged
    const later = dec.apply(x.mul(tensor([1, 1, 1, 1, -2, 3]).reshape([1, 6, 1])));
    assertClose(later.slice([null, [0, 4]]), y.slice([null, [0, 4]]));
    assert.ok(Math.abs(later.data[4 * 4]! - y.data[4 * 4]!) > 1e-4);
  });

  it("builds a small GPT and an encoder-decoder as models", () => {
    const gpt = sequential([
      input({ shape: [8], dtype: "int32" }),
      layers.tokenAndPositionEmbedding({ vocabularySize: 11, sequenceLength: 8, embeddingDim: 8 }),
      layers.transformerDecoder({ intermediateDim: 16, numHeads: 2, normalizeFirst: true }),
      layers.layerNormalization({ epsilon: 1e-5 }),
      layers.dense({ units: 11 }),
    ]);
    assert.deepEqual(gpt.outputShapes, [[null, 8, 11]]);
    const src = input({ shape: [5, 4] });
    const dst = input({ shape: [3, 4] });
    const memory = layers.transformerEncoder({ intermediateDim: 8, numHeads: 2 }).apply(src);
    const out = layers.transformerDecoder({ intermediateDim: 8, numHeads: 2 }).apply([dst, memory]);
    const m = model({ inputs: [src, dst], outputs: out });
    const y = m.apply([seeded([2, 5, 4], -1, 1, 4), seeded([2, 3, 4], -1, 1, 5)]);
    assert.deepEqual([...y.shape], [2, 3, 4]);
    assert.throws(
      () => layers.transformerEncoder({ intermediateDim: 8, numHeads: 3 }).apply(seeded([1, 2, 4], 0, 1, 6)),
      /multiple of numHeads/,
    );
  });
});
