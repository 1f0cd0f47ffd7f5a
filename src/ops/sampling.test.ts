// ops/sampling: multinomial draws follow their weights and repeat under a seed; the sampler's
// greedy, temperature, top-k, top-p, penalty and suppression filters keep exactly the right tokens.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator } from "../core/random.js";
import { tensor } from "../tensor/creation.js";
import { multinomial, resolveSampler, sampleLogits, sampleRow } from "./sampling.js";

function frequencies(draws: ArrayLike<number>, categories: number): number[] {
  const counts = new Array<number>(categories).fill(0);
  for (let i = 0; i < draws.length; i++) counts[draws[i]!]! += 1;
  return counts.map((c) => c / draws.length);
}

test("multinomial: frequencies follow the weights, seeded draws repeat, shapes", () => {
  const weights = [1, 0, 3, 6]; // probabilities 0.1, 0, 0.3, 0.6
  const draws = multinomial(tensor(weights), 20000, { replacement: true, generator: new Generator(1) });
  assert.deepEqual(draws.shape, [20000]);
  assert.equal(draws.dtype, "int32");
  const f = frequencies(draws.data, 4);
  for (const [j, p] of [0.1, 0, 0.3, 0.6].entries())
    assert.ok(Math.abs(f[j]! - p) < 0.015, `category ${j}: ${f[j]} vs ${p}`);
  const again = multinomial(tensor(weights), 20000, { replacement: true, generator: new Generator(1) });
  assert.deepEqual([...again.data], [...draws.data]);
  // without replacement: every category with weight once, zero-weight never
  const batch = multinomial(tensor([weights, [5, 5, 0, 1]]), 3, { generator: new Generator(2) });
  assert.deepEqual(batch.shape, [2, 3]);
  assert.deepEqual([...batch.data.subarray(0, 3)].sort(), [0, 2, 3]);
  assert.deepEqual([...batch.data.subarray(3, 6)].sort(), [0, 1, 3]);
  assert.throws(() => multinomial(tensor(weights), 4), /3 categories with weight, fewer than 4/);
  assert.throws(() => multinomial(tensor([0, 0]), 1), /row 0 sums to 0/);
  assert.throws(() => multinomial(tensor([1, -1]), 1), /invalid probability -1 at 1/);
  assert.throws(() => multinomial(tensor([[[1]]]), 1), /expected probabilities \(V\) or \(B, V\)/);
});

test("sampler: greedy and temperature 0 take the arg max; suppressed ids are never chosen", () => {
  const logits = [0.5, 2, 1.9, -1];
  assert.equal(sampleRow(logits, resolveSampler({ greedy: true })), 1);
  assert.equal(sampleRow(logits, resolveSampler({ temperature: 0 })), 1);
  assert.equal(sampleRow(logits, resolveSampler({ greedy: true, suppressTokens: [1] })), 2);
  const s = resolveSampler({ suppressTokens: [1, 2], generator: new Generator(4) });
  for (let i = 0; i < 200; i++) assert.ok([0, 3].includes(sampleRow(logits, s)));
  assert.throws(
    () => sampleRow([1, 2], resolveSampler({ suppressTokens: [0, 1] })),
    /every token is suppressed/,
  );
});

test("sampler: temperature-scaled draws follow softmax(logits / T)", () => {
  const logits = [1, 2, 0, 3];
  for (const temperature of [0.5, 2]) {
    const s = resolveSampler({ temperature, generator: new Generator(5) });
    const draws = Array.from({ length: 20000 }, () => sampleRow(logits, s));
    const e = logits.map((z) => Math.exp(z / temperature));
    const total = e.reduce((a, b) => a + b, 0);
    const f = frequencies(draws, 4);
    for (const [j, w] of e.entries())
      assert.ok(Math.abs(f[j]! - w / total) < 0.015, `T=${temperature} id ${j}: ${f[j]} vs ${w / total}`);
  }
});

test("sampler: top-k and top-p keep the right candidate sets", () => {
  // probabilities of softmax([3, 2, 1, 0, -1]): 0.636, 0.234, 0.086, 0.032, 0.012
  const logits = [1, 3, 0, 2, -1];
  const drawn = (options: Parameters<typeof resolveSampler>[0]) => {
    const s = resolveSampler({ ...options, generator: new Generator(6) });
    return new Set(Array.from({ length: 3000 }, () => sampleRow(logits, s)));
  };
  assert.deepEqual([...drawn({ topK: 1 })], [1]);
  assert.deepEqual([...drawn({ topK: 2 })].sort(), [1, 3]);
  // nucleus 0.6: the top token alone reaches it; 0.8: two (0.870); 0.9: three (0.956)
  assert.deepEqual([...drawn({ topP: 0.6 })], [1]);
  assert.deepEqual([...drawn({ topP: 0.8 })].sort(), [1, 3]);
  assert.deepEqual([...drawn({ topP: 0.9 })].sort(), [0, 1, 3]);
  assert.deepEqual([...drawn({ topK: 2, topP: 0.99 })].sort(), [1, 3]);
  assert.equal(drawn({}).size, 5);
});

test("sampler: the repetition penalty moves the greedy choice away from seen tokens", () => {
  const logits = [2, 1.5, -1];
  const penalty = resolveSampler({ greedy: true, repetitionPenalty: 2 });
  assert.equal(sampleRow(logits, penalty, []), 0);
  assert.equal(sampleRow(logits, penalty, [0, 0]), 1); // 2 / 2 = 1 < 1.5
  assert.equal(sampleRow([-1, -1.5], penalty, [0]), 1); // -1 * 2 = -2 < -1.5
});

test("sampleLogits: one id per row from the last step; option errors name the option", () => {
  // (B=2, T=2, V=3): the last steps are [0, 0, 5] and [7, 0, 0]
  const logits = tensor([
    [
      [9, 0, 0],
      [0, 0, 5],
    ],
    [
      [0, 9, 0],
      [7, 0, 0],
    ],
  ]);
  assert.deepEqual([...sampleLogits(logits, { greedy: true })], [2, 0]);
  assert.deepEqual([...sampleLogits(tensor([[0, 4, 1]]), { greedy: true })], [1]);
  assert.throws(() => sampleLogits(tensor([1, 2])), /expected logits \(B, V\) or \(B, T, V\)/);
  assert.throws(() => resolveSampler({ temperature: -1 }), /temperature must be a finite number >= 0/);
  assert.throws(() => resolveSampler({ topK: 0 }), /topK must be a positive integer/);
  assert.throws(() => resolveSampler({ repetitionPenalty: 0 }), /repetitionPenalty must be/);
});
