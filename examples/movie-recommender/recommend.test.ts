// The recommender example at reduced size: 3 epochs with one negative per rating and 16-dimensional
// embeddings (the full run: 10 epochs, 4 negatives, 32 dimensions), and each user's last 3 movies
// held out instead of 1 (three times the hits to count, so the comparison is less noisy). The
// factorisation must beat recommending the most-rated movies.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";
import {
  factorisation,
  factorisationScores,
  loadSplit,
  popularityScores,
  withNegatives,
} from "./recommend.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "ratings.csv");

test("loadSplit holds out each user's last ratings by time", async () => {
  const split = await loadSplit(csv, { holdOut: 3 });
  assert.equal(split.train.users, 671);
  assert.equal(split.train.movies, 2245);
  assert.equal(split.train.user.length, 81915 - 3 * 671);
  assert.ok(split.heldOut.every((items) => items.length === 3));
  // user 1 (index 0): no training rating is later than a held-out one
  const table = (await ts.readCsv(csv)).filter((row) => row.userId === 1);
  const movies = table.column("movieId").numbers;
  const times = table.column("timestamp").numbers;
  const timeOf = new Map(Array.from(movies, (m, i) => [m, times[i]!]));
  const heldTimes = split.heldOut[0]!.map((i) => timeOf.get(split.train.movieIds[i]!)!);
  const trainTimes = Array.from(movies)
    .filter((m) => !split.heldOut[0]!.some((i) => split.train.movieIds[i] === m))
    .map((m) => timeOf.get(m)!);
  assert.equal(trainTimes.length, table.numRows - 3);
  assert.ok(Math.min(...heldTimes) >= Math.max(...trainTimes));
});

test("withNegatives labels the ratings 1 and random movies 0; the model scores in (0, 1)", () => {
  const train = { user: Int32Array.of(0, 1), item: Int32Array.of(2, 3), users: 2, movies: 5, movieIds: [] };
  const { x, y } = withNegatives(train, 2, new ts.Generator(1));
  assert.deepEqual([...x[0]!.shape], [6, 1]);
  assert.deepEqual(Array.from(x[0]!.data), [0, 1, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(y.data), [1, 1, 0, 0, 0, 0]);
  assert.ok(Array.from(x[1]!.data).every((i) => i >= 0 && i < 5));
  const model = factorisation(2, 5, 4);
  // users 2x4, movies 5x4, movie bias 5x1
  assert.equal(model.countParams(), 8 + 20 + 5);
  const p = model.predict(x, { verbose: 0 }).data;
  assert.ok(Array.from(p).every((v) => v > 0 && v < 1));
});

test("matrix factorisation beats the most-rated movies at top 10", async () => {
  const split = await loadSplit(csv, { holdOut: 3 });
  const popular = popularityScores(split);
  const { scores } = await factorisationScores(split, { epochs: 3, negatives: 1, dims: 16 });
  assert.equal(scores.users, 671);
  assert.ok(scores.hitRate >= 1.15 * popular.hitRate, `hit rate ${scores.hitRate} vs ${popular.hitRate}`);
  assert.ok(scores.ndcg > popular.ndcg, `NDCG ${scores.ndcg} vs ${popular.ndcg}`);
});
