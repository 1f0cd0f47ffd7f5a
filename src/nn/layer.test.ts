import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../test/helpers/layer-harness.js";
import {
  backward,
  type CallContext,
  ConfigError,
  constraints,
  deserializeLayer,
  input,
  Layer,
  type LayerArgs,
  type LayerInputs,
  layers,
  mul,
  registerLayer,
  regularizers,
  resetLayerNames,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from "../index.js";
import { toSnakeCase } from "./layer-names.js";

/** A custom layer: y = x * w elementwise, w of the feature size, initialised to ones. */
class Scale extends Layer {
  static override readonly className = "Scale";
  w: Tensor | null = null;
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override build(shape: Parameters<Layer["build"]>[0]): void {
    const s = this.singleShape(shape);
    this.w = this.addWeight("w", [s[s.length - 1]!], { initializer: "ones" });
  }
  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    return mul(this.single(inputs), this.w!);
  }
}

/** A layer that uses another layer inside (tracked), and passes no training flag down. */
class NoisyDense extends Layer {
  static override readonly className = "NoisyDense";
  readonly dense = this.track(layers.dense({ units: 2 }));
  readonly drop = this.track(layers.dropout({ rate: 0.5, seed: 1 }));
  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    return this.drop.apply(this.dense.apply(this.single(inputs)));
  }
}

describe("Layer", () => {
  it("names layers like Keras: dense, dense_1, ...; explicit names do not count", () => {
    resetLayerNames();
    assert.equal(layers.dense({ units: 1 }).name, "dense");
    assert.equal(layers.dense({ units: 1, name: "head" }).name, "head");
    assert.equal(layers.dense({ units: 1 }).name, "dense_1");
    assert.equal(layers.batchNormalization().name, "batch_normalization");
    assert.equal(new Scale().name, "scale");
    resetLayerNames();
    assert.equal(layers.dense({ units: 1 }).name, "dense");
    assert.equal(toSnakeCase("Conv2D"), "conv2d");
    assert.equal(toSnakeCase("LayerNormalization"), "layer_normalization");
    assert.equal(toSnakeCase("InputLayer"), "input_layer");
    assert.throws(() => layers.dense({ units: 1, name: "a/b" }), ConfigError);
  });

  it("builds lazily from the first input shape, once", () => {
    const s = new Scale();
    assert.equal(s.built, false);
    assert.equal(s.weights.length, 0);
    const y = s.apply(tensor([[1, 2, 3]]));
    assert.equal(s.built, true);
    assert.deepEqual(s.w!.shape, [3]);
    assert.deepEqual([...y.data], [1, 2, 3]);
    const w = s.w;
    s.apply(tensor([[4, 5, 6]]));
    assert.equal(s.w, w);
  });

  it("runs custom layers through the harness once registered", () => {
    registerLayer("Scale", Scale);
    runLayerTest((dtype) => new Scale({ dtype }), {
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 3,
    });
  });

  it("loads only registered classes and rejects unknown options", () => {
    assert.throws(
      () => deserializeLayer({ className: "Unregistered", config: {} }),
      /unknown layer class "Unregistered"; register custom layers/,
    );
    assert.throws(
      () => deserializeLayer({ className: "Dense", config: { units: 2, evil: "code" } }),
      /unknown option "evil"/,
    );
    assert.throws(
      () => deserializeLayer({ className: "Dense", config: { units: "2" } }),
      /units must be a positive integer/,
    );
    assert.throws(() => deserializeLayer("Dense"), ConfigError);
  });

  it("shares weights when a layer instance is reused, and sums both gradients", () => {
    const shared = layers.dense({ units: 1, useBias: false });
    const a = tensor([[1, 2]]);
    const b = tensor([[3, -1]]);
    const loss = sum(mul(shared.apply(a), shared.apply(b)));
    assert.equal(shared.weights.length, 1);
    backward(loss);
    // loss = (a.w)(b.w): d/dw = a (b.w) + b (a.w)
    const [w0, w1] = [shared.kernel!.at(0, 0), shared.kernel!.at(1, 0)];
    const aw = w0 + 2 * w1;
    const bw = 3 * w0 - w1;
    assert.ok(Math.abs(shared.kernel!.grad!.at(0, 0) - (1 * bw + 3 * aw)) < 1e-5);
    assert.ok(Math.abs(shared.kernel!.grad!.at(1, 0) - (2 * bw - 1 * aw)) < 1e-5);
  });

  it("freezes: requiresGrad off, weights move to nonTrainableWeights, and back", () => {
    const d = layers.dense({ units: 2 });
    d.apply(tensor([[1, 2, 3]]));
    assert.equal(d.trainableWeights.length, 2);
    d.trainable = false;
    assert.equal(d.trainableWeights.length, 0);
    assert.equal(d.nonTrainableWeights.length, 2);
    assert.equal(d.kernel!.requiresGrad, false);
    const y = d.apply(tensor([[1, 2, 3]]));
    assert.equal(y.requiresGrad, false, "a frozen layer records no graph");
    d.trainable = true;
    assert.equal(d.kernel!.requiresGrad, true);
    assert.equal(d.trainableWeights.length, 2);
    assert.equal(d.getConfig().trainable, true);
    const frozen = layers.dense({ units: 2, trainable: false });
    frozen.apply(tensor([[1]]));
    assert.equal(frozen.kernel!.requiresGrad, false);
  });

  it("tracks sub-layers: weights, freezing and the inherited training flag", () => {
    const n = new NoisyDense();
    const x = tensor([[1, 2, 3, 4]]);
    assert.deepEqual([...n.apply(x).data], [...n.dense.apply(x).data], "inference: dropout is the identity");
    const trained = n.apply(x, { training: true });
    const dense = n.dense.apply(x);
    // in training every output is either dropped or doubled
    for (let i = 0; i < 2; i++)
      assert.ok(trained.data[i] === 0 || Math.abs(trained.data[i]! - 2 * dense.data[i]!) < 1e-6);
    assert.equal(n.weights.length, 2);
    n.trainable = false;
    assert.equal(n.dense.trainable, false);
    assert.equal(n.trainableWeights.length, 0);
  });

  it("collects regularization penalties of trainable weights in losses", () => {
    const d = layers.dense({
      units: 2,
      kernelRegularizer: regularizers.l2({ l2: 0.1 }),
      biasRegularizer: "l1",
    });
    d.apply(tensor([[1, 2]]));
    d.setWeights([
      tensor([
        [1, -2],
        [3, 0],
      ]),
      tensor([0.5, -1]),
    ]);
    const losses = d.losses;
    assert.equal(losses.length, 2);
    assert.ok(Math.abs(losses[0]!.item() - 0.1 * (1 + 4 + 9)) < 1e-6);
    assert.ok(Math.abs(losses[1]!.item() - 0.01 * 1.5) < 1e-7);
    assert.ok(Math.abs(d.regularizationLoss().item() - 1.415) < 1e-6);
    // the penalty is differentiable: d(0.1 sum k^2)/dk = 0.2 k
    backward(losses[0]!);
    assert.ok(Math.abs(d.kernel!.grad!.at(1, 0) - 0.6) < 1e-6);
    d.trainable = false;
    assert.equal(d.losses.length, 0, "frozen weights add no penalty");
  });

  it("keeps activity losses of the last forward pass only", () => {
    const d = layers.dense({
      units: 1,
      activityRegularizer: regularizers.l1({ l1: 1 }),
      kernelInitializer: "ones",
    });
    d.apply(tensor([[1, 2]]));
    assert.equal(d.losses.length, 1);
    assert.ok(Math.abs(d.losses[0]!.item() - 3) < 1e-6);
    d.apply(tensor([[-1, -1]]));
    assert.equal(d.losses.length, 1);
    assert.ok(Math.abs(d.losses[0]!.item() - 2) < 1e-6);
  });

  it("applies constraints in place, keeping the weight tensors", () => {
    const d = layers.dense({
      units: 2,
      kernelConstraint: constraints.nonNeg(),
      biasConstraint: constraints.maxNorm({ maxValue: 1 }),
    });
    d.apply(tensor([[1, 2]]));
    const kernel = d.kernel!;
    d.setWeights([
      tensor([
        [1, -2],
        [-3, 4],
      ]),
      tensor([3, 4]),
    ]);
    d.applyConstraints();
    assert.equal(d.kernel, kernel);
    assert.deepEqual([...kernel.data], [1, 0, 0, 4]);
    // bias norm 5 > 1: rescaled to norm 1 (up to the 1e-7 epsilon)
    assert.ok(Math.abs(d.bias!.at(0) - 0.6) < 1e-5 && Math.abs(d.bias!.at(1) - 0.8) < 1e-5);
  });

  it("getWeights copies, setWeights writes in place and checks count and shapes", () => {
    const d = layers.dense({ units: 2 });
    d.apply(tensor([[1, 2, 3]]));
    const copy = d.getWeights();
    copy[0]!.data[0] = 123;
    assert.notEqual(d.kernel!.data[0], 123);
    const kernel = d.kernel!;
    d.setWeights([
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      tensor([7, 8]),
    ]);
    assert.equal(d.kernel, kernel);
    assert.deepEqual([...kernel.data], [1, 2, 3, 4, 5, 6]);
    assert.throws(() => d.setWeights([tensor([1])]), /expected 2 weights \(got 1\)/);
    assert.throws(() => d.setWeights([tensor([[1, 2]]), tensor([7, 8])]), ShapeError);
  });

  it("validates addWeight and apply arguments", () => {
    const s = new Scale();
    s.apply(tensor([[1]]));
    assert.throws(() => s.addWeight("w", [1]), /weight names must be unique/);
    assert.throws(() => s.apply("x" as unknown as Tensor), ValueError);
  });

  it("records a node instead of computing on symbolic inputs", () => {
    const x = input({ shape: [3] });
    const d = layers.dense({ units: 5 });
    const y = d.apply(x);
    assert.deepEqual(y.shape, [null, 5]);
    assert.equal(y.sourceLayer, d);
    assert.equal(d.inboundNodes.length, 1);
    assert.equal(d.inboundNodes[0]!.inputs[0], x);
    assert.equal(d.countParams(), 20);
  });

  it("infers output shapes of custom layers by a dry run when computeOutputShape is not given", () => {
    const y = new Scale().apply(input({ shape: [4, 2] }));
    assert.deepEqual(y.shape, [null, 4, 2]);
  });
});
