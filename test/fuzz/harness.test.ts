// test/fuzz: the harness's rule "only our typed errors escape", checked on each kind of outcome.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FormatError, ValueError } from "../../src/core/errors.js";
import { assertBounded, judge } from "./harness.js";

describe("fuzz harness", () => {
  it("lets a typed error pass as a clean refusal", () => {
    assert.doesNotThrow(() => judge(new FormatError("x: bad"), true));
  });
  it("fails a typed error when the input was valid by construction", () => {
    assert.throws(
      () => judge(new ValueError("x: bad"), false),
      /typed error on a valid input: ValueError: x: bad/,
    );
  });
  it("fails an untyped error and a thrown non-Error", () => {
    assert.throws(() => judge(new TypeError("boom"), true), /untyped error escaped: TypeError: boom/);
    assert.throws(() => judge("plain string", true), /non-Error value thrown: plain string/);
  });
  it("passes an assertion failure through unchanged", () => {
    const failure = new assert.AssertionError({ message: "round trip differs" });
    assert.throws(
      () => judge(failure, true),
      (e) => e === failure,
    );
  });
  it("bounds output by input size", () => {
    assert.doesNotThrow(() => assertBounded("rows", 100, 100));
    assert.throws(() => assertBounded("rows", 117, 100), /rows: 117 produced from an input of 100/);
  });
});
