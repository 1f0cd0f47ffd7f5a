// examples/movie-recommender/recommend: top-10 movie recommendations from MovieLens ratings (the
// ml-latest-small subset shipped by dslabs, movies with at least 10 ratings; see DATA-LICENSE.md).
// Each rating counts as an interaction (implicit feedback). Each user's last interaction by time is
// held out (ts.leaveLastOut); a matrix-factorisation model (user and movie embeddings joined by a
// Dot layer, plus a movie bias, through a sigmoid) learns to tell the movies a user rated from
// movies drawn at random, fresh negatives every epoch. Recommendations rank every movie the user
// has not rated; scored with ts.ml.rankingScores (NDCG@10, hit rate@10, ...) against recommending
// the most-rated movies. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/movie-recommender/recommend.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

export const K = 10;

export interface Interactions {
  /** Dense user index (0..users-1) of each interaction. */
  user: Int32Array;
  /** Dense movie index (0..movies-1). */
  item: Int32Array;
  users: number;
  movies: number;
  /** movieId of each dense movie index. */
  movieIds: number[];
}

export interface Split {
  train: Interactions;
  /** The held-out movie indices of each user (empty for users without any). */
  heldOut: number[][];
}

/**
 * Reads the ratings, maps ids to dense indices and holds out each user's last `holdOut`
 * interactions (default 1).
 */
export async function loadSplit(
  path: string,
  options: { maxUsers?: number; holdOut?: number } = {},
): Promise<Split> {
  const { maxUsers, holdOut = 1 } = options;
  let table = await ts.readCsv(path);
  if (maxUsers !== undefined) {
    const userIds = table.column("userId").numbers;
    table = table.filter((_, i) => userIds[i]! <= maxUsers);
  }
  const { train, test } = ts.leaveLastOut(table, { user: "userId", time: "timestamp", holdOut, minTrain: 5 });
  const userIndex = new Map<number, number>();
  const movieIndex = new Map<number, number>();
  const movieIds: number[] = [];
  for (const id of table.column("userId").numbers) if (!userIndex.has(id)) userIndex.set(id, userIndex.size);
  for (const id of table.column("movieId").numbers) {
    if (!movieIndex.has(id)) {
      movieIndex.set(id, movieIndex.size);
      movieIds.push(id);
    }
  }
  const dense = (t: ts.Table, name: string, index: Map<number, number>) =>
    Int32Array.from(t.column(name).numbers, (id) => index.get(id)!);
  const heldOut = Array.from({ length: userIndex.size }, (): number[] => []);
  const testUsers = dense(test, "userId", userIndex);
  const testItems = dense(test, "movieId", movieIndex);
  testUsers.forEach((u, i) => {
    heldOut[u]!.push(testItems[i]!);
  });
  return {
    train: {
      user: dense(train, "userId", userIndex),
      item: dense(train, "movieId", movieIndex),
      users: userIndex.size,
      movies: movieIndex.size,
      movieIds,
    },
    heldOut,
  };
}

/** A (B, 1) id input looked up in a table of `rows` x `dims` vectors, flattened to (B, dims). */
function lookup(ids: ts.SymbolicTensor, rows: number, dims: number, name: string, l2: number) {
  const table = ts.layers.embedding({
    inputDim: rows,
    outputDim: dims,
    name,
    ...(l2 > 0 ? { embeddingsRegularizer: ts.regularizers.l2({ l2 }) } : {}),
  });
  return ts.layers.flatten().apply(table.apply(ids));
}

/** score(u, i) = sigmoid(<user_u, movie_i> + bias_i), two int32 inputs of shape (B, 1). */
export function factorisation(users: number, movies: number, dims: number): ts.Functional {
  const user = ts.input({ shape: [1], dtype: "int32", name: "user" });
  const movie = ts.input({ shape: [1], dtype: "int32", name: "movie" });
  const u = lookup(user, users, dims, "users", 1e-6);
  const m = lookup(movie, movies, dims, "movies", 1e-6);
  const bias = lookup(movie, movies, 1, "movie_bias", 0);
  const dot = ts.layers.dot({ axes: 1 }).apply([u, m]);
  const logit = ts.layers.add().apply([dot, bias]);
  const score = ts.layers.activation({ activation: "sigmoid" }).apply(logit);
  return ts.model({ inputs: [user, movie], outputs: score });
}

/** The training interactions plus `negatives` random movies per interaction, labelled 1 and 0. */
export function withNegatives(train: Interactions, negatives: number, generator: ts.Generator) {
  const n = train.user.length;
  const total = n * (1 + negatives);
  const user = new Int32Array(total);
  const item = new Int32Array(total);
  const label = new Float32Array(total);
  user.set(train.user);
  item.set(train.item);
  label.fill(1, 0, n);
  for (let k = 0; k < negatives; k++) {
    user.set(train.user, n * (k + 1));
    for (let i = 0; i < n; i++) item[n * (k + 1) + i] = Math.floor(generator.random() * train.movies);
  }
  return {
    x: [ts.tensor(user, { shape: [total, 1] }), ts.tensor(item, { shape: [total, 1] })],
    y: ts.tensor(label, { shape: [total, 1] }),
  };
}

/** Movies each user has rated in training. */
function seenBy(train: Interactions): Set<number>[] {
  const seen = Array.from({ length: train.users }, () => new Set<number>());
  train.user.forEach((u, i) => {
    seen[u]!.add(train.item[i]!);
  });
  return seen;
}

/** Scores top-K lists (unseen movies only) against each user's held-out movies. */
function evaluate(split: Split, scoresOf: (u: number) => ArrayLike<number>): ts.ml.RankingScores {
  const seen = seenBy(split.train);
  const recommended: ts.ml.ItemId[][] = [];
  const relevant: number[][] = [];
  split.heldOut.forEach((items, u) => {
    if (items.length === 0) return;
    recommended.push(ts.ml.topKItems(scoresOf(u), K, { exclude: seen[u]! }));
    relevant.push(items);
  });
  return ts.ml.rankingScores(recommended, relevant, K);
}

/** The most-rated movies in training, for everyone. */
export function popularityScores(split: Split): ts.ml.RankingScores {
  const counts = new Float64Array(split.train.movies);
  for (const i of split.train.item) counts[i]!++;
  return evaluate(split, () => counts);
}

export interface TrainOptions {
  dims?: number;
  epochs?: number;
  negatives?: number;
  seed?: number;
}

/** Trains the factorisation model, then scores its recommendations. */
export async function factorisationScores(
  split: Split,
  options: TrainOptions = {},
): Promise<{
  scores: ts.ml.RankingScores;
  fitSeconds: number;
  losses: number[];
  topFor: (u: number) => number[];
}> {
  const seed = options.seed ?? 42;
  ts.seed(seed);
  const generator = new ts.Generator(seed);
  const { users, movies } = split.train;
  const model = factorisation(users, movies, options.dims ?? 32);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 5e-3 }), loss: "binary_crossentropy" });
  const losses: number[] = [];
  const started = performance.now();
  for (let epoch = 0; epoch < (options.epochs ?? 10); epoch++) {
    const { x, y } = withNegatives(split.train, options.negatives ?? 4, generator);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 1024, shuffle: true, verbose: 0 });
    losses.push(history.history.loss?.[0] ?? Number.NaN);
  }
  const fitSeconds = (performance.now() - started) / 1000;
  // every (user, movie) score at once from the learned tables: U M^T + bias
  const [userTable] = model.getLayer("users").getWeights();
  const [movieTable] = model.getLayer("movies").getWeights();
  const [movieBias] = model.getLayer("movie_bias").getWeights();
  const logits = ts.add(
    ts.matmul(userTable!, ts.transpose(movieTable!)),
    ts.reshape(movieBias!, [1, movies]),
  );
  const all = logits.data;
  const scores = evaluate(split, (u) => all.subarray(u * movies, (u + 1) * movies));
  const seen = seenBy(split.train);
  const topFor = (u: number) =>
    ts.ml.topKItems(all.subarray(u * movies, (u + 1) * movies), K, { exclude: seen[u]! }) as number[];
  return { scores, fitSeconds, losses, topFor };
}

function row(name: string, s: ts.ml.RankingScores): string {
  const f = (v: number) => v.toFixed(4);
  return `${name.padEnd(28)} ${f(s.ndcg)}   ${f(s.hitRate)}   ${f(s.map)}   ${f(s.precision)}`;
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const split = await loadSplit(join(here, "ratings.csv"));
  const tested = split.heldOut.filter((items) => items.length > 0).length;
  console.log(
    `backend ${ts.getBackend()}; ${split.train.users} users, ${split.train.movies} movies, ${split.train.user.length} training interactions, ${tested} held out`,
  );
  const popular = popularityScores(split);
  const mf = await factorisationScores(split);
  console.log(`training loss by epoch: ${mf.losses.map((l) => l.toFixed(4)).join(" ")}`);
  console.log(`top-${K}, each user's last movie held out: NDCG     hit rate  MAP      precision`);
  console.log(row("most-rated movies", popular));
  console.log(row("matrix factorisation (Dot)", mf.scores));
  const movies = await ts.readCsv(join(here, "movies.csv"));
  const titleOf = new Map<number, string>();
  const ids = movies.column("movieId").numbers;
  const titles = movies.column("title").toArray();
  const years = movies.column("year").numbers;
  ids.forEach((id, i) => {
    titleOf.set(id, `${titles[i]} (${years[i]})`);
  });
  const name = (i: number) => titleOf.get(split.train.movieIds[i]!) ?? String(split.train.movieIds[i]);
  console.log(`user 1's held-out movie: ${split.heldOut[0]!.map(name).join(", ")}; recommended:`);
  for (const i of mf.topFor(0)) console.log(`  ${name(i)}`);
  console.log(
    `training ${mf.fitSeconds.toFixed(1)} s; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
