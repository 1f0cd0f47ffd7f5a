import assert from "node:assert/strict";
import { test } from "node:test";
import { rand, randint, randn } from "../index.js";
import { Generator, seed } from "./random.js";

test("the same seed gives the same random tensors", () => {
  seed(123);
  const a = [randn([5]).toArray(), rand([3]).toArray(), randint(0, 10, [4]).toArray()];
  seed(123);
  const b = [randn([5]).toArray(), rand([3]).toArray(), randint(0, 10, [4]).toArray()];
  assert.deepEqual(a, b);
  seed(124);
  assert.notDeepEqual(randn([5]).toArray(), a[0]);
});

test("a local generator is its own stream and its state round-trips", () => {
  const g = new Generator(7);
  g.random();
  const state = g.getState();
  const next = [g.random(), g.normal(), g.int(0, 100)];
  g.setState(state);
  assert.deepEqual([g.random(), g.normal(), g.int(0, 100)], next);
  const h = new Generator(7);
  h.random();
  assert.equal(h.random(), next[0]);
});

test("uniform draws stay in range and have the right mean", () => {
  const g = new Generator(1);
  let total = 0;
  for (let i = 0; i < 20000; i++) {
    const v = g.random();
    assert.ok(v >= 0 && v < 1);
    total += v;
  }
  assert.ok(Math.abs(total / 20000 - 0.5) < 0.01);
  const x = randn([20000], { generator: new Generator(3) });
  const mean = x.mean().item();
  const std = x.std().item();
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.03, `std ${std}`);
});

test("randint rejects an empty range", () => {
  assert.throws(() => new Generator(0).int(3, 3), /randint: expected integers low < high \(got 3 and 3\)/);
});
