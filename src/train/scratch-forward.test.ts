// The default training step's scratch activations (train/scratch-forward): which models qualify,
// the same training bit for bit with the buffer pool on and off, the activations of a qualifying
// model back in the pool after a step, and a model with a layer that keeps its input left alone.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  bufferPoolStats,
  clearBufferPool,
  isBufferPoolingEnabled,
  setBufferPooling,
} from "../core/buffer-pool.js";
import * as ts from "../index.js";
import { type CallContext, Layer, type LayerInputs } from "../nn/layer.js";
import { Dense } from "../nn/layers/dense.js";
import type { Tensor } from "../tensor/tensor.js";
import { hasPrivateActivations } from "./scratch-forward.js";

const initial = isBufferPoolingEnabled();
afterEach(() => setBufferPooling(initial));

/** A small Keras-style convnet: conv-pool-flatten-dropout-dense softmax, its activations >= 4 KiB. */
function convnet(head?: Layer): ts.Sequential {
  ts.seed(5);
  const model = ts.sequential([
    ts.layers.conv2d({ filters: 8, kernelSize: 3, activation: "relu", inputShape: [12, 12, 1] }),
    ts.layers.maxPooling2d({ poolSize: 2 }),
    ts.layers.flatten(),
    ts.layers.dropout({ rate: 0.25 }),
    head ?? ts.layers.dense({ units: 4, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 0.01 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

function data(n: number): { x: ts.Tensor; y: ts.Tensor } {
  ts.seed(11);
  return { x: ts.rand([n, 12, 12, 1]), y: ts.oneHot(ts.randint(0, 4, [n], { dtype: "int32" }), 4) };
}

/** A Dense subclass (same className): the step cannot know what a subclass keeps, so it marks nothing. */
class OwnDense extends Dense {}

/** Keeps the tensor each call received (what a user's layer may do), passing it on unchanged. */
class KeepInput extends Layer {
  static override readonly className = "ScratchTestKeepInput";
  kept: Tensor[] = [];
  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    this.kept.push(x);
    return x;
  }
}

describe("train/scratch-forward", () => {
  test("a plain Sequential of built-in stateless layers qualifies; subclasses, other layers and functional models do not", () => {
    assert.equal(hasPrivateActivations(convnet()), true);
    assert.equal(hasPrivateActivations(convnet(new OwnDense({ units: 4, activation: "softmax" }))), false);
    assert.equal(
      hasPrivateActivations(ts.sequential([ts.layers.lstm({ units: 4, inputShape: [3, 2] })])),
      false,
    );
    assert.equal(hasPrivateActivations(ts.sequential([])), false);
    const patched = convnet();
    const dense = patched.layers.at(-1)!;
    const original = dense.call;
    dense.call = (inputs, context) => original.call(dense, inputs, context); // as privacy's layer capture does
    assert.equal(hasPrivateActivations(patched), false);
    const input = ts.input({ shape: [4] });
    const functional = ts.model({ inputs: input, outputs: ts.layers.dense({ units: 2 }).apply(input) });
    assert.equal(hasPrivateActivations(functional), false);
  });

  test("fit trains bit for bit the same with the activations recycled (pool on) and not (pool off)", async () => {
    const { x, y } = data(48);
    const run = async (pooling: boolean) => {
      setBufferPooling(pooling);
      const model = convnet();
      ts.seed(2);
      const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
      return { history: history.history, weights: model.getWeights().map((w) => [...w.data]) };
    };
    const on = await run(true);
    const off = await run(false);
    assert.deepEqual(on.history, off.history);
    assert.deepEqual(on.weights, off.weights);
  });

  test("after a step the qualifying model's activations are in the pool, a subclass model's are not", () => {
    setBufferPooling(true);
    const { x, y } = data(16);
    const pooled = (model: ts.Sequential) => {
      model.trainOnBatch(x, y); // builds and creates the optimizer state first
      clearBufferPool();
      model.trainOnBatch(x, y);
      return bufferPoolStats().bytes;
    };
    const plain = pooled(convnet());
    const subclass = pooled(convnet(new OwnDense({ units: 4, activation: "softmax" })));
    // conv output (16, 10, 10, 8) and pool output (16, 5, 5, 8), among others, come back
    assert.ok(plain >= subclass + 4 * 16 * (10 * 10 * 8 + 5 * 5 * 8), `${plain} vs ${subclass}`);
  });

  test("a model with a layer that keeps its input trains without recycling what it kept", () => {
    setBufferPooling(true);
    ts.seed(5);
    const keep = new KeepInput();
    const model = ts.sequential([
      ts.layers.conv2d({ filters: 8, kernelSize: 3, activation: "relu", inputShape: [12, 12, 1] }),
      keep,
      ts.layers.flatten(),
      ts.layers.dense({ units: 4, activation: "softmax" }),
    ]);
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    const { x, y } = data(16);
    model.trainOnBatch(x, y);
    const first = keep.kept.at(-1)!;
    const snapshot = [...first.data];
    for (let i = 0; i < 3; i++) model.trainOnBatch(x, y);
    assert.deepEqual([...first.data], snapshot);
  });
});
