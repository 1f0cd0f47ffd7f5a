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
