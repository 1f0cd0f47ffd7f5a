import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forEachBackend } from "../../test/helpers/backends.js";
import { kernels } from "../backend/registry.js";
import {
  model as functionalModel,
  IndexError,
  input,
  Layer,
  type LayerInputs,
  layers,
  type Model,
  mul,
  noGrad,
  randint,
  randn,
  relu,
  type Sequential,
  seed,
  sequential,
  Tensor,
  tensor,
} from "../index.js";
import { capturePlan } from "./inference-plan.js";
import { inferencePlanBlocker, inferencePlanStats } from "./inference-plans.js";

/** The eager forward pass, as predictOnBatch ran it before plans. */
function eager(model: Model, x: Tensor): Tensor {
  return noGrad(() => model.apply(x, { training: false }));
}

function assertSameBits(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  for (let i = 0; i < want.size; i++) {
    if (!Object.is(got.data[i], want.data[i]))
      assert.fail(`${what}: element ${i} is ${got.data[i]} (eager ${want.data[i]})`);
  }
}

/** Three predictOnBatch calls: eager, recorded, replayed; each must equal the eager pass. */
function checkReplays(model: Model, x: Tensor, what: string): void {
  const before = inferencePlanStats(model);
  const want = eager(model, x);
  for (let call = 0; call < 3; call++)
    assertSameBits(model.predictOnBatch(x), want, `${what}, call ${call + 1}`);
  const after = inferencePlanStats(model);
  assert.equal(after.plans - before.plans, 1, `${what}: one plan recorded (${inferencePlanBlocker(model)})`);
  assert.equal(after.replays - before.replays, 1, `${what}: the third call replayed`);
}

function mlp(): Sequential {
  return sequential([
    layers.dense({ units: 16, activation: "relu", inputShape: [12] }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 8, activation: "tanh" }),
    layers.dense({ units: 3, activation: "softmax" }),
  ]);
}

forEachBackend("inference plan", () => {
  it("replays a Dense stack bit for bit", () => {
    seed(1);
    checkReplays(mlp(), randn([5, 12]), "MLP");
  });

  it("replays a convnet (conv, pooling, flatten, dense) bit for bit", () => {
    seed(2);
    const model = sequential([
      layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [8, 8, 2] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 5 }),
    ]);
    checkReplays(model, randn([2, 8, 8, 2]), "convnet");
  });

  it("replays an embedding + LSTM model bit for bit", () => {
    seed(3);
    const model = sequential([
      layers.embedding({ inputDim: 20, outputDim: 6, inputShape: [7] }),
      layers.lstm({ units: 5 }),
      layers.dense({ units: 2 }),
    ]);
    checkReplays(model, randint(0, 20, [3, 7], { dtype: "int32" }), "embedding + LSTM");
  });
});

describe("inference plan semantics", () => {
  it("replays a two-input functional model (two output heads) bit for bit", () => {
    seed(10);
    const a = input({ shape: [4] });
    const b = input({ shape: [3] });
    const h = layers.dense({ units: 6, activation: "sigmoid" }).apply(layers.concatenate().apply([a, b]));
    const m = functionalModel({
      inputs: [a, b],
      outputs: [layers.dense({ units: 2 }).apply(h), layers.dense({ units: 1 }).apply(h)],
    });
    const x = [randn([3, 4]), randn([3, 3])];
    const want = noGrad(() => m.applyMulti(x, { training: false }));
    for (let call = 0; call < 3; call++) {
      const got = m.predictOnBatchOutputs(x);
      want.forEach((w, i) => {
        assertSameBits(got[i]!, w, `output ${i}, call ${call + 1}`);
      });
    }
    assert.equal(inferencePlanStats(m).replays, 1);
  });

  it("returns outputs that share no memory between calls or with the plan", () => {
    seed(4);
    const model = mlp();
    const x = randn([2, 12]);
    const outs = [0, 1, 2, 3].map(() => model.predictOnBatch(x));
    assert.ok(inferencePlanStats(model).replays >= 2);
    const [, , third, fourth] = outs as [Tensor, Tensor, Tensor, Tensor];
    assert.notEqual(third.data, fourth.data);
    const kept = Array.from(third.data);
    fourth.data.fill(-7);
    assert.deepEqual(Array.from(third.data), kept);
    assertSameBits(model.predictOnBatch(x), third, "after a caller wrote into an output");
  });

  it("reads the weights at call time: setWeights and a training step are seen", () => {
    seed(5);
    const model = mlp();
    model.compile({ optimizer: "sgd", loss: "mse" });
    const x = randn([4, 12]);
    for (let i = 0; i < 3; i++) model.predictOnBatch(x);
    assert.equal(inferencePlanStats(model).plans, 1);
    model.setWeights(model.getWeights().map((w) => mul(w, 0.5)));
    assertSameBits(model.predictOnBatch(x), eager(model, x), "after setWeights");
    model.trainOnBatch(
      x,
      tensor([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [1, 0, 0],
      ]),
    );
    const replays = inferencePlanStats(model).replays;
    assertSameBits(model.predictOnBatch(x), eager(model, x), "after trainOnBatch");
    assert.equal(inferencePlanStats(model).replays, replays + 1, "still the same plan");
    assert.equal(inferencePlanStats(model).plans, 1);
  });

  it("keeps a plan per input shape and drops them when the layers change", () => {
    seed(6);
    const model = mlp();
    const small = randn([1, 12]);
    const large = randn([7, 12]);
    for (let i = 0; i < 3; i++) {
      model.predictOnBatch(small);
      model.predictOnBatch(large);
    }
    assert.equal(inferencePlanStats(model).plans, 2);
    assertSameBits(model.predictOnBatch(small), eager(model, small), "batch 1");
    assertSameBits(model.predictOnBatch(large), eager(model, large), "batch 7");
    model.add(layers.dense({ units: 2 }));
    const want = eager(model, large);
    for (let i = 0; i < 3; i++)
      assertSameBits(model.predictOnBatch(large), want, `after add(), call ${i + 1}`);
    assert.equal(inferencePlanStats(model).plans, 3, "re-recorded for the new layer list");
  });

  it("predict() over many batches replays from the second batch on, equal to eager", () => {
    seed(7);
    const model = mlp();
    const x = randn([70, 12]);
    const got = model.predict(x, { batchSize: 16, verbose: 0 });
    assert.equal(inferencePlanStats(model).replays, 2, "batches 3 and 4 of 16 replayed");
    assertSameBits(got, eager(model, x), "predict");
  });

  it("runs out-of-range and negative ids through the eager pass (its error, its result)", () => {
    seed(8);
    const model = sequential([
      layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [2] }),
      layers.flatten(),
      layers.dense({ units: 2 }),
    ]);
    const ids = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    for (let i = 0; i < 3; i++) model.predictOnBatch(ids);
    assert.equal(inferencePlanStats(model).plans, 1);
    assert.throws(
      () =>
        model.predictOnBatch(
          tensor(
            [
              [1, 5],
              [0, 0],
            ],
            { dtype: "int32" },
          ),
        ),
      IndexError,
    );
    const negative = tensor(
      [
        [-1, 2],
        [0, -5],
      ],
      { dtype: "int32" },
    );
    assertSameBits(model.predictOnBatch(negative), eager(model, negative), "negative ids");
    assert.ok(inferencePlanStats(model).rejected >= 2, "both calls refused by the plan");
  });

  it("keeps a model with a layer it cannot replay eager", () => {
    class Doubler extends Layer {
      static override readonly className = "PlanTestDoubler";
      override call(inputs: LayerInputs): Tensor {
        const x = this.single(inputs);
        return new Tensor(
          Float32Array.from(x.data, (v) => 2 * v),
          x.shape,
        );
      }
    }
    seed(9);
    const model = sequential([layers.dense({ units: 3, inputShape: [4] }), new Doubler()]);
    const x = randn([2, 4]);
    for (let i = 0; i < 3; i++) assertSameBits(model.predictOnBatch(x), eager(model, x), `call ${i + 1}`);
    assert.equal(inferencePlanStats(model).plans, 0);
    assert.match(inferencePlanBlocker(model) ?? "", /PlanTestDoubler.*not plannable/);
  });
});

describe("capturePlan proof", () => {
  it("rejects a pass that writes an array outside the kernels", () => {
    const x = randn([3, 4]);
    const forward = (inputs: readonly Tensor[]) => {
      const y = relu(inputs[0]!);
      y.data[0] = 42; // JavaScript work a replay would skip
      return [y];
    };
    const capture = capturePlan(forward, [x], []);
    assert.equal(capture.plan, null);
    assert.match(capture.reason ?? "", /differs from the eager pass/);
    assert.equal(capture.outputs[0]!.data[0], 42, "the recorded call's own result is the eager one");
  });

  it("restores a zero state a kernel accumulates into ('restore' mode)", () => {
    // out += x[rows] via scatterAdd into a fresh zero array: the replay must start from zeros again
    const forward = (inputs: readonly Tensor[]) => {
      const x = inputs[0]!;
      const out = new Float32Array(4);
      kernels().scatterAdd(x.data, 1, 4, 1, new Int32Array([0, 2, 2]), out);
      return [new Tensor(out, [4])];
    };
    const x = tensor([1, 2, 3]);
    const capture = capturePlan(forward, [x], []);
    assert.notEqual(capture.plan, null, capture.reason ?? "");
    assert.equal(capture.plan!.mode, "restore");
    const y = tensor([10, 20, 30]);
    for (let i = 0; i < 2; i++)
      assert.deepEqual(Array.from(capture.plan!.run([y])![0]!.data), [10, 0, 50, 0]);
  });
});
