import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CallContext,
  getMask,
  Layer,
  type LayerInputs,
  layers,
  setMask,
  type Tensor,
  tensor,
} from "../index.js";

/** Records the masks it is called with. */
class Probe extends Layer {
  seen: (Tensor | null)[] = [];
  override call(inputs: LayerInputs, context: CallContext): Tensor {
    this.seen = [...(context.masks ?? [])];
    return this.single(inputs).mul(1);
  }
}

describe("masks", () => {
  it("travel with tensors through layers that support masking and stop at the others", () => {
    const x = tensor([[[1], [2]]]);
    const mask = tensor([[true, false]]);
    setMask(x, mask);
    assert.equal(getMask(x), mask);
    const dense = layers.dense({ units: 2 }).apply(x);
    assert.equal(getMask(dense), mask);
    const probe = new Probe();
    const y = probe.apply(dense);
    assert.deepEqual(probe.seen, [mask]);
    // Probe does not set supportsMasking, so its output has none
    assert.equal(getMask(y), null);
    assert.equal(getMask(layers.flatten().apply(x)), null);
    setMask(x, null);
    assert.equal(getMask(x), null);
  });

  it("an explicit mask option overrides the attached one, per input", () => {
    const x = tensor([[1, 2]]);
    const explicit = tensor([[false, true]]);
    setMask(x, tensor([[true, true]]));
    const probe = new Probe();
    probe.apply(x, { mask: explicit });
    assert.deepEqual(probe.seen, [explicit]);
    probe.apply(x, { mask: null });
    assert.deepEqual(probe.seen, [null]);
  });
});
