import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { type ActivationName, ConfigError, layers, tensor } from "../../index.js";

describe("Activation", () => {
  it("passes the layer harness for several activations", () => {
    for (const activation of [
      "relu",
      "sigmoid",
      "tanh",
      "softmax",
      "elu",
      "selu",
      "gelu",
      "swish",
      "softplus",
      "mish",
      "log_softmax",
    ] as const satisfies readonly ActivationName[]) {
      runLayerTest((dtype) => layers.activation({ activation, dtype }), {
        inputShape: [3, 4],
        expectedOutputShape: [3, 4],
        expectedParams: 0,
      });
    }
  });

  it("applies the named function", () => {
    const x = tensor([[-2, -0.5, 0.5, 3]]);
    assert.deepEqual([...layers.activation({ activation: "relu" }).apply(x).data], [0, 0, 0.5, 3]);
    // Keras 3 leaky_relu slope 0.2
    assert.deepEqual(
      [...layers.activation({ activation: "leaky_relu" }).apply(x).data].map(
        (v) => Math.round(v * 1e6) / 1e6,
      ),
      [-0.4, -0.1, 0.5, 3],
    );
    // hard_sigmoid = clip(x / 6 + 0.5, 0, 1)
    const hs = [...layers.activation({ activation: "hard_sigmoid" }).apply(x).data];
    const expected = [-2 / 6 + 0.5, -0.5 / 6 + 0.5, 0.5 / 6 + 0.5, 1];
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(hs[i]! - expected[i]!) < 1e-6);
    const relu6 = layers.activation({ activation: "relu6" }).apply(tensor([7, -1, 2]));
    assert.deepEqual([...relu6.data], [6, 0, 2]);
  });

  it("accepts camelCase aliases and stores the canonical name", () => {
    const a = layers.activation({ activation: "logSoftmax" });
    assert.equal(a.getConfig().activation, "log_softmax");
    assert.equal(layers.activation({ activation: "hardSigmoid" }).getConfig().activation, "hard_sigmoid");
    // @ts-expect-error an unknown name does not type-check, and is refused at run time too
    assert.throws(() => layers.activation({ activation: "foo" }), ConfigError);
  });
});
