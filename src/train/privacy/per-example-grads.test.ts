// Per-example gradients from one backward pass (the layer rules) against a brute-force loop of
// batch-1 backward passes written out here, for Dense (ghost norm and sequence inputs, fused and
// unfused activations), Conv1D, Conv2D, Embedding, LayerNormalization, SimpleRNN, LSTM and GRU;
// the fallback (GroupNormalization); the refusals (BatchNormalization, activity regularizers).
import assert from "node:assert/strict";
import { test } from "node:test";
import { gradientsOf } from "../../autograd/backward.js";
import { ConfigError } from "../../core/errors.js";
import { seed } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import { sequential } from "../../models/sequential.js";
import type { Layer } from "../../nn/layer.js";
import { BatchNormalization } from "../../nn/layers/batch-normalization.js";
import { Conv1D } from "../../nn/layers/conv1d.js";
import { Conv2D } from "../../nn/layers/conv2d.js";
import { Dense } from "../../nn/layers/dense.js";
import { Embedding } from "../../nn/layers/embedding.js";
import { Flatten } from "../../nn/layers/flatten.js";
import { GroupNormalization } from "../../nn/layers/group-normalization.js";
import { GRU } from "../../nn/layers/gru.js";
import { LayerNormalization } from "../../nn/layers/layer-normalization.js";
import { LSTM } from "../../nn/layers/lstm.js";
import { SimpleRNN } from "../../nn/layers/simple-rnn.js";
import { mean, square, sub } from "../../ops/index.js";
import { randint, randn } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import type { ArrayData } from "../array-data.js";
import { type BatchLossFn, perExampleGradients, planPerExample } from "./per-example-grads.js";

const TOLERANCE = 2e-4; // float32 GEMMs summed in another order

const mseLoss: BatchLossFn = (predictions, batch) => mean(square(sub(predictions[0]!, batch.y[0]!)));

function forwardOf(model: Model) {
  return (x: readonly Tensor[]) => [model.apply(x[0]!, { training: true })];
}

/** Rows [b, b+1) of a tensor. */
function rowOf(t: Tensor, b: number): Tensor {
  const per = t.size / t.shape[0]!;
  const data = t.data.slice(b * per, (b + 1) * per);
  return new Tensor(data, [1, ...t.shape.slice(1)]);
}

function checkAgainstLoop(model: Model, x: Tensor, y: Tensor, expectFallback = false): void {
  const plan = planPerExample(model);
  assert.equal(plan.fallback !== null, expectFallback, `fallback: ${plan.fallback}`);
  const data: ArrayData = { x: [x], y: [y], sampleWeight: null };
  const result = perExampleGradients(plan, data, forwardOf(model), mseLoss);
  const perExample = result.perExample();
  const norms = result.squaredNorms();
  const batch = x.shape[0]!;
  const weights = Float64Array.from({ length: batch }, (_, b) => 0.5 + b / batch);
  const sums = result.weightedSum(weights);
  const expectedSums = plan.params.map((p) => new Float64Array(p.size));
  for (let b = 0; b < batch; b++) {
    const one: ArrayData = { x: [rowOf(x, b)], y: [rowOf(y, b)], sampleWeight: null };
    const loss = mseLoss(forwardOf(model)(one.x), one);
    const grads = gradientsOf(loss, plan.params);
    let norm = 0;
    grads.forEach((g, i) => {
      const p = plan.params[i]!;
      const got = perExample[i]!.data;
      for (let k = 0; k < p.size; k++) {
        const want = g === null ? 0 : Number(g.data[k]);
        const have = Number(got[b * p.size + k]);
        assert.ok(
          Math.abs(have - want) <= TOLERANCE * Math.max(1, Math.abs(want)),
          `param ${i} example ${b} element ${k}: ${have} vs ${want}`,
        );
        norm += want * want;
        expectedSums[i]![k] = expectedSums[i]![k]! + weights[b]! * want;
      }
    });
    assert.ok(
      Math.abs(norms[b]! - norm) <= TOLERANCE * Math.max(1, norm),
      `norm ${b}: ${norms[b]} vs ${norm}`,
    );
  }
  sums.forEach((s, i) => {
    for (let k = 0; k < s.size; k++) {
      const want = expectedSums[i]![k]!;
      assert.ok(
        Math.abs(Number(s.data[k]) - want) <= TOLERANCE * Math.max(1, Math.abs(want)),
        `sum ${i}[${k}]`,
      );
    }
  });
}

test("Dense (ghost norm on 2-D inputs), relu epilogue and an unfused softmax, match the batch-1 loop", () => {
  seed(1);
  const model = sequential([
    new Dense({ units: 5, activation: "relu", inputShape: [4] }),
    new Dense({ units: 3, activation: "softmax" }),
  ]);
  checkAgainstLoop(model, randn([6, 4]), randn([6, 3]));
});

test("Dense on sequence inputs (B, T, in) and LayerNormalization match the batch-1 loop", () => {
  seed(2);
  const model = sequential([
    new Dense({ units: 4, activation: "tanh", inputShape: [3, 5] }),
    new LayerNormalization({}),
    new Dense({ units: 2, activation: "sigmoid" }),
  ]);
  checkAgainstLoop(model, randn([5, 3, 5]), randn([5, 3, 2]));
});

test("Conv2D (im2col per example, strides and same padding) matches the batch-1 loop", () => {
  seed(3);
  const model = sequential([
    new Conv2D({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      inputShape: [6, 5, 2],
    }),
    new Flatten({}),
    new Dense({ units: 2 }),
  ]);
  checkAgainstLoop(model, randn([4, 6, 5, 2]), randn([4, 2]));
});

test("Embedding (repeated ids within an example) matches the batch-1 loop", () => {
  seed(4);
  const model = sequential([
    new Embedding({ inputDim: 7, outputDim: 3, inputShape: [5] }),
    new Flatten({}),
    new Dense({ units: 2 }),
  ]);
  const ids = randint(0, 4, [5, 5]); // few ids, so examples repeat them
  checkAgainstLoop(model, ids, randn([5, 2]));
});

test("LSTM and SimpleRNN (summed over time steps: last state, full sequence, goBackwards) match the batch-1 loop", () => {
  seed(5);
  const lstm = sequential([new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })]);
  checkAgainstLoop(lstm, randn([3, 4, 2]), randn([3, 1]));
  const rnn = sequential([
    new SimpleRNN({ units: 3, returnSequences: true, inputShape: [5, 2] }),
    new LSTM({ units: 2, goBackwards: true }),
  ]);
  checkAgainstLoop(rnn, randn([4, 5, 2]), randn([4, 2]));
});

test("a masked LSTM (Embedding with maskZero, padded sequences) matches the batch-1 loop", () => {
  seed(7);
  const model = sequential([
    new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
    new LSTM({ units: 2 }),
    new Dense({ units: 1 }),
  ]);
  // trailing padding of different lengths per example
  const ids = new Tensor(
    Int32Array.from([1, 2, 3, 0, 0, 4, 5, 1, 2, 0, 3, 3, 0, 0, 0, 5, 4, 3, 2, 1]),
    [4, 5],
  );
  checkAgainstLoop(model, ids, randn([4, 1]));
});

test("GRU (resetAfter true and false) matches the batch-1 loop", () => {
  seed(6);
  for (const resetAfter of [true, false]) {
    const model = sequential([
      new GRU({ units: 3, resetAfter, inputShape: [4, 2] }),
      new Dense({ units: 1 }),
    ]);
    checkAgainstLoop(model, randn([3, 4, 2]), randn([3, 1]));
  }
});

test("Conv1D (causal padding, dilation, an unfused activation) matches the batch-1 loop", () => {
  seed(8);
  const model = sequential([
    new Conv1D({
      filters: 2,
      kernelSize: 2,
      padding: "causal",
      dilationRate: 2,
      activation: "elu",
      inputShape: [6, 3],
    }),
    new Flatten({}),
    new Dense({ units: 1 }),
  ]);
  checkAgainstLoop(model, randn([3, 6, 3]), randn([3, 1]));
});

test("a layer without a rule (GroupNormalization) falls back to the per-example loop, with the same results", () => {
  seed(9);
  const model = sequential([
    new Dense({ units: 4, inputShape: [3] }),
    new GroupNormalization({ groups: 2 }),
    new Dense({ units: 1 }),
  ]);
  assert.match(planPerExample(model).fallback ?? "", /GroupNormalization/);
  checkAgainstLoop(model, randn([3, 3]), randn([3, 1]), true);
});

test("a trainable BatchNormalization and an activity regularizer are refused; a frozen one is not", () => {
  const bn = new BatchNormalization({});
  const model = sequential([new Dense({ units: 3, inputShape: [2] }), bn, new Dense({ units: 1 })]);
  assert.throws(
    () => planPerExample(model),
    (e: unknown) => e instanceof ConfigError && /BatchNormalization/.test(e.message),
  );
  (bn as Layer).trainable = false;
  assert.equal(planPerExample(model).fallback, null);
  const withActivity = sequential([new Dense({ units: 2, inputShape: [2], activityRegularizer: "l2" })]);
  assert.throws(() => planPerExample(withActivity), /activity regularizer/);
});
