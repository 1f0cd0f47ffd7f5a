// Every layer and model type survives save -> load with bit-identical predictions.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Generator } from "../core/random.js";
import { Functional, model } from "../models/functional.js";
import type { Model } from "../models/model.js";
import { Sequential, sequential } from "../models/sequential.js";
import { Bidirectional } from "../nn/layers/bidirectional.js";
import { Embedding } from "../nn/layers/embedding.js";
import { GRU } from "../nn/layers/gru.js";
import * as layers from "../nn/layers/index.js";
import { input } from "../nn/layers/input.js";
import { LSTM } from "../nn/layers/lstm.js";
import { Masking } from "../nn/layers/masking.js";
import { SimpleRNN } from "../nn/layers/simple-rnn.js";
import { TimeDistributed } from "../nn/layers/time-distributed.js";
import { registeredLayers } from "../nn/registry.js";
import { Tensor } from "../tensor/tensor.js";
import { loadModel, loadModelBundle } from "./load-model.js";
import { saveModel } from "./save-model.js";

const fresh = () => mkdtempSync(join(tmpdir(), "tessera-model-"));

/** Replaces every weight with seeded random values (positive, for variances), so defaults cannot hide a bug. */
function randomizeWeights(m: Model, seed: number): void {
  const g = new Generator(seed);
  m.setWeights(
    m.weights.map(
      (w) =>
        new Tensor(
          w.data.map(() => 0.1 + g.random()),
          w.shape,
        ),
    ),
  );
}

function randomInput(shape: number[], seed: number, dtype: "float32" | "float64" = "float32"): Tensor {
  const g = new Generator(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = g.normal();
  return new Tensor(data, shape);
}

function outputsOf(m: Model, inputs: Tensor | Tensor[]): Tensor[] {
  return m.applyMulti(inputs, { training: false });
}

function assertBitIdentical(a: Tensor[], b: Tensor[]): void {
  assert.equal(a.length, b.length);
  a.forEach((t, i) => {
    assert.deepEqual(t.shape, b[i]!.shape);
    assert.equal(t.dtype, b[i]!.dtype);
    assert.deepEqual(
      new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      new Uint8Array(b[i]!.data.buffer, b[i]!.data.byteOffset, b[i]!.data.byteLength),
    );
  });
}

async function roundTrip(m: Model, inputs: Tensor | Tensor[]): Promise<Model> {
  const dir = join(fresh(), "model");
  await saveModel(m, dir);
  assert.deepEqual(readdirSync(dir).sort(), ["model.json", "weights.safetensors"]);
  const again = await loadModel(dir);
  assert.equal(again.constructor, m.constructor);
  assert.deepEqual(
    again.weightEntries().map((e) => e.path),
    m.weightEntries().map((e) => e.path),
  );
  assertBitIdentical(outputsOf(again, inputs), outputsOf(m, inputs));
  return again;
}

const covered = new Set<string>();
function cover(m: Model): void {
  for (const layer of m.flattenLayers()) covered.add(layer.className);
}

describe("model save/load round trip", () => {
  test("a sequential stack of every single-input layer", async () => {
    const m = sequential([
      layers.dense({ units: 6, activation: "relu", inputShape: [4] }),
      layers.batchNormalization(),
      layers.dropout({ rate: 0.3 }),
      layers.gaussianNoise({ stddev: 0.5 }),
      layers.layerNormalization(),
      layers.activation({ activation: "tanh" }),
      layers.repeatVector({ n: 2 }),
      layers.permute({ dims: [2, 1] }),
      layers.flatten(),
      layers.reshape({ targetShape: [3, 4] }),
      layers.flatten(),
      layers.dense({ units: 3, activation: "softmax" }),
    ]);
    randomizeWeights(m, 1);
    cover(m);
    const again = await roundTrip(m, randomInput([5, 4], 2));
    assert.ok(again instanceof Sequential);
  });

  test("a sequential model that starts with an input() and computes in float64", async () => {
    const m = sequential([
      input({ shape: [3] }),
      layers.dense({ units: 2, dtype: "float64", useBias: false }),
    ]);
    randomizeWeights(m, 3);
    cover(m);
    await roundTrip(m, randomInput([4, 3], 4, "float64"));
  });

  test("a functional model with two inputs, merges, a shared layer, a nested model and two outputs", async () => {
    const a = input({ shape: [4], name: "features_a" });
    const b = input({ shape: [4], name: "features_b" });
    const shared = layers.dense({ units: 4, activation: "sigmoid", name: "shared" });
    const sa = shared.apply(a);
    const sb = shared.apply(b);
    const merged = [
      layers.add().apply([sa, sb]),
      layers.subtract().apply([sa, sb]),
      layers.multiply().apply([sa, sb]),
      layers.average().apply([sa, sb]),
      layers.maximum().apply([sa, sb]),
      layers.minimum().apply([sa, sb]),
      layers.dot({ axes: 1, normalize: true }).apply([sa, sb]),
    ];
    const joined = layers.concatenate({ axis: -1 }).apply(merged);
    const inner = sequential(
      [layers.dense({ units: 5, activation: "relu", inputShape: [25] }), layers.dense({ units: 2 })],
      {
        name: "inner",
      },
    );
    const head = inner.apply(joined);
    const other = layers.dense({ units: 1, name: "other_head" }).apply(sa);
    const m = model({ inputs: [a, b], outputs: [head, other], name: "two_headed" });
    randomizeWeights(m, 5);
    cover(m);
    const again = await roundTrip(m, [randomInput([3, 4], 6), randomInput([3, 4], 7)]);
    assert.ok(again instanceof Functional);
    assert.deepEqual(again.inputNames, ["features_a", "features_b"]);
  });

  test("a functional model of every convolution, pooling and spatial layer (image and sequence inputs)", async () => {
    const image = input({ shape: [6, 6, 2], name: "image" });
    let x = layers.zeroPadding2d({ padding: 1 }).apply(image); // 8x8x2
    x = layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }).apply(x);
    x = layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }).apply(x); // 6x6x8
    x = layers.separableConv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(x);
    x = layers.maxPooling2d().apply(x); // 3x3x4
    x = layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }).apply(x); // 6x6x3
    x = layers.averagePooling2d({ dataFormat: "channels_first", poolSize: [1, 2] }).apply(x); // 6x6x1... as (C=6, H=6, W=3)
    x = layers.upSampling2d({ interpolation: "bilinear" }).apply(x); // 12x12x1
    x = layers
      .cropping2d({
        cropping: [
          [1, 2],
          [0, 3],
        ],
      })
      .apply(x); // 9x9x1
    const seq = input({ shape: [10, 3], name: "sequence" });
    let s = layers.conv1d({ filters: 4, kernelSize: 3, padding: "causal" }).apply(seq);
    s = layers.maxPooling1d().apply(s); // 5x4
    s = layers.averagePooling1d({ padding: "same" }).apply(s); // 3x4
    const heads = [
      layers.globalAveragePooling2d().apply(x),
      layers.globalMaxPooling2d({ dataFormat: "channels_first" }).apply(x),
      layers.globalAveragePooling1d().apply(s),
      layers.globalMaxPooling1d().apply(s),
    ];
    const out = layers.dense({ units: 2 }).apply(layers.concatenate().apply(heads));
    const m = model({ inputs: [image, seq], outputs: out, name: "convolutions" });
    randomizeWeights(m, 8);
    cover(m);
    await roundTrip(m, [randomInput([2, 6, 6, 2], 9), randomInput([2, 10, 3], 10)]);
  });

  test("recurrent models: embedding with a padding mask, bidirectional LSTM, time-distributed dense, GRU, masking, SimpleRNN", async () => {
    const ids = input({ shape: [5], dtype: "int32", name: "ids" });
    let t = new Embedding({ inputDim: 7, outputDim: 4, maskZero: true }).apply(ids);
    t = new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }).apply(t); // 5x6
    t = new TimeDistributed({ layer: layers.dense({ units: 2, activation: "tanh" }) }).apply(t); // 5x2
    const text = new GRU({ units: 2 }).apply(t);
    const series = input({ shape: [4, 2], name: "series" });
    const masked = new Masking({ maskValue: 0 }).apply(series);
    const recent = new SimpleRNN({ units: 3, goBackwards: true }).apply(masked);
    const out = layers.dense({ units: 1 }).apply(layers.concatenate().apply([text, recent]));
    const m = model({ inputs: [ids, series], outputs: out, name: "recurrent" });
    randomizeWeights(m, 11);
    cover(m);
    // Padded id rows and an all-zero (masked) time step exercise the masks after reloading.
    const idData = new Int32Array([3, 1, 4, 0, 0, 6, 2, 0, 0, 0]);
    const seriesData = randomInput([2, 4, 2], 12);
    seriesData.data.fill(0, 2, 4);
    await roundTrip(m, [new Tensor(idData, [2, 5]), seriesData]);
  });

  test("attention models: token and position embeddings with padding, encoder and decoder blocks, attention scores, RMS and group norms", async () => {
    const ids = input({ shape: [6], dtype: "int32", name: "tokens" });
    let t = layers
      .tokenAndPositionEmbedding({ vocabularySize: 9, sequenceLength: 6, embeddingDim: 8, maskZero: true })
      .apply(ids);
    t = layers.transformerEncoder({ intermediateDim: 12, numHeads: 2 }).apply(t);
    const target = input({ shape: [4, 8], name: "target" });
    const withPositions = layers
      .add()
      .apply([target, layers.positionEmbedding({ sequenceLength: 4 }).apply(target)]);
    let d = layers
      .transformerDecoder({ intermediateDim: 12, numHeads: 2, normalizeFirst: true })
      .apply([withPositions, t]);
    d = layers.rmsNormalization().apply(d);
    d = layers.groupNormalization({ groups: 4 }).apply(d);
    const [attended, scores] = layers
      .multiHeadAttention({ numHeads: 2, keyDim: 3, returnAttentionScores: true, useCausalMask: true })
      .applyMulti([d, t]);
    const out = layers.dense({ units: 2 }).apply(attended!);
    const m = model({ inputs: [ids, target], outputs: [out, scores!], name: "attention" });
    randomizeWeights(m, 13);
    cover(m);
    await roundTrip(m, [
      new Tensor(new Int32Array([3, 1, 4, 1, 0, 0, 5, 8, 2, 6, 7, 0]), [2, 6]),
      randomInput([2, 4, 8], 14),
    ]);
  });

  test("model.json records the signature and metadata", async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3], name: "only" })]);
    const dir = join(fresh(), "m");
    await m.save(dir, {
      columns: ["x0", "x1", "x2", "y"].map((name) => ({ name, type: "number" as const })),
      target: ["y"],
      metrics: { mae: 1.5 },
      metadata: { owner: "t" },
    });
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    assert.equal(json.format, "tessera-model");
    assert.equal(json.version, 1);
    assert.deepEqual(json.signature.outputs, [{ name: "only", dtype: "float32", shape: [null, 2] }]);
    assert.equal(json.signature.inputs[0].shape.length, 2);
    assert.deepEqual(
      json.weights.tensors.map((t: { name: string }) => t.name),
      ["only/kernel", "only/bias"],
    );
    assert.equal(json.metadata.owner, "t");
    assert.match(json.metadata.createdAt, /^\d{4}-\d\d-\d\dT/);
    const bundle = await loadModelBundle(dir);
    assert.deepEqual(bundle.file.metrics, { mae: 1.5 });
    assert.deepEqual(bundle.file.signature.columns, [
      { name: "x0", type: "number" },
      { name: "x1", type: "number" },
      { name: "x2", type: "number" },
      { name: "y", type: "number" },
    ]);
    // Saving the loaded model again keeps what it carried.
    const dir2 = join(fresh(), "m2");
    await bundle.model.save(dir2);
    const again = JSON.parse(readFileSync(join(dir2, "model.json"), "utf8"));
    assert.deepEqual(again.signature.target, ["y"]);
    assert.deepEqual(again.metrics, { mae: 1.5 });
  });

  test("saving refuses an unbuilt model and a directory holding other files", async () => {
    await assert.rejects(
      saveModel(sequential([layers.dense({ units: 2 })]), join(fresh(), "x")),
      /is not built/,
    );
    const dir = fresh();
    const m = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    await saveModel(m, join(dir, "sub"));
    await assert.rejects(saveModel(m, dir), /already holds files that are not part of a model \(sub\)/);
  });

  test("every registered layer class is covered by these round trips", () => {
    const skip = new Set(["Layer", "Model"]);
    const missing = registeredLayers().filter((name) => !covered.has(name) && !skip.has(name));
    assert.deepEqual(missing, [], `add these layers to model-roundtrip.test.ts: ${missing.join(", ")}`);
  });
});
