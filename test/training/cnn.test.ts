// End to end: small convolutional models learn to tell vertical from horizontal bars, as a
// sequential model (channels-last) and as a functional one (channels-first branch, pooling heads).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Generator,
  input,
  layers,
  model,
  optimizers,
  seed,
  sequential,
  type Tensor,
  tensor,
} from "../../src/index.js";

/** n noisy 6x6 images with one bright bar: label 0 vertical, 1 horizontal. */
function bars(n: number, g: Generator, channelsFirst = false): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 36);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const horizontal = g.random() < 0.5;
    const at = g.int(0, 6);
    y[i] = horizontal ? 1 : 0;
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 6; c++) {
        const on = horizontal ? r === at : c === at;
        x[i * 36 + r * 6 + c] = (on ? 1 : 0) + 0.2 * g.uniform(-1, 1);
      }
  }
  return { x: tensor(x, { shape: channelsFirst ? [n, 1, 6, 6] : [n, 6, 6, 1] }), y: tensor(y) };
}

test("a sequential CNN learns bar orientation", async () => {
  seed(3);
  const g = new Generator(4);
  const train = bars(96, g);
  const held = bars(64, g);
  const net = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", inputShape: [6, 6, 1] }),
    layers.maxPooling2d(),
    layers.conv2d({ filters: 4, kernelSize: 2, activation: "relu" }),
    layers.flatten(),
    layers.dense({ units: 2, activation: "softmax" }),
  ]);
  net.compile({
    optimizer: optimizers.adam({ learningRate: 0.05 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  const history = await net.fit(train.x, train.y, { epochs: 25, batchSize: 16, verbose: 0 });
  assert.ok(history.history.loss!.at(-1)! < history.history.loss![0]! / 4, `loss ${history.history.loss}`);
  const result = (await net.evaluate(held.x, held.y, { verbose: 0, returnDict: true })) as Record<
    string,
    number
  >;
  assert.ok(result.accuracy! >= 0.95, `held-out accuracy ${result.accuracy}`);
});

test("a functional model with a channels-first branch and global pooling heads learns it too", async () => {
  seed(5);
  const g = new Generator(6);
  const train = bars(96, g, true);
  const held = bars(64, g, true);
  const image = input({ shape: [1, 6, 6] });
  const features = layers
    .conv2d({ filters: 6, kernelSize: [1, 6], dataFormat: "channels_first", activation: "relu" })
    .apply(image); // (6, 6, 1): one response per row
  const columns = layers
    .conv2d({ filters: 6, kernelSize: [6, 1], dataFormat: "channels_first", activation: "relu" })
    .apply(image); // (6, 1, 6): one response per column
  const heads = [
    layers.globalMaxPooling2d({ dataFormat: "channels_first" }).apply(features),
    layers.globalAveragePooling2d({ dataFormat: "channels_first" }).apply(columns),
  ];
  const out = layers.dense({ units: 2, activation: "softmax" }).apply(layers.concatenate().apply(heads));
  const net = model({ inputs: image, outputs: out });
  net.compile({
    optimizer: optimizers.adam({ learningRate: 0.05 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  await net.fit(train.x, train.y, { epochs: 25, batchSize: 16, verbose: 0 });
  const result = (await net.evaluate(held.x, held.y, { verbose: 0, returnDict: true })) as Record<
    string,
    number
  >;
  assert.ok(result.accuracy! >= 0.95, `held-out accuracy ${result.accuracy}`);
});
