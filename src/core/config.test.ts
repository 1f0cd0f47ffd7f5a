// core/config: the one describe() behind "(got ...)" in error messages, name normalising, Keras
// snake_case, and the "did you mean" guess.
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";
import { closestName, describe, expectedOneOf, isPlainObject, normalizeName, toSnakeCase } from "./config.js";

class Tensorish {
  readonly shape = [2, 3];
}

suite("describe", () => {
  test("each kind of value", () => {
    const cases: [unknown, string][] = [
      [null, "null"],
      [undefined, "undefined"],
      ["adma", '"adma"'],
      ["x".repeat(50), `"${"x".repeat(40)}..."`],
      [-1, "-1"],
      [Number.NaN, "NaN"],
      [true, "true"],
      [10n, "10"],
      [[2, -1], "[2,-1]"],
      [[[1, 2], "a"], '[[1,2],"a"]'],
      [new Array(9).fill(0), "an array of 9"],
      [new Float32Array(6), "Float32Array(6)"],
      [{ a: 1 }, "an object"],
      [Object.create(null), "an object"],
      [new Map(), "Map"],
      [new Tensorish(), "Tensorish of shape [2,3]"],
      [function relu() {}, "function relu"],
      [() => 1, "a function"],
    ];
    for (const [value, expected] of cases) assert.equal(describe(value), expected, expected);
  });
});

suite("names", () => {
  test("normalizeName makes snake_case, camelCase and PascalCase equal", () => {
    for (const name of ["glorot_uniform", "glorotUniform", "GlorotUniform", "GLOROT_UNIFORM"]) {
      assert.equal(normalizeName(name), "glorotuniform");
    }
  });

  test("toSnakeCase follows Keras", () => {
    assert.equal(toSnakeCase("BatchNormalization"), "batch_normalization");
    assert.equal(toSnakeCase("Conv2D"), "conv2d");
    assert.equal(toSnakeCase("AdamW"), "adam_w");
  });

  test("closestName guesses typos (a swap counts as one edit) and nothing far", () => {
    const known = ["sgd", "adam", "rmsprop", "meanSquaredError"];
    assert.equal(closestName("adma", known), "adam");
    assert.equal(closestName("rmsprp", known), "rmsprop");
    assert.equal(closestName("mean_sqaured_error", known), "meanSquaredError");
    assert.equal(closestName("lion", known), undefined);
    assert.equal(expectedOneOf("lion", ["sgd"]), "(expected one of sgd)");
    assert.equal(expectedOneOf("sdg", ["sgd"]), '(expected one of sgd; did you mean "sgd"?)');
  });

  test("isPlainObject", () => {
    assert.equal(isPlainObject({}), true);
    assert.equal(isPlainObject([]), false);
    assert.equal(isPlainObject(new Uint8Array(1)), false);
    assert.equal(isPlainObject(null), false);
  });
});
