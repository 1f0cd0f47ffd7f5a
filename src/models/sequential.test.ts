import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../test/helpers/layer-harness.js";
import {
  deserializeLayer,
  input,
  layers,
  noGrad,
  randn,
  Sequential,
  sequential,
  tensor,
  ValueError,
} from "../index.js";

describe("sequential", () => {
  it("builds at once from inputShape on the first layer and runs the layers in order", () => {
    const d1 = layers.dense({ units: 3, activation: "relu", inputShape: [4] });
    const d2 = layers.dense({ units: 2 });
    const m = sequential([d1, d2]);
    assert.equal(m.built, true);
    assert.equal(m.countParams(), 4 * 3 + 3 + 3 * 2 + 2);
    assert.deepEqual(m.inputShapes, [[null, 4]]);
    assert.deepEqual(m.outputShapes, [[null, 2]]);
    assert.deepEqual(m.outputNames, [d2.name]);
    const x = randn([5, 4]);
    const y = m.apply(x);
    assert.deepEqual([...y.data], [...d2.apply(d1.apply(x)).data]);
    assert.deepEqual(m.layers, [d1, d2]);
    assert.equal(m.getLayer(d2.name), d2);
    assert.equal(m.getLayer(0), d1);
    assert.throws(() => m.getLayer("nope"), /no layer named "nope"/);
  });

  it("accepts input() as its first element, and add()", () => {
    const m = sequential([input({ shape: [6] })]);
    m.add(layers.dense({ units: 4 }));
    m.add(layers.dropout({ rate: 0.5 }));
    m.add(layers.dense({ units: 1 }));
    assert.equal(m.countParams(), 6 * 4 + 4 + 5);
    assert.deepEqual(m.outputShapes, [[null, 1]]);
    assert.equal(m.layers.length, 3, "the input layer is not listed, as in Keras");
    const popped = m.pop();
    assert.equal(popped.className, "Dense");
    assert.deepEqual(m.outputShapes, [[null, 4]]);
  });

  it("defers building to the first call when no input shape is given", () => {
    const m = sequential([layers.dense({ units: 3 }), layers.dense({ units: 1 })]);
    assert.equal(m.built, false);
    assert.equal(m.weights.length, 0);
    const y = m.apply(randn([2, 5]));
    assert.deepEqual(y.shape, [2, 1]);
    assert.equal(m.built, true);
    assert.deepEqual(m.inputShapes, [[null, 5]]);
    assert.equal(m.countParams(), 5 * 3 + 3 + 4);
  });

  it("rejects duplicate names and non-layers", () => {
    const m = sequential([layers.dense({ units: 1, name: "a" })]);
    assert.throws(() => m.add(layers.dense({ units: 1, name: "a" })), /"a" is already the name of a layer/);
    assert.throws(() => m.add(3 as unknown as Sequential), ValueError);
  });

  it("round-trips its config, built or deferred, to the same outputs", () => {
    for (const m of [
      sequential([
        layers.dense({ units: 3, activation: "tanh", inputShape: [2] }),
        layers.batchNormalization(),
        layers.dense({ units: 2 }),
      ]),
      sequential([layers.dense({ units: 3 }), layers.dense({ units: 2, activation: "softmax" })]),
    ]) {
      const x = randn([4, 2]);
      m.apply(x);
      const config = JSON.parse(JSON.stringify({ className: m.className, config: m.getConfig() }));
      const again = deserializeLayer(config) as Sequential;
      assert.ok(again instanceof Sequential);
      assert.equal(again.built, true, "an input layer in the config builds the copy at once");
      assert.deepEqual(
        again.weightEntries().map((w) => w.path),
        m.weightEntries().map((w) => w.path),
      );
      again.setWeights(m.getWeights());
      assert.deepEqual([...noGrad(() => again.apply(x)).data], [...noGrad(() => m.apply(x)).data]);
    }
  });

  it("passes the layer harness as a layer", () => {
    runLayerTest(
      (dtype) =>
        sequential([
          layers.dense({ units: 3, activation: "tanh", dtype }),
          layers.layerNormalization({ dtype }),
          layers.dense({ units: 2, dtype }),
        ]),
      { inputShape: [4, 3], expectedOutputShape: [4, 2], expectedParams: 12 + 6 + 8 },
    );
  });

  it("freezes every layer with model.trainable = false, and only one with layer.trainable", () => {
    const m = sequential([layers.dense({ units: 3, inputShape: [2] }), layers.dense({ units: 1 })]);
    m.layers[0]!.trainable = false;
    assert.equal(m.trainableWeights.length, 2);
    assert.equal(m.nonTrainableWeights.length, 2);
    m.trainable = false;
    assert.equal(m.trainableWeights.length, 0);
    assert.ok(m.weights.every((w) => !w.requiresGrad));
    m.trainable = true;
    assert.equal(m.trainableWeights.length, 4);
  });

  it("round-trips getWeights/setWeights", () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [2] })]);
    const saved = m.getWeights();
    m.setWeights([
      tensor([
        [0, 0],
        [0, 0],
      ]),
      tensor([0, 0]),
    ]);
    assert.deepEqual([...m.apply(tensor([[1, 1]])).data], [0, 0]);
    m.setWeights(saved);
    assert.deepEqual([...m.weights[0]!.data], [...saved[0]!.data]);
  });
});
