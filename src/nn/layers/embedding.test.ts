import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { backward, ConfigError, getMask, input, layers, model, sum, tensor } from "../../index.js";

describe("Embedding", () => {
  it("passes the layer harness on integer ids", () => {
    runLayerTest((dtype) => layers.embedding({ inputDim: 7, outputDim: 3, dtype }), {
      inputShape: [2, 4],
      intInputs: [7],
      expectedOutputShape: [2, 4, 3],
      expectedParams: 21,
    });
    runLayerTest((dtype) => layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, dtype }), {
      inputShape: [3],
      intInputs: [5],
      expectedOutputShape: [3, 2],
      expectedParams: 10,
    });
  });

  it("looks rows up, accumulates the gradient of repeated ids, and masks id 0 on request", () => {
    const e = layers.embedding({ inputDim: 3, outputDim: 2, maskZero: true });
    const ids = tensor([[2, 0, 2]], { dtype: "int32" });
    e.apply(ids);
    e.setWeights([
      tensor([
        [0, 0],
        [1, 2],
        [3, 4],
      ]),
    ]);
    const y = e.apply(ids);
    assertClose(y, [
      [
        [3, 4],
        [0, 0],
        [3, 4],
      ],
    ]);
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 0, 1]);
    backward(sum(y));
    assertClose(e.embeddings!.grad!, [
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
    // float ids are truncated like Keras's cast
    assertClose(e.apply(tensor([[1.7]])), [[[1, 2]]]);
    assert.equal(getMask(layers.embedding({ inputDim: 3, outputDim: 2 }).apply(ids)), null);
  });

  it("starts uniform in [-0.05, 0.05] and validates options", () => {
    const e = layers.embedding({ inputDim: 50, outputDim: 4 });
    e.apply(tensor([[1]], { dtype: "int32" }));
    assert.ok(Array.from(e.embeddings!.data).every((v) => Math.abs(v) <= 0.05));
    assert.throws(() => layers.embedding({ inputDim: 0, outputDim: 2 }), ConfigError);
    assert.throws(() => e.apply(tensor([[50]], { dtype: "int32" })), /out of range/);
  });

  it("gives a masked sequence to the next layer inside a functional model", () => {
    const ids = input({ shape: [3], dtype: "int32" });
    const emb = layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true }).apply(ids);
    const out = layers.simpleRNN({ units: 2, returnSequences: true }).apply(emb);
    const m = model({ inputs: ids, outputs: out });
    const y = m.apply(tensor([[1, 0, 0]], { dtype: "int32" }));
    // padded steps repeat the first step's output
    assert.deepEqual(Array.from(y.data.subarray(2, 4)), Array.from(y.data.subarray(0, 2)));
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 0, 0]);
  });
});
