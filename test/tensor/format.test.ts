// Printing: toString is readable (aligned, dtype and shape shown), special values are named, and
// tensors past 1000 elements are summarised with "..." keeping three items at each end.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import * as ts from "../../src/index.js";

test("a small float matrix prints aligned with its shape and dtype", () => {
  const s = ts
    .tensor([
      [1, 2.5],
      [3, -4],
    ])
    .toString();
  assert.equal(s, "tensor([[    1., 2.5000],\n        [    3.,    -4.]], shape=[2,2], dtype=float32)");
});

test("int32, bool, scalars, empty tensors and requiresGrad", () => {
  assert.equal(
    ts.tensor([1, -20], { dtype: "int32" }).toString(),
    "tensor([  1, -20], shape=[2], dtype=int32)",
  );
  assert.equal(ts.tensor([true, false]).toString(), "tensor([ true, false], shape=[2], dtype=bool)");
  assert.equal(ts.scalar(3).toString(), "tensor(3., shape=[], dtype=float32)");
  assert.equal(ts.zeros([0, 3]).toString(), "tensor([], shape=[0,3], dtype=float32)");
  assert.match(ts.tensor([1], { requiresGrad: true }).toString(), /requiresGrad=true\)$/);
});

test("NaN and infinities are named; very small or large values switch to exponent form", () => {
  assert.equal(
    ts.tensor([Number.NaN, Infinity, -Infinity, 1.5]).toString(),
    "tensor([   nan,    inf,   -inf, 1.5000], shape=[4], dtype=float32)",
  );
  const s = ts.tensor([1e-5, 1, 1e30]).toString();
  assert.match(s, /1\.0000e-5/);
  assert.match(s, /1\.0000e\+30/);
});

test("3-D tensors separate blocks with a blank line", () => {
  assert.equal(
    ts.arange(8).reshape([2, 2, 2]).toString(),
    "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]], shape=[2,2,2], dtype=float32)",
  );
});

test("large tensors are summarised, keeping the first and last three of each axis", () => {
  const s = ts.arange(2000).reshape([40, 50]).toString();
  const lines = s.split("\n");
  assert.equal(lines.length, 7); // 3 rows, "...", 3 rows
  assert.match(lines[0]!, /^tensor\(\[\[\s+0\.,\s+1\.,\s+2\., \.\.\.,\s+47\.,\s+48\.,\s+49\.\],$/);
  assert.match(lines[3]!, /^\s+\.\.\.,$/);
  assert.match(lines[6]!, /1997\., 1998\., 1999\.\]\], shape=\[40,50\], dtype=float32\)$/);
  const flat = ts.arange(1001).toString();
  assert.match(flat, /^tensor\(\[\s+0\.,\s+1\.,\s+2\., \.\.\.,\s+998\.,\s+999\., 1000\.\], shape=\[1001\]/);
  assert.ok(!ts.arange(1000).toString().includes("..."), "up to 1000 elements print in full");
});

test("util.inspect and template strings use the same text", () => {
  const t = ts.tensor([1, 2]);
  assert.equal(inspect(t), t.toString());
  assert.equal(`${t}`, t.toString());
});

test("a summarised print is formatted from the shown elements only", () => {
  // NumPy's rule: hidden elements change neither the notation nor the column width
  const t = ts.arange(2000, undefined, 1, { dtype: "float64" });
  t.data[1000] = 1e-9;
  t.data[1001] = -123456789;
  const s = t.toString();
  assert.equal(s, "tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000], dtype=float64)");
});
