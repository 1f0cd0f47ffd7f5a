// Registry lookups use own entries only (issue 12): a loss, metric, optimizer or schedule named
// after an Object.prototype member ("constructor") used to find the inherited function, so
// compile() passed and fit() then threw a TypeError. Each now fails at once with a ConfigError.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "../../src/core/errors.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import "../../src/train/model-methods.js";
import { getOptimizer } from "../../src/optim/registry.js";
import { deserializeSchedule } from "../../src/optim/schedules.js";
import { getLoss, isLossName } from "../../src/train/losses/registry.js";
import { getMetric } from "../../src/train/metrics/registry.js";

const PROTOTYPE_NAMES = ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf"];

function model() {
  return sequential([layers.dense({ units: 1, inputShape: [2] })]);
}

describe("registries look up own names only", () => {
  for (const name of PROTOTYPE_NAMES) {
    test(`"${name}" is no loss, metric, optimizer or schedule`, () => {
      assert.throws(() => getLoss(name), ConfigError);
      assert.equal(isLossName(name), false);
      assert.throws(() => getMetric(name), ConfigError);
      assert.throws(() => getOptimizer(name), ConfigError);
      assert.throws(() => deserializeSchedule({ className: name, config: {} }), ConfigError);
      // Names from outside the program (a config file): the unions do not cover them, run time refuses them.
      const outside = name as never;
      assert.throws(() => model().compile({ optimizer: "sgd", loss: outside }), ConfigError);
      assert.throws(
        () => model().compile({ optimizer: "sgd", loss: "mse", metrics: [outside] }),
        ConfigError,
      );
      assert.throws(() => model().compile({ optimizer: outside, loss: "mse" }), ConfigError);
    });
  }

  test("registered names still resolve", () => {
    assert.equal(getLoss("mean_squared_error").getConfig().className, "MeanSquaredError");
    assert.equal(getMetric("mae").name, "mae");
    assert.equal(getOptimizer("adam").getConfig().className, "Adam");
  });
});

describe("compile refuses loss and metrics specs that are not lists or objects", () => {
  // Found by test/fuzz/model-dir.fuzz.test.ts: a model.json whose training.loss was false made
  // compile throw "TypeError: Cannot use 'in' operator to search for 'out' in false".
  for (const spec of [false, 3, true]) {
    test(`loss ${String(spec)} and metrics ${String(spec)}`, () => {
      assert.throws(() => model().compile({ optimizer: "sgd", loss: spec as never }), ConfigError);
      assert.throws(
        () => model().compile({ optimizer: "sgd", loss: "mse", metrics: spec as never }),
        ConfigError,
      );
    });
  }
  test("an output named like a prototype member gets no inherited loss", () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2], name: "constructor" })]);
    assert.throws(() => m.compile({ optimizer: "sgd", loss: {} as never }), ConfigError);
    m.compile({ optimizer: "sgd", loss: { constructor: "mse" } as never });
  });
});
