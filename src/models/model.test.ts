import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../test/helpers/layer-harness.js";
import {
  type CallContext,
  type LayerInputs,
  layers,
  Model,
  randn,
  registerLayer,
  type Tensor,
} from "../index.js";

/** A subclassed model (Keras's third way): layers tracked in fields, the forward pass in call(). */
class Residual extends Model {
  static override readonly className = "Residual";
  readonly hidden = this.track(layers.dense({ units: 4, activation: "relu" }));
  readonly back = this.track(layers.dense({ units: 3 }));
  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const x = this.single(inputs);
    return this.back.apply(this.hidden.apply(x, context), context).add(x);
  }
}

describe("Model subclassing", () => {
  it("tracks its layers' weights, names and losses", () => {
    const m = new Residual();
    const y = m.apply(randn([2, 3]));
    assert.deepEqual(y.shape, [2, 3]);
    assert.equal(m.layers.length, 2);
    assert.equal(m.countParams(), 3 * 4 + 4 + 4 * 3 + 3);
    assert.equal(m.getLayer(m.hidden.name), m.hidden);
    assert.equal(m.trainableWeights.length, 4);
    const lines: string[] = [];
    m.summary((l) => lines.push(l), { lineLength: 76 });
    assert.match(lines.join("\n"), /│ dense(_\d+)? \(Dense\)\s+│ \(2, 4\)\s+│\s+16 │/);
  });

  it("passes the layer harness (registered, sub-layers in the model's dtype)", () => {
    class TypedResidual extends Model {
      static override readonly className = "TypedResidual";
      readonly hidden = this.track(layers.dense({ units: 4, activation: "tanh", dtype: this.dtype }));
      readonly back = this.track(layers.dense({ units: 3, dtype: this.dtype }));
      override call(inputs: LayerInputs, context: CallContext): Tensor {
        const x = this.single(inputs);
        return this.back.apply(this.hidden.apply(x, context), context).add(x);
      }
    }
    registerLayer("TypedResidual", TypedResidual);
    runLayerTest((dtype) => new TypedResidual({ dtype }), {
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 31,
    });
  });
});
