import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { ConfigError, concat, getMask, input, layers, model, type Tensor, tensor } from "../../index.js";

describe("Bidirectional", () => {
  it("passes the layer harness (concat of sequences, sum of last outputs, GRU)", () => {
    runLayerTest(
      (dtype) =>
        layers.bidirectional({ layer: layers.lstm({ units: 2, returnSequences: true, dtype }), dtype }),
      {
        inputShape: [2, 3, 2],
        expectedOutputShape: [2, 3, 4],
        expectedParams: 80,
      },
    );
    runLayerTest(
      (dtype) => layers.bidirectional({ layer: layers.gru({ units: 3, dtype }), mergeMode: "sum", dtype }),
      {
        inputShape: [2, 3, 2],
        expectedOutputShape: [2, 3],
        expectedParams: 126,
      },
    );
  });

  it("equals a forward layer and a reversed-input layer with the same weights, re-aligned in time", () => {
    const x = seeded([2, 4, 3], -1, 1, 1);
    const bi = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, returnSequences: true }) });
    const y = bi.apply(x);
    const fwd = layers.simpleRNN({ units: 2, returnSequences: true });
    const bwd = layers.simpleRNN({ units: 2, returnSequences: true });
    fwd.apply(x);
    bwd.apply(x);
    fwd.setWeights(bi.forwardLayer.getWeights());
    bwd.setWeights(bi.backwardLayer.getWeights());
    const expected = concat([fwd.apply(x), bwd.apply(x.flip(1)).flip(1)], -1);
    assertClose(y, expected);
    assert.equal(bi.backwardLayer.goBackwards, true);
    assert.deepEqual(
      bi.weightEntries().map((w) => w.path.split("/")[0]),
      [...Array(3).fill(bi.forwardLayer.name), ...Array(3).fill(bi.backwardLayer.name)],
    );
    assert.ok(bi.forwardLayer.name.startsWith("forward_"));
  });

  it("mergeMode null returns both directions; returnState adds both directions' states", () => {
    const x = seeded([2, 3, 2], -1, 1, 2);
    const both = layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: null });
    assert.equal(both.applyMulti(x).length, 2);
    const withState = layers.bidirectional({ layer: layers.lstm({ units: 2, returnState: true }) });
    const outs = withState.applyMulti(x) as Tensor[];
    assert.equal(outs.length, 5);
    assertClose(outs[0]!, concat([outs[1]!, outs[3]!], -1));
    // initial states: forward h, c then backward h, c
    const src = input({ shape: [3, 2] });
    const states = [0, 1, 2, 3].map(() => input({ shape: [2] }));
    const y = layers.bidirectional({ layer: layers.lstm({ units: 2 }) }).apply([src, ...states]);
    const m = model({ inputs: [src, ...states], outputs: y });
    assert.deepEqual(m.outputShapes, [[null, 4]]);
    assert.throws(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never }), ConfigError);
  });

  it("passes the sequence mask to both directions and on to its output", () => {
    const ids = tensor([[1, 2, 0]], { dtype: "int32" });
    const e = layers.embedding({ inputDim: 3, outputDim: 2, maskZero: true }).apply(ids);
    const bi = layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }) });
    const y = bi.apply(e);
    assert.deepEqual(Array.from(getMask(y)!.data), [1, 1, 0]);
    // the backward direction skips the padded step, so its first processed step is t = 1
    const backwardOnly = bi.backwardLayer.apply(e.slice([null, [0, 2]]));
    assertClose(y.slice([null, [0, 2], [2, 4]]), backwardOnly.flip(1));
  });
});
