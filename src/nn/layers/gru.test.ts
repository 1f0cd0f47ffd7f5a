import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import {
  type ActivationName,
  backward,
  layers,
  registerActivation,
  sum,
  type Tensor,
  tanh,
  tensor,
} from "../../index.js";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe("GRU", () => {
  it("passes the layer harness (reset after and before, sequences, composed activation)", () => {
    // reset after: 3H (F + H) + 2 * 3H
    runLayerTest((dtype) => layers.gru({ units: 3, dtype }), {
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 72,
    });
    // reset before: 3H (F + H + 1)
    runLayerTest((dtype) => layers.gru({ units: 2, resetAfter: false, returnSequences: true, dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 30,
    });
    runLayerTest(
      (dtype) => layers.gru({ units: 2, recurrentActivation: "softsign", goBackwards: true, dtype }),
      {
        inputShape: [2, 3, 2],
        expectedOutputShape: [2, 2],
        expectedParams: 36,
      },
    );
  });

  it("computes one step by hand for both reset conventions", () => {
    // one unit, one feature, h0 = 0.5, x = 2; kernel [wz wr wh], recurrent [uz ur uh]
    const x = tensor([[[2]]]);
    const h0 = tensor([[0.5]]);
    const kernel = tensor([[0.3, -0.2, 0.8]]);
    const recurrent = tensor([[0.6, 0.4, -1.1]]);
    const after = layers.gru({ units: 1 });
    after.apply([x, h0]);
    after.setWeights([
      kernel,
      recurrent,
      tensor([
        [0.1, 0.2, 0.3],
        [-0.1, 0.05, 0.4],
      ]),
    ]);
    {
      const z = sig(0.3 * 2 + 0.1 + 0.6 * 0.5 - 0.1);
      const r = sig(-0.2 * 2 + 0.2 + 0.4 * 0.5 + 0.05);
      const hh = Math.tanh(0.8 * 2 + 0.3 + r * (-1.1 * 0.5 + 0.4));
      assertClose(after.apply([x, h0]), [[z * 0.5 + (1 - z) * hh]]);
    }
    const before = layers.gru({ units: 1, resetAfter: false });
    before.apply([x, h0]);
    before.setWeights([kernel, recurrent, tensor([0.1, 0.2, 0.3])]);
    {
      const z = sig(0.3 * 2 + 0.1 + 0.6 * 0.5);
      const r = sig(-0.2 * 2 + 0.2 + 0.4 * 0.5);
      const hh = Math.tanh(0.8 * 2 + 0.3 + -1.1 * (r * 0.5));
      assertClose(before.apply([x, h0]), [[z * 0.5 + (1 - z) * hh]]);
    }
    assert.deepEqual(after.bias!.shape, [2, 3]);
    assert.deepEqual(before.bias!.shape, [3]);
  });

  it("fused and composed reset-after paths agree in values and gradients, with masks", () => {
    const composedTanh = registerActivation("gru_tanh_composed", (t) => tanh(t));
    const x = seeded([3, 4, 2], -1, 1, 1, "float64");
    const mask = tensor(
      [
        [1, 0, 1, 1],
        [1, 1, 1, 0],
        [1, 1, 1, 1],
      ],
      { dtype: "bool" },
    );
    const run = (activation: ActivationName) => {
      const l = layers.gru({ units: 3, activation, returnSequences: true, dtype: "float64" });
      l.apply(x);
      l.setWeights([
        seeded([2, 9], -0.5, 0.5, 2, "float64"),
        seeded([3, 9], -0.5, 0.5, 3, "float64"),
        seeded([2, 9], -0.5, 0.5, 4, "float64"),
      ]);
      const y = l.apply(x, { mask });
      backward(sum(y.mul(seeded(y.shape, -1, 1, 5, "float64"))));
      return { y, grads: l.trainableWeights.map((w) => w.grad!) };
    };
    const fused = run("tanh");
    const composed = run(composedTanh);
    assertClose(fused.y, composed.y);
    for (const [i, g] of fused.grads.entries()) assertClose(g, composed.grads[i]!);
  });

  it("returns its final state with returnState and keeps it when stateful", () => {
    const x = seeded([2, 4, 3], -1, 1, 6);
    const [seq, h] = layers.gru({ units: 2, returnSequences: true, returnState: true }).applyMulti(x) as [
      Tensor,
      Tensor,
    ];
    assertClose(h, seq.slice([null, 3]));
    const whole = layers.gru({ units: 2 });
    const halves = layers.gru({ units: 2, stateful: true });
    whole.apply(x);
    halves.apply(x.slice([null, [0, 2]]));
    halves.setWeights(whole.getWeights());
    halves.resetStates();
    halves.apply(x.slice([null, [0, 2]]));
    assertClose(halves.apply(x.slice([null, [2, 4]])), whole.apply(x));
  });
});
