// fit/evaluate/predict over iterables of batches (what the data pipeline's Dataset yields), and
// multi-input / multi-output models with per-output losses and lossWeights.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Batch,
  ConfigError,
  Dataset,
  input,
  layers,
  type Model,
  model,
  optimizers,
  sequential,
  type Tensor,
  tensor,
} from "../index.js";
import { sliceRows } from "./array-data.js";

function linearModel(): Model {
  const m = sequential([
    layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones", biasInitializer: "zeros" }),
  ]);
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: "mse" });
  return m;
}
const weightsOf = (m: Model): number[] => m.getWeights().flatMap((w) => [...w.data]);
const x = tensor([[1], [2], [3], [4], [5], [6]]);
const y = tensor([[3], [5], [7], [9], [11], [13]]);

/** A re-iterable async source of `{ x, y }` batches of `size` rows, in order. */
function batches(size: number) {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < 6; i += size) yield { x: sliceRows(x, i, i + size), y: sliceRows(y, i, i + size) };
    },
  };
}

describe("fit on an async iterable", () => {
  test("one pass per epoch trains exactly like the same batches from arrays", async () => {
    const fromArrays = linearModel();
    const h1 = await fromArrays.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    const fromIterable = linearModel();
    const h2 = await fromIterable.fit(batches(2), { epochs: 3, verbose: 0 });
    assert.deepEqual(weightsOf(fromIterable), weightsOf(fromArrays));
    assert.deepEqual(h2.history.loss, h1.history.loss);
    assert.equal(h2.params.steps, null, "the length is not known in advance");
  });

  test("[x, y] elements, validation on an iterable, evaluate and predict on iterables", async () => {
    const m = linearModel();
    async function* pairs() {
      for (let i = 0; i < 6; i += 3)
        yield [sliceRows(x, i, i + 3), sliceRows(y, i, i + 3)] as [Tensor, Tensor];
    }
    const h = await m.fit(
      { [Symbol.asyncIterator]: pairs },
      { epochs: 2, verbose: 0, validationData: batches(3) },
    );
    assert.deepEqual(Object.keys(h.history), ["loss", "val_loss"]);
    const fromIterable = await m.evaluate(batches(4), { verbose: 0 });
    const fromArrays = await m.evaluate(x, y, { batchSize: 4, verbose: 0 });
    assert.deepEqual(fromIterable, fromArrays);
    const sameBatches = await m.evaluate(x, y, { batchSize: 3, verbose: 0 });
    assert.equal(h.history.val_loss![1], sameBatches[0], "validation after the last epoch = evaluate");
    const predicted = await m.predict(
      (async function* () {
        yield { x: sliceRows(x, 0, 4) };
        yield { x: sliceRows(x, 4, 6) };
      })(),
      { verbose: 0 },
    );
    assert.deepEqual([...predicted.data], [...m.predict(x, { verbose: 0 }).data]);
  });

  test("stepsPerEpoch keeps one iterator across epochs and stops when a one-shot source runs dry", async () => {
    const m = linearModel();
    let pulled = 0;
    async function* oneShot() {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield { x: sliceRows(x, i, i + 1), y: sliceRows(y, i, i + 1) };
      }
    }
    const h = await m.fit(oneShot(), { epochs: 3, stepsPerEpoch: 2, verbose: 0 });
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.equal(pulled, 6);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      const short = await linearModel().fit(oneShot(), { epochs: 5, stepsPerEpoch: 2, verbose: 0 });
      assert.deepEqual(short.epoch, [0, 1, 2]);
    } finally {
      console.warn = warn;
    }
    assert.match(warnings[0] ?? "", /ran out of data; training stopped at epoch 4/);
  });

  test("bad elements are rejected with a clear message", async () => {
    const bad = {
      async *[Symbol.asyncIterator]() {
        yield { features: x };
      },
    };
    // (a type error in TypeScript; plain JavaScript callers get the runtime check)
    await assert.rejects(
      linearModel().fit(bad as unknown as AsyncIterable<Batch>, { verbose: 0 }),
      (e: unknown) => e instanceof ConfigError && /\{ x, y \}/.test(e.message),
    );
  });
});

describe("multi-input and multi-output models", () => {
  function twoHeads(): Model {
    const inp = input({ shape: [1], name: "features" });
    const a = layers
      .dense({ units: 1, name: "a", kernelInitializer: "ones", biasInitializer: "zeros" })
      .apply(inp);
    const b = layers
      .dense({
        units: 1,
        name: "b",
        kernelInitializer: { className: "Constant", config: { value: 2 } },
        biasInitializer: "zeros",
      })
      .apply(inp);
    return model({ inputs: inp, outputs: [a, b] });
  }
  const hx = tensor([[1], [2]]);
  const ya = tensor([[0], [0]]);
  const yb = tensor([[1], [1]]);

  test("lossWeights (record or list) weight each output's loss; each is logged as <name>_loss", () => {
    // a: predictions [1, 2] vs 0 -> mse 2.5; b: [2, 4] vs 1 -> mse 5, mae 2
    for (const lossWeights of [{ a: 2, b: 0.5 }, [2, 0.5]]) {
      const m = twoHeads();
      m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse", lossWeights });
      const logs = m.testOnBatch(hx, [ya, yb], { returnDict: true });
      assert.deepEqual(logs, { a_loss: 5, b_loss: 2.5, loss: 7.5 });
      assert.deepEqual(m.metricsNames, ["loss", "a_loss", "b_loss"]);
    }
    const m = twoHeads();
    m.compile({
      optimizer: optimizers.sgd({ learningRate: 0 }),
      loss: { a: "mse", b: "mae" },
      lossWeights: { a: 2 },
      metrics: { b: ["mse"] },
    });
    assert.deepEqual(m.testOnBatch(hx, { a: ya, b: yb }), [5 + 2, 5, 2, 5]);
    assert.deepEqual(m.metricsNames, ["loss", "a_loss", "b_loss", "b_mse"]);
  });

  test("fit trains both heads; predictOutputs returns both, predict asks for predictOutputs", async () => {
    const m = twoHeads();
    m.compile({
      optimizer: optimizers.sgd({ learningRate: 0.05 }),
      loss: ["mse", "mse"],
      lossWeights: [1, 1],
    });
    const h = await m.fit(hx, [ya, yb], { epochs: 30, batchSize: 2, verbose: 0 });
    assert.ok(h.history.loss!.at(-1)! < h.history.loss![0]! / 4);
    const [pa, pb] = m.predictOutputs(hx, { verbose: 0 });
    assert.deepEqual(pa!.shape, [2, 1]);
    assert.deepEqual(pb!.shape, [2, 1]);
    assert.throws(() => m.predict(hx, { verbose: 0 }), /predictOutputs/);
    assert.throws(
      () => m.compile({ optimizer: "sgd", loss: ["mse"] }),
      /1 entries but the model has 2 outputs/,
    );
    assert.throws(() => m.compile({ optimizer: "sgd", loss: { c: "mse" } }), /unknown output "c"/);
  });

  test("two inputs by list or by name", () => {
    const left = input({ shape: [1], name: "left" });
    const right = input({ shape: [1], name: "right" });
    const sum = layers.add().apply([left, right]);
    const out = layers.dense({ units: 1, kernelInitializer: "ones", biasInitializer: "zeros" }).apply(sum);
    const m = model({ inputs: [left, right], outputs: out });
    m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    const l = tensor([[1], [2]]);
    const r = tensor([[3], [4]]);
    const target = tensor([[4], [4]]);
    // predictions [4, 6]: mse = (0 + 4) / 2
    assert.deepEqual(m.testOnBatch([l, r], target), [2]);
    assert.deepEqual(m.testOnBatch({ right: r, left: l }, target), [2]);
  });
});

describe("fit on the data pipeline's Dataset", () => {
  test("Dataset.fromArrays(x, y).batch(2) trains like arrays with batchSize 2 and no shuffling", async () => {
    const fromArrays = linearModel();
    await fromArrays.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    const fromDataset = linearModel();
    const h = await fromDataset.fit(Dataset.fromArrays(x, y).batch(2), { epochs: 2, verbose: 0 });
    assert.deepEqual(h.epoch, [0, 1]);
    assert.deepEqual(weightsOf(fromDataset), weightsOf(fromArrays));
    const [loss] = await fromDataset.evaluate(Dataset.fromArrays(x, y).batch(4), { verbose: 0 });
    assert.equal(loss, (await fromDataset.evaluate(x, y, { batchSize: 4, verbose: 0 }))[0]);
  });
});
