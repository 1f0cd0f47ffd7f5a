// The harness must fail on broken layers; these checks show that each of its parts can fail.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CallContext,
  type ConfigObject,
  detach,
  Layer,
  type LayerArgs,
  type LayerInputs,
  type LayerShape,
  layers,
  mul,
  registerLayer,
  type Tensor,
} from "../../src/index.js";
import { runLayerTest } from "./layer-harness.js";

/** y = x * w * factor; `detachWeight` cuts w out of the gradient graph (a broken gradient). */
class Faulty extends Layer {
  static override readonly className = "HarnessFaulty";
  w: Tensor | null = null;
  readonly factor: number;
  constructor(
    args: LayerArgs & { factor?: number; detachWeight?: boolean; forgetFactor?: boolean } = {},
    private readonly faults = {
      detachWeight: args.detachWeight ?? false,
      forgetFactor: args.forgetFactor ?? false,
    },
  ) {
    super({ name: args.name, dtype: args.dtype, trainable: args.trainable });
    this.factor = args.factor ?? 1;
  }
  override build(shape: LayerShape): void {
    const s = this.singleShape(shape);
    this.w = this.addWeight("w", [s[s.length - 1]!]);
  }
  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const w = this.faults.detachWeight ? detach(this.w!) : this.w!;
    return mul(mul(this.single(inputs), w), this.factor);
  }
  override getConfig(): ConfigObject {
    return this.faults.forgetFactor ? super.getConfig() : { ...super.getConfig(), factor: this.factor };
  }
}
registerLayer("HarnessFaulty", Faulty);

const spec = { inputShape: [2, 3], expectedOutputShape: [2, 3], expectedParams: 3 };

describe("layer harness", () => {
  it("accepts a correct layer", () => {
    const report = runLayerTest((dtype) => new Faulty({ dtype, factor: 2 }), spec);
    assert.equal(report.checkedGradients, 2 * 3 + 3);
    assert.ok(report.lossAfter! < report.lossBefore!);
  });

  it("catches a wrong parameter count or output shape", () => {
    assert.throws(
      () => runLayerTest((dtype) => new Faulty({ dtype }), { ...spec, expectedParams: 4 }),
      /parameter count/,
    );
    assert.throws(
      () => runLayerTest((dtype) => new Faulty({ dtype }), { ...spec, expectedOutputShape: [2, 4] }),
      /output shape/,
    );
  });

  it("catches a config that does not rebuild the same layer", () => {
    assert.throws(
      () => runLayerTest((dtype) => new Faulty({ dtype, factor: 2, forgetFactor: true }), spec),
      /config of the rebuilt layer|same outputs/,
    );
  });

  it("catches a broken gradient", () => {
    assert.throws(
      () => runLayerTest((dtype) => new Faulty({ dtype, detachWeight: true }), spec),
      /gradient of weight/,
    );
  });

  it("checks which parameters are trainable", () => {
    // a frozen layer has no trainable parameters, so a spec that expects all 12 to train fails
    assert.throws(
      () =>
        runLayerTest((dtype) => layers.dense({ units: 3, dtype, trainable: false }), {
          ...spec,
          expectedParams: 12,
        }),
      /trainable parameters/,
    );
  });
});
