import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor } from "../../index.js";

describe("SimpleRNN", () => {
  it("passes the layer harness (fused tanh and relu, composed elu)", () => {
    // params: H (F + H + 1)
    runLayerTest((dtype) => layers.simpleRNN({ units: 3, dtype }), {
      inputShape: [2, 4, 2],
      expectedOutputShape: [2, 3],
      expectedParams: 18,
    });
    runLayerTest(
      (dtype) => layers.simpleRNN({ units: 2, activation: "relu", returnSequences: true, dtype }),
      {
        inputShape: [2, 3, 2],
        expectedOutputShape: [2, 3, 2],
        expectedParams: 10,
      },
    );
    runLayerTest((dtype) => layers.simpleRNN({ units: 2, activation: "elu", goBackwards: true, dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 2],
      expectedParams: 10,
    });
  });

  it("computes h_t = tanh(x_t W + h_{t-1} U + b) by hand", () => {
    const l = layers.simpleRNN({ units: 2, returnSequences: true });
    const x = tensor([[[1], [0.5]]]);
    l.apply(x);
    l.setWeights([
      tensor([[0.5, -1]]),
      tensor([
        [0.2, 0.3],
        [-0.4, 0.1],
      ]),
      tensor([0.1, 0.2]),
    ]);
    const h1 = [Math.tanh(0.5 + 0.1), Math.tanh(-1 + 0.2)];
    const h2 = [
      Math.tanh(0.25 + h1[0]! * 0.2 + h1[1]! * -0.4 + 0.1),
      Math.tanh(-0.5 + h1[0]! * 0.3 + h1[1]! * 0.1 + 0.2),
    ];
    assertClose(l.apply(x), [[h1, h2]]);
  });

  it("the composed path (elu) agrees with a hand loop under a mask", () => {
    const l = layers.simpleRNN({ units: 1, activation: "elu", returnSequences: true, useBias: false });
    const x = tensor([[[1], [-3], [2]]]);
    l.apply(x);
    l.setWeights([tensor([[1]]), tensor([[0.5]])]);
    const elu = (v: number) => (v > 0 ? v : Math.expm1(v));
    const h1 = elu(1);
    // the masked middle step keeps h1
    const h3 = elu(2 + 0.5 * h1);
    assertClose(l.apply(x, { mask: tensor([[true, false, true]]) }), [[[h1], [h1], [h3]]]);
    assert.equal(l.getConfig().activation, "elu");
  });
});
