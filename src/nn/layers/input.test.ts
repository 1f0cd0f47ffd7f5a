import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, deserializeLayer, input, layers, tensor, ValueError } from "../../index.js";
import { InputLayer } from "./input.js";

describe("InputLayer and input()", () => {
  it("make a placeholder with an unknown batch axis, or a fixed one", () => {
    const x = input({ shape: [3, 4] });
    assert.deepEqual(x.shape, [null, 3, 4]);
    assert.equal(x.dtype, "float32");
    assert.ok(x.sourceLayer instanceof InputLayer);
    assert.equal(x.node.isInput, true);
    assert.deepEqual(input({ shape: [2], batchSize: 8 }).shape, [8, 2]);
    assert.deepEqual(input({ batchShape: [null, null, 5], dtype: "int32" }).shape, [null, null, 5]);
    assert.equal(input({ shape: [1], dtype: "int32" }).dtype, "int32");
    assert.match(String(input({ shape: [7], name: "features" })), /shape=\(None, 7\).*name=features/);
  });

  it("validate their options", () => {
    assert.throws(() => input({}), /shape is required/);
    assert.throws(() => input({ shape: [-1] }), ConfigError);
    assert.throws(() => input({ shape: [2], batchShape: [null, 2] }), /either batchShape or shape/);
  });

  it("round-trip their config and are never called directly", () => {
    const layer = layers.inputLayer({ shape: [4], name: "x" });
    const again = deserializeLayer(
      JSON.parse(JSON.stringify({ className: "InputLayer", config: layer.getConfig() })),
    ) as InputLayer;
    assert.deepEqual(again.batchShape, [null, 4]);
    assert.equal(again.name, "x");
    assert.equal(again.countParams(), 0);
    assert.throws(() => layer.apply(tensor([[1, 2, 3, 4]])), ValueError);
  });

  it("feed int32 features into Dense, which promotes them", () => {
    const d = layers.dense({ units: 1, kernelInitializer: "ones" });
    const y = d.apply(tensor([[1, 2, 3]], { dtype: "int32" }));
    assert.equal(y.dtype, "float32");
    assert.deepEqual([...y.data], [6]);
  });
});
