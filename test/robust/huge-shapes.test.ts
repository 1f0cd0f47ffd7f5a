// ts.zeros([1e12]) and its siblings (issue 12): a shape no array can hold is a ShapeError naming
// the shape and the bytes it would need, not a bare RangeError from the typed-array constructor.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ShapeError } from "../../src/core/errors.js";
import { eye, full, ones, rand, randint, randn, zeros } from "../../src/tensor/creation.js";

describe("huge shapes", () => {
  const cases: [string, () => unknown][] = [
    ["zeros", () => zeros([1e12])],
    ["ones", () => ones([1e6, 1e6], { dtype: "float64" })],
    ["full", () => full([2 ** 33], 1, { dtype: "bool" })],
    ["rand", () => rand([1e12])],
    ["randn", () => randn([1e9, 1e9, 1e9])],
    ["randint", () => randint(0, 3, [1e12])],
    ["eye", () => eye(1e7)],
  ];
  for (const [op, make] of cases) {
    test(`${op} refuses with a ShapeError naming the shape and the bytes`, () => {
      assert.throws(make, (error: unknown) => {
        assert.ok(error instanceof ShapeError, `expected ShapeError, got ${String(error)}`);
        assert.match(
          error.message,
          new RegExp(`^${op}: shape \\[[0-9e+, .]+\\] of \\w+ needs [0-9.]+e\\+\\d+ bytes`),
        );
        return true;
      });
    });
  }
  test("ordinary shapes still allocate", () => {
    assert.equal(zeros([3, 4]).size, 12);
    assert.equal(eye(3).data[4], 1);
  });
});
