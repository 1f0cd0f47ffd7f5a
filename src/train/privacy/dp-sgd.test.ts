// DP-SGD steps: the update equals the clipped mean computed by hand (noise made negligible), the
// noise has standard deviation sigma C / (q N), epsilon follows the accountant, Poisson batches
// have the expected size, and bad settings are refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gradientsOf } from "../../autograd/backward.js";
import { Generator } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import { sequential } from "../../models/sequential.js";
import { Dense } from "../../nn/layers/dense.js";
import { mean, square, sub } from "../../ops/index.js";
import { SGD } from "../../optim/sgd.js";
import { randn } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import type { ArrayData } from "../array-data.js";
import { DpSgd } from "./dp-sgd.js";
import type { BatchLossFn } from "./per-example-grads.js";
import { poissonBatches } from "./poisson-sampling.js";
import { computeEpsilon } from "./rdp-accountant.js";

const mseLoss: BatchLossFn = (predictions, batch) => mean(square(sub(predictions[0]!, batch.y[0]!)));
const forwardOf = (model: Model) => (x: readonly Tensor[]) => [model.apply(x[0]!, { training: true })];

function weightsOf(model: Model): number[] {
  return model.trainableWeights.flatMap((w) => [...w.data].map(Number));
}

test("with negligible noise the update is the mean of per-example gradients clipped to C", () => {
  const gen = new Generator(7);
  const model = sequential([new Dense({ units: 2, inputShape: [3] })]);
  const x = randn([4, 3], { generator: gen, std: 3 });
  const y = randn([4, 2], { generator: gen });
  const C = 0.5;
  const datasetSize = 8;
  const sampleRate = 0.5; // expected batch 4
  // expected: sum_b clip(g_b) / (q N), each g_b from a batch of one
  const params = model.trainableWeights;
  model.apply(x); // build
  const expected = params.map((p) => new Float64Array(p.size));
  for (let b = 0; b < 4; b++) {
    const xb = new Tensor(x.data.slice(b * 3, b * 3 + 3), [1, 3]);
    const yb = new Tensor(y.data.slice(b * 2, b * 2 + 2), [1, 2]);
    const grads = gradientsOf(mseLoss([model.apply(xb)], { x: [xb], y: [yb], sampleWeight: null }), params);
    const norm = Math.sqrt(
      grads.reduce((s, g) => s + [...g!.data].reduce((a, v) => a + Number(v) ** 2, 0), 0),
    );
    const factor = Math.min(1, C / (norm + 1e-6));
    assert.ok(factor < 1, "the inputs are large enough that every example is clipped");
    grads.forEach((g, i) => {
      for (let k = 0; k < g!.size; k++)
        expected[i]![k] = expected[i]![k]! + (factor * Number(g!.data[k])) / (sampleRate * datasetSize);
    });
  }
  const before = weightsOf(model);
  const dp = new DpSgd(
    model,
    { noiseMultiplier: 1e-9, l2NormClip: C, delta: 1e-5, sampleRate, datasetSize },
    gen,
  );
  const batch: ArrayData = { x: [x], y: [y], sampleWeight: null };
  dp.step(new SGD({ learningRate: 1 }), batch, forwardOf(model), mseLoss);
  const after = weightsOf(model);
  const flat = expected.flatMap((e) => [...e]);
  after.forEach((w, i) => {
    assert.ok(
      Math.abs(before[i]! - w - flat[i]!) < 1e-5,
      `weight ${i}: moved ${before[i]! - w}, expected ${flat[i]}`,
    );
  });
  assert.equal(dp.steps, 1);
});

test("an empty Poisson batch is still a step: pure noise of std sigma C / (q N)", () => {
  const gen = new Generator(11);
  const model = sequential([new Dense({ units: 50, inputShape: [80], useBias: false })]);
  model.apply(randn([1, 80], { generator: gen }));
  const before = weightsOf(model);
  const settings = { noiseMultiplier: 1.5, l2NormClip: 2, delta: 1e-5, sampleRate: 0.01, datasetSize: 1000 };
  const dp = new DpSgd(model, settings, gen);
  const empty: ArrayData = { x: [randn([0, 80])], y: [randn([0, 50])], sampleWeight: null };
  assert.equal(dp.step(new SGD({ learningRate: 1 }), empty, forwardOf(model), mseLoss), null);
  const moves = weightsOf(model).map((w, i) => w - before[i]!);
  const m = moves.reduce((a, v) => a + v, 0) / moves.length;
  const std = Math.sqrt(moves.reduce((a, v) => a + (v - m) ** 2, 0) / moves.length);
  const want = (1.5 * 2) / (0.01 * 1000);
  assert.ok(Math.abs(std - want) / want < 0.05, `noise std ${std}, expected ${want}`);
  assert.ok(Math.abs(m) < 0.05 * want, `noise mean ${m}`);
});

test("epsilon after k steps is the accountant's; Poisson batches average q N rows", () => {
  const gen = new Generator(3);
  const model = sequential([new Dense({ units: 1, inputShape: [2] })]);
  const n = 200;
  const settings = { noiseMultiplier: 1.1, l2NormClip: 1, delta: 1e-5, sampleRate: 0.05, datasetSize: n };
  const dp = new DpSgd(model, settings, gen);
  assert.equal(dp.epsilon, 0);
  const data: ArrayData = {
    x: [randn([n, 2], { generator: gen })],
    y: [randn([n, 1], { generator: gen })],
    sampleWeight: null,
  };
  const batches = poissonBatches(data, n, 0.05, gen);
  const optimizer = new SGD({ learningRate: 0.1 });
  let rows = 0;
  for (let s = 0; s < 40; s++) {
    const batch = batches.next().value!;
    rows += batch.x[0]!.shape[0]!;
    dp.step(optimizer, batch, forwardOf(model), mseLoss);
  }
  const expected = computeEpsilon({ sampleRate: 0.05, noiseMultiplier: 1.1, steps: 40, delta: 1e-5 }).epsilon;
  assert.ok(Math.abs(dp.epsilon - expected) < 1e-12, `${dp.epsilon} vs ${expected}`);
  assert.deepEqual(dp.spent(), {
    epsilon: expected,
    delta: 1e-5,
    noiseMultiplier: 1.1,
    l2NormClip: 1,
    sampleRate: 0.05,
    steps: 40,
    accountant: "rdp",
  });
  // 40 batches of Binomial(200, 0.05): mean 10, std of the mean ~0.49
  assert.ok(Math.abs(rows / 40 - 10) < 2, `mean batch ${rows / 40}`);
});

test("bad settings are refused with the field named", () => {
  const model = sequential([new Dense({ units: 1, inputShape: [2] })]);
  const ok = { noiseMultiplier: 1, l2NormClip: 1, delta: 1e-5, sampleRate: 0.1, datasetSize: 10 };
  const gen = new Generator(1);
  assert.throws(
    () => new DpSgd(model, { ...ok, noiseMultiplier: 0 }, gen),
    /noiseMultiplier must be a finite number > 0 .*no privacy/,
  );
  assert.throws(() => new DpSgd(model, { ...ok, l2NormClip: -1 }, gen), /l2NormClip/);
  assert.throws(() => new DpSgd(model, { ...ok, delta: 0 }, gen), /delta must be in \(0, 1\)/);
});
