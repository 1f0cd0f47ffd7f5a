// fit/evaluate/predict and the *OnBatch methods on arrays, checked against values computed by hand
// on a linear model whose weights start at known values (kernel 1, bias 0).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConfigError,
  constraints,
  layers,
  type Model,
  optimizers,
  regularizers,
  seed,
  sequential,
  type Tensor,
  tensor,
  ValueError,
} from "../index.js";

/** y = x @ kernel + bias with kernel ones and bias zeros: predictions equal the row sums of x. */
function linearModel(inputDim = 1, extra: Record<string, unknown> = {}): Model {
  return sequential([
    layers.dense({
      units: 1,
      inputShape: [inputDim],
      kernelInitializer: "ones",
      biasInitializer: "zeros",
      ...extra,
    }),
  ]);
}

function weightsOf(model: Model): number[] {
  return model.getWeights().flatMap((w) => [...w.data]);
}

const CLOSE = 1e-6;
function near(actual: number, expected: number, message?: string): void {
  assert.ok(
    Math.abs(actual - expected) <= CLOSE * Math.max(1, Math.abs(expected)),
    `${message ?? ""} ${actual} vs ${expected}`,
  );
}

describe("trainOnBatch / testOnBatch", () => {
  test("return this batch's loss; one SGD step moves the weights by the hand-computed gradient", () => {
    const model = linearModel();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: "mse" });
    const x = tensor([[1], [2]]);
    const y = tensor([[3], [5]]);
    // predictions [1, 2]: mse = (2^2 + 3^2) / 2 = 6.5
    near(model.testOnBatch(x, y)[0]!, 6.5);
    const [loss] = model.trainOnBatch(x, y);
    near(loss!, 6.5, "the loss of the forward pass before the update");
    // dL/dw = (2/N) sum (p - y) x = -2 - 6 = -8; dL/db = -2 - 3 = -5; lr 0.1
    const [w, b] = weightsOf(model);
    near(w!, 1.8);
    near(b!, 0.5);
    // new predictions [2.3, 4.1]: mse = (0.49 + 0.81) / 2 = 0.65, not averaged with the earlier batch
    near(model.testOnBatch(x, y)[0]!, 0.65);
    assert.deepEqual(Object.keys(model.testOnBatch(x, y, { returnDict: true })), ["loss"]);
  });

  test("sampleWeight and classWeight scale each sample's loss (sum over batch size, as Keras)", () => {
    const model = linearModel();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[0], [1], [0], [1]]);
    // squared errors [1, 1, 9, 9]
    near(model.testOnBatch(x, y)[0]!, 5);
    near(model.testOnBatch(x, y, { sampleWeight: [1, 0, 0, 3] })[0]!, (1 + 27) / 4);
    // class 0 weighs 2, class 1 weighs 0.5: (2 + 0.5 + 18 + 4.5) / 4
    near(model.trainOnBatch(x, y, { classWeight: { 0: 2, 1: 0.5 } })[0]!, 6.25);
  });

  test("regularization losses join the loss; constraints apply after the step", () => {
    const reg = linearModel(1, { kernelRegularizer: regularizers.l2({ l2: 0.1 }) });
    reg.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    // mse 6.5 + 0.1 * 1^2
    near(reg.testOnBatch(tensor([[1], [2]]), tensor([[3], [5]]))[0]!, 6.6);

    const nonNeg = linearModel(1, { kernelConstraint: constraints.nonNeg() });
    nonNeg.compile({ optimizer: optimizers.sgd({ learningRate: 1 }), loss: "mse" });
    nonNeg.trainOnBatch(tensor([[1]]), tensor([[-10]]));
    // dL/dw = 2 * (1 - (-10)) * 1 = 22 -> w = -21, clipped to 0 by nonNeg; the bias is free: -22
    assert.deepEqual(
      weightsOf(nonNeg).map((v) => v + 0),
      [0, -22],
    ); // (+0 folds -0 into 0)
  });

  test("an uncompiled model says to compile", () => {
    assert.throws(
      () => linearModel().trainOnBatch(tensor([[1]]), tensor([[1]])),
      (e: unknown) => e instanceof ValueError && /compile/.test(e.message),
    );
  });
});

describe("fit on arrays", () => {
  test("validationSplit validates on the last fraction, before shuffling", async () => {
    const model = linearModel();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]);
    const y = tensor([[0], [0], [0], [0], [0], [0], [0], [0], [0], [0]]);
    const h = await model.fit(x, y, { epochs: 2, batchSize: 3, validationSplit: 0.25, verbose: 0 });
    // training on rows 0..6 (floor(10 * 0.75) = 7): mean of x^2 = 91 / 7; validation rows 7..9
    near(h.history.loss![0]!, 13);
    near(h.history.val_loss![0]!, (49 + 64 + 81) / 3);
    assert.deepEqual(h.epoch, [0, 1]);
    assert.deepEqual(h.params, { epochs: 2, steps: 3, verbose: 0 });
  });

  test("classWeight and sampleWeight change the epoch loss as computed by hand", async () => {
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[0], [1], [0], [1]]);
    const run = async (options: Record<string, unknown>): Promise<number> => {
      const model = linearModel();
      model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
      const h = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, ...options });
      return h.history.loss![0]!;
    };
    near(await run({}), 5);
    near(await run({ classWeight: { 0: 2, 1: 0.5 } }), 6.25);
    near(await run({ sampleWeight: tensor([0, 1, 1, 0]) }), (1 + 9) / 4);
    // with validationSplit 0.5 the class weights apply to the training half only
    const model = linearModel();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    const h = await model.fit(x, y, {
      epochs: 1,
      batchSize: 2,
      verbose: 0,
      classWeight: { 0: 2, 1: 0.5 },
      validationSplit: 0.5,
    });
    near(h.history.loss![0]!, (2 * 1 + 0.5 * 1) / 2);
    near(h.history.val_loss![0]!, (9 + 9) / 2);
    await assert.rejects(run({ classWeight: { 0: 1 }, sampleWeight: [1, 1, 1, 1] }), ConfigError);
  });

  test("shuffling is seeded: same seed, same weights; another seed, others; shuffle false ignores the seed", async () => {
    const x = tensor([[1], [2], [3], [4], [5], [6], [7], [8]]);
    const y = tensor([[2], [1], [4], [3], [6], [5], [8], [7]]);
    const train = async (s: number, shuffle: boolean): Promise<number[]> => {
      const model = linearModel();
      model.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: "mse" });
      seed(s);
      await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle, verbose: 0 });
      return weightsOf(model);
    };
    assert.deepEqual(await train(7, true), await train(7, true));
    assert.notDeepEqual(await train(7, true), await train(8, true));
    assert.deepEqual(await train(7, false), await train(8, false));
  });

  test("validationData, initialEpoch and epochs", async () => {
    const model = linearModel();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse", metrics: ["mae"] });
    const x = tensor([[1], [2]]);
    const y = tensor([[0], [0]]);
    const h = await model.fit(x, y, {
      epochs: 5,
      initialEpoch: 3,
      validationData: [tensor([[3]]), tensor([[1]])],
      verbose: 0,
    });
    assert.deepEqual(h.epoch, [3, 4]);
    assert.deepEqual(Object.keys(h.history), ["loss", "mae", "val_loss", "val_mae"]);
    near(h.history.loss![0]!, 2.5);
    near(h.history.mae![0]!, 1.5);
    near(h.history.val_loss![0]!, 4);
    assert.equal(model.history, h);
    const values = await model.evaluate(x, y, { verbose: 0 });
    assert.deepEqual(model.metricsNames, ["loss", "mae"]);
    near(values[0]!, 2.5);
    near(values[1]!, 1.5);
    const dict = await model.evaluate(x, y, { verbose: 0, returnDict: true, sampleWeight: [0, 1] });
    near(dict.loss!, 2);
    near(dict.mae!, 2, "weighted mean of |errors| with weights [0, 1]");
  });
});

describe("predict", () => {
  test("batched predict equals one forward pass; predictOnBatch too", () => {
    seed(3);
    const model = sequential([
      layers.dense({ units: 4, activation: "relu", inputShape: [3] }),
      layers.dense({ units: 2 }),
    ]);
    const x = tensor([
      [1, 2, 3],
      [0, -1, 2],
      [4, 0, 1],
      [1, 1, 1],
      [-2, 3, 0],
    ]);
    const whole: Tensor = model.apply(x);
    const batched = model.predict(x, { batchSize: 2, verbose: 0 });
    assert.deepEqual(batched.shape, [5, 2]);
    assert.deepEqual([...batched.data], [...whole.data]);
    assert.equal(batched.requiresGrad, false, "no gradient graph");
    assert.deepEqual([...model.predictOnBatch(x).data], [...whole.data]);
    assert.throws(() => model.predict(tensor([[1, 2]]), { verbose: 0 }), /shape|2|3/);
  });
});
