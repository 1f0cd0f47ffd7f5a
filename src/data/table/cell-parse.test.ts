import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBoolCell, parseDateCell, parseFloatCell, parseIntCell } from "./cell-parse.js";

describe("cell parsing", () => {
  it("reads ISO dates like Date.UTC, every 5th day over four centuries", () => {
    for (let t = Date.UTC(1700, 0, 1); t < Date.UTC(2100, 0, 1); t += 5 * 86_400_000) {
      const text = new Date(t).toISOString().slice(0, 10);
      assert.equal(parseDateCell(text), t, text);
    }
    assert.equal(parseDateCell("2020-02-29"), Date.UTC(2020, 1, 29));
    assert.equal(parseDateCell("2021-03-04T05:06:07.5Z"), Date.UTC(2021, 2, 4, 5, 6, 7, 500));
    assert.equal(parseDateCell("2021-03-04 05:06+02:00"), Date.UTC(2021, 2, 4, 3, 6));
    for (const bad of [
      "2021-02-29",
      "1900-02-29",
      "2020-13-01",
      "2020-00-10",
      "2020-04-31",
      "20x0-01-01",
      "2020/01/01",
    ]) {
      assert.ok(Number.isNaN(parseDateCell(bad)), bad);
    }
  });

  it("reads numbers and booleans strictly", () => {
    assert.equal(parseFloatCell(" 1.5e3 "), 1500);
    assert.equal(parseFloatCell("-inf"), Number.NEGATIVE_INFINITY);
    for (const bad of ["0x1f", "", "  ", "1,5", "abc"]) assert.ok(Number.isNaN(parseFloatCell(bad)), bad);
    assert.equal(parseIntCell("-42"), -42);
    for (const bad of ["4.0", "1e3", "9007199254740993"]) assert.ok(Number.isNaN(parseIntCell(bad)), bad);
    assert.equal(parseBoolCell("TRUE"), 1);
    assert.equal(parseBoolCell("False"), 0);
    assert.ok(Number.isNaN(parseBoolCell("yes")));
  });
});
