import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator, tensor } from "../../index.js";
import { smote } from "./smote.js";
import { randomDeletion, randomSwap } from "./text.js";

/** 40 majority points around (0, 0) and 8 minority points around (5, 5). */
function imbalanced(): { x: number[][]; y: string[] } {
  const g = new Generator(11);
  const x: number[][] = [];
  const y: string[] = [];
  for (let i = 0; i < 40; i++) {
    x.push([g.normal(), g.normal()]);
    y.push("major");
  }
  for (let i = 0; i < 8; i++) {
    x.push([5 + g.normal(), 5 + g.normal()]);
    y.push("minor");
  }
  return { x, y };
}

/** Indices of the k nearest other rows among `members` (brute force, computed here independently). */
function knn(x: number[][], i: number, members: number[], k: number): number[] {
  return members
    .filter((j) => j !== i)
    .map((j) => ({ j, d: Math.hypot(x[i]![0]! - x[j]![0]!, x[i]![1]! - x[j]![1]!) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((e) => e.j);
}

test("SMOTE balances the classes with points on segments between minority neighbours", () => {
  const { x, y } = imbalanced();
  const out = smote(tensor(x, { dtype: "float64" }), y, { kNeighbors: 3, seed: 1 });
  assert.deepEqual(out.x.shape, [80, 2]);
  assert.equal(out.y.length, 80);
  assert.deepEqual(out.y.slice(0, 48), y, "originals first, unchanged");
  assert.ok(out.y.slice(48).every((l) => l === "minor"));
  const rows = out.x.toArray() as number[][];
  assert.deepEqual(rows.slice(0, 48), x);
  const minority = y.map((l, i) => (l === "minor" ? i : -1)).filter((i) => i >= 0);
  const neighbours = new Map(minority.map((i) => [i, knn(x, i, minority, 3)]));
  for (const p of rows.slice(48)) {
    // p must lie on the segment from some minority point a to one of a's 3 nearest minority neighbours.
    const onSegment = minority.some((a) =>
      neighbours.get(a)!.some((b) => {
        const [ax, ay] = x[a] as [number, number];
        const [bx, by] = x[b] as [number, number];
        const t = Math.abs(bx - ax) > Math.abs(by - ay) ? (p[0]! - ax) / (bx - ax) : (p[1]! - ay) / (by - ay);
        return (
          t >= 0 &&
          t <= 1 &&
          Math.abs(ax + t * (bx - ax) - p[0]!) < 1e-9 &&
          Math.abs(ay + t * (by - ay) - p[1]!) < 1e-9
        );
      }),
    );
    assert.ok(onSegment, `synthetic point ${p} is not between minority neighbours`);
  }
  // Reproducible with the seed.
  assert.deepEqual(smote(tensor(x, { dtype: "float64" }), y, { kNeighbors: 3, seed: 1 }).x.data, out.x.data);
});

test("SMOTE sampling strategies and label forms", () => {
  const { x, y } = imbalanced();
  const xt = tensor(x);
  const codes = tensor(
    y.map((l) => (l === "major" ? 0 : 1)),
    { dtype: "int32" },
  );
  const half = smote(xt, codes, { samplingStrategy: 0.5, kNeighbors: 3, seed: 0 });
  assert.equal(half.y.dtype, "int32");
  assert.equal(Array.from(half.y.data).filter((v) => v === 1).length, 20);
  const dict = smote(xt, y, { samplingStrategy: { minor: 12 }, kNeighbors: 3, seed: 0 });
  assert.equal(dict.y.filter((l) => l === "minor").length, 12);
  const balanced = smote(xt, y, { kNeighbors: 3, seed: 0 });
  assert.equal(balanced.origins.length, 32);
  for (const { base, neighbor, gap } of balanced.origins) {
    assert.equal(y[base], "minor");
    assert.equal(y[neighbor], "minor");
    assert.ok(gap >= 0 && gap < 1);
  }
  assert.throws(
    () => smote(xt, y, { kNeighbors: 8 }),
    /class minor has 8 samples; kNeighbors = 8 needs at least 9/,
  );
  assert.throws(
    () => smote(xt, y, { samplingStrategy: { minor: 3 } }),
    /wanted count must be a whole number >= that/,
  );
  assert.throws(
    () => smote(xt, y, { samplingStrategy: { other: 3 } }),
    /names class "other", which is not in y/,
  );
});

test("random deletion and swap keep tokens, are seeded, and honour their edge cases", () => {
  const tokens = "the quick brown fox jumps over the lazy dog".split(" ");
  const deleted = randomDeletion(tokens, { p: 0.3, seed: 4 });
  assert.deepEqual(randomDeletion(tokens, { p: 0.3, seed: 4 }), deleted);
  assert.ok(deleted.length < tokens.length && deleted.length > 0);
  // What is kept is a subsequence, in order.
  let j = 0;
  for (const t of tokens) if (j < deleted.length && deleted[j] === t) j++;
  assert.equal(j, deleted.length);
  assert.deepEqual(randomDeletion(tokens, { p: 0 }), tokens);
  const lone = randomDeletion(tokens, { p: 1, seed: 2 });
  assert.equal(lone.length, 1);
  assert.ok(tokens.includes(lone[0]!));
  assert.equal(typeof randomDeletion("a b c", { p: 0 }), "string");

  const swapped = randomSwap(tokens, { n: 1, seed: 6 });
  assert.deepEqual([...swapped].sort(), [...tokens].sort());
  const moved = tokens.map((t, i) => (swapped[i] !== t ? i : -1)).filter((i) => i >= 0);
  assert.ok(moved.length === 2 || moved.length === 0, "one swap moves two tokens (or swaps two equal ones)");
  assert.deepEqual(randomSwap(tokens, { n: 3, seed: 6 }), randomSwap(tokens, { n: 3, seed: 6 }));
  assert.equal(randomSwap("a b", { seed: 1 }), "b a");
  assert.deepEqual(randomSwap(["solo"], { n: 5 }), ["solo"]);
});
