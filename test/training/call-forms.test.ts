// Call forms that used to lose information silently (issue 12, small defects): fit/evaluate over
// an iterable of batches with the options in third position (`fit(dataset, undefined, options)`,
// the arrays-style call), and learningRateScheduler's object form `({ schedule })`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConfigError,
  callbacks,
  layers,
  type Model,
  optimizers,
  sequential,
  tensor,
} from "../../src/index.js";

function linearModel(): Model {
  const m = sequential([
    layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones", biasInitializer: "zeros" }),
  ]);
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: "mse" });
  return m;
}
const x = tensor([[1], [2], [3], [4]]);
const y = tensor([[3], [5], [7], [9]]);
/** A re-iterable source of two `{ x, y }` batches (what a Dataset yields). */
const batches = {
  *[Symbol.iterator]() {
    yield { x: tensor([[1], [2]]), y: tensor([[3], [5]]) };
    yield { x: tensor([[3], [4]]), y: tensor([[7], [9]]) };
  },
};

describe("fit/evaluate(iterable, undefined, options)", () => {
  test("fit honours options given in third position", async () => {
    const history = await linearModel().fit(batches, undefined as never, { epochs: 3, verbose: 0 });
    assert.equal(history.history.loss!.length, 3, "three epochs, not the default one");
  });

  test("fit gives the same result as the two-argument form", async () => {
    const a = linearModel();
    const b = linearModel();
    const h1 = await a.fit(batches, { epochs: 2, verbose: 0 });
    const h2 = await b.fit(batches, undefined as never, { epochs: 2, verbose: 0 });
    assert.deepEqual(h2.history.loss, h1.history.loss);
  });

  test("fit refuses options in both places", async () => {
    await assert.rejects(
      linearModel().fit(batches, { epochs: 2 } as never, { epochs: 3 }),
      /fit: y must be left out when x is an iterable of batches/,
    );
  });

  test("evaluate honours returnDict given in third position", async () => {
    const m = linearModel();
    const logs = await m.evaluate(batches, undefined as never, { returnDict: true, verbose: 0 });
    assert.deepEqual(Object.keys(logs), ["loss"]);
    assert.ok(
      Math.abs((logs as Record<string, number>).loss! - (await m.evaluate(x, y, { verbose: 0 }))[0]!) < 1e-6,
    );
  });
});

describe("learningRateScheduler object form", () => {
  test("{ schedule } sets the rates during fit", async () => {
    const m = linearModel();
    const history = await m.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [callbacks.learningRateScheduler({ schedule: (epoch: number) => 0.1 / (epoch + 1) })],
    });
    const rates = history.history.learning_rate!;
    assert.equal(rates.length, 3);
    for (const [i, r] of [0.1, 0.05, 0.1 / 3].entries()) {
      assert.ok(Math.abs(rates[i]! - r) < 1e-7, `epoch ${i}: ${rates[i]}`);
    }
  });

  test("anything else is refused at creation, not during fit", () => {
    for (const bad of [{}, { schedule: 0.1 }, 0.1, null, "exp"]) {
      assert.throws(
        () => callbacks.learningRateScheduler(bad as never),
        (e: unknown) =>
          e instanceof ConfigError && /learningRateScheduler: expected a schedule function/.test(e.message),
        JSON.stringify(bad),
      );
    }
  });
});
