import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, FormatError } from "../core/errors.js";
import { parseStrictJson } from "./strict-json.js";

test("parses what JSON.parse parses, for ordinary documents", () => {
  const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {"c": {}}, "d": []}';
  assert.equal(JSON.stringify(parseStrictJson(text, "f")), JSON.stringify(JSON.parse(text)));
});

test("rejects duplicate keys at any depth, naming the file and key", () => {
  assert.throws(
    () => parseStrictJson('{"a": {"b": 1, "b": 2}}', "model.json"),
    (e: unknown) => {
      assert.ok(e instanceof FormatError);
      assert.match(e.message, /^model\.json: invalid JSON: duplicate key "b"/);
      return true;
    },
  );
});

test("rejects integers beyond 2^53 instead of rounding them", () => {
  assert.equal(parseStrictJson("9007199254740991", "f"), 9007199254740991);
  assert.throws(() => parseStrictJson("9007199254740992", "f"), /beyond 2\^53/);
  assert.throws(() => parseStrictJson("[-9007199254740993]", "f"), /beyond 2\^53/);
});

test("integer-only mode refuses fractions, exponents and negatives", () => {
  assert.deepEqual(parseStrictJson("[0, 12]", "f", { nonNegativeIntegersOnly: true }), [0, 12]);
  for (const bad of ["[1.0]", "[1e2]", "[-1]"]) {
    assert.throws(
      () => parseStrictJson(bad, "f", { nonNegativeIntegersOnly: true }),
      /non-negative integer/,
      bad,
    );
  }
});

test("rejects malformed text with a position", () => {
  for (const [bad, why] of [
    ['{"a" 1}', /expected ':'/],
    ["[1 2]", /expected ',' or '\]'/],
    ['{"a":1,}', /expected a string key/],
    ['"abc', /unterminated string/],
    ["01", /unexpected text after/],
    ["{} x", /unexpected text after/],
    ['"a\tb"', /control character/],
    ['"\\x"', /bad escape/],
    ["", /unexpected end/],
  ] as const) {
    assert.throws(() => parseStrictJson(bad, "f"), why, bad);
  }
});

test("a __proto__ key is plain data, not a prototype change", () => {
  const value = parseStrictJson('{"__proto__": {"polluted": 1}}', "f") as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(value), null);
});

test("refuses an unknown option with a ConfigError naming it (issue 12)", () => {
  const options = { maxdepth: 2 } as unknown as Parameters<typeof parseStrictJson>[2];
  assert.throws(
    () => parseStrictJson("1", "f", options),
    (e) => e instanceof ConfigError && /parseStrictJson: unknown option "maxdepth"/.test(e.message),
  );
});
