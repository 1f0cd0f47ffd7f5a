// core/options: the options reader shared by optimizers, schedules, losses and metrics.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, ValueError } from "./errors.js";
import { booleanOption, nullableNumberOption, numberOption, readOptions, stringOption } from "./options.js";

const ALIASES = { learningRate: ["learning_rate", "lr"], nesterov: [], name: [], clipnorm: [] };

describe("readOptions", () => {
  test("camelCase names and aliases land under the camelCase name; undefined values are dropped", () => {
    const options = readOptions("sgd", { learning_rate: 0.1, nesterov: true, name: undefined }, ALIASES);
    assert.deepEqual(
      [...options],
      [
        ["learningRate", 0.1],
        ["nesterov", true],
      ],
    );
    assert.equal(readOptions("sgd", undefined, ALIASES).size, 0);
  });

  test("unknown, doubled and non-object options are ConfigErrors", () => {
    assert.throws(
      () => readOptions("sgd", { nesterof: true }, ALIASES),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'sgd: unknown option "nesterof" (expected one of learningRate, nesterov, name, clipnorm; did you mean "nesterov"?)',
    );
    assert.throws(
      () => readOptions("sgd", { lr: 1, learningRate: 2 }, ALIASES),
      /sgd: option "learningRate" given twice \(as "lr" and "learningRate"\)/,
    );
    assert.throws(() => readOptions("sgd", [1], ALIASES), /sgd: expected an options object \(got \[1\]\)/);
  });
});

describe("typed option readers", () => {
  const options = new Map<string, unknown>([
    ["n", 2],
    ["nan", Number.NaN],
    ["none", null],
    ["flag", false],
    ["text", "x"],
  ]);
  test("values, fallbacks and refusals", () => {
    assert.equal(numberOption("o", options, "n", 5), 2);
    assert.equal(numberOption("o", options, "absent", 5), 5);
    assert.throws(() => numberOption("o", options, "nan", 5), ValueError);
    assert.throws(() => numberOption("o", options, "text", 5), /o: text must be a number \(got "x"\)/);
    assert.equal(nullableNumberOption("o", options, "none", 5), null);
    assert.equal(nullableNumberOption("o", options, "absent", null), null);
    assert.throws(
      () => nullableNumberOption("o", options, "flag", 1),
      /must be a number or null \(got false\)/,
    );
    assert.equal(booleanOption("o", options, "flag", true), false);
    assert.throws(() => booleanOption("o", options, "n", true), /o: n must be true or false \(got 2\)/);
    assert.equal(stringOption("o", options, "text", "y"), "x");
    assert.throws(() => stringOption("o", options, "none", "y"), /o: none must be a string \(got null\)/);
  });
});
