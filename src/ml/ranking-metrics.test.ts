// Ranking metrics. NDCG values are scikit-learn 1.2.1's ndcg_score (y_true = gains, y_score =
// 8 - rank) and MAP@8 its average_precision_score on the same full rankings; precision, recall,
// hit rate and MAP@3 are counted by hand in the comments.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  hitRateAtK,
  mapAtK,
  ndcgAtK,
  precisionAtK,
  rankingScores,
  recallAtK,
  topKItems,
} from "./ranking-metrics.js";

const recommended = [
  [3, 1, 7, 0, 5, 2, 4, 6],
  [2, 5, 1, 0, 3, 4, 6, 7],
  [0, 1, 2],
];
// the third user has nothing relevant and is skipped
const relevant = [new Set([1, 0, 6]), new Set([5, 0, 7]), new Set<number>()];
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test("precision, recall, hit rate and MAP at 3", () => {
  // both users: one hit, at rank 2, among 3 relevant items -> P 1/3, R 1/3, AP@3 (1/2) / 3
  near(precisionAtK(recommended, relevant, 3), 1 / 3);
  near(recallAtK(recommended, relevant, 3), 1 / 3);
  assert.equal(hitRateAtK(recommended, relevant, 3), 1);
  near(mapAtK(recommended, relevant, 3), 1 / 6);
  assert.equal(hitRateAtK(recommended, relevant, 1), 0);
  assert.equal(rankingScores(recommended, relevant, 3).users, 2);
});

test("NDCG and MAP match scikit-learn", () => {
  near(ndcgAtK(recommended, relevant, 3), 0.2960819109658652);
  near(ndcgAtK(recommended, relevant, 8), 0.6462302129493455);
  near(mapAtK(recommended, relevant, 8), 0.4583333333333333);
  // graded gains for the second user: 5 -> 3, 0 -> 1, 7 -> 2
  const graded = [
    relevant[0]!,
    new Map([
      [5, 3],
      [0, 1],
      [7, 2],
    ]),
    relevant[2]!,
  ];
  near(ndcgAtK(recommended, graded, 3), (0.2960819109658652 + 0.3974895222916885) / 2);
  near(ndcgAtK(recommended, graded, 8), (0.6462302129493455 + 0.6204289664421118) / 2);
  // a perfect ranking scores 1
  near(
    ndcgAtK(
      [[5, 7, 0, 1]],
      [
        new Map([
          [5, 3],
          [0, 1],
          [7, 2],
        ]),
      ],
      3,
    ),
    1,
  );
});

test("topKItems ranks scores, skips seen items and maps ids; errors", () => {
  assert.deepEqual(topKItems([0.1, 0.9, 0.5, 0.9], 3), [1, 3, 2]);
  assert.deepEqual(topKItems([Number.NaN, 0.2, 0.1], 3), [1, 2]);
  assert.deepEqual(topKItems([0.1, 0.9, 0.5, 0.9], 2, { exclude: [1] }), [3, 2]);
  assert.deepEqual(topKItems([0.1, 0.9, 0.5], 2, { ids: ["a", "b", "c"], exclude: ["b"] }), ["c", "a"]);
  assert.throws(() => precisionAtK([[1]], [new Set([1])], 0), /k must be a positive integer/);
  assert.throws(() => precisionAtK([[1]], [], 1), /1 recommendation lists for 0 users/);
  assert.throws(() => precisionAtK([[1, 1]], [new Set([1])], 2), /repeats an item/);
  assert.throws(() => precisionAtK([[1]], [new Set<number>()], 1), /no user has a relevant item/);
});
