// bench/ml: fit time of KMeans, PCA, LogisticRegression and HistGradientBoostingClassifier on the
// largest shipped data set they parity-test on (digits, 1797 x 64), next to scikit-learn's time for
// the same fits measured in the same run (bench/ml-sklearn.py, when /usr/bin/python3 has sklearn).
// scikit-learn gets OMP_NUM_THREADS = TESSERA_NUM_THREADS when set, else the cores Node sees
// (BENCH_SKLEARN_THREADS overrides), since an unset OpenMP count on a shared box oversubscribes it.
// Single-threaded comparison: TESSERA_NUM_THREADS=1 npx tsx bench/ml.bench.ts. BENCH_ROUNDS (default
// 3) rounds alternate the sides; in each, each side fits once untimed (JIT warm-up / first-call
// costs), then times BENCH_REPEATS fits (default 5); each side reports its best. The load average is
// printed before and after, since a shared machine's noise swamps small ratios.
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { getBackend } from "../src/backend/registry.js";
import { HistGradientBoostingClassifier } from "../src/ml/hist-gradient-boosting-classifier.js";
import { KMeans } from "../src/ml/kmeans.js";
import { LogisticRegression } from "../src/ml/logistic-regression.js";
import { PCA } from "../src/ml/pca.js";
import { loadDataset, splitMatrix, splitRows, standardize } from "../test/fixtures/ml/datasets.js";

function bestOf(fn: () => unknown, repeats: number): number {
  fn(); // warm-up, untimed
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

function sklearnTimes(repeats: number): Record<string, number> | string {
  const threads =
    process.env.BENCH_SKLEARN_THREADS ?? process.env.TESSERA_NUM_THREADS ?? String(availableParallelism());
  const script = fileURLToPath(new URL("./ml-sklearn.py", import.meta.url));
  const run = spawnSync("/usr/bin/python3", [script, "digits", String(repeats)], {
    encoding: "utf8",
    env: {
      ...process.env,
      OMP_NUM_THREADS: threads,
      OPENBLAS_NUM_THREADS: threads,
      MKL_NUM_THREADS: threads,
    },
  });
  if (run.status !== 0)
    return `scikit-learn not run: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}`;
  return JSON.parse(run.stdout) as Record<string, number>;
}

export function main(): void {
  const repeats = Number(process.env.BENCH_REPEATS ?? "5");
  const load = () =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(" ");
  const loadBefore = load();
  // Boosting fits take seconds each: at most 2 timed ones a round (the same on scikit-learn's side).
  const boostingRepeats = Math.min(repeats, 2);
  const { x, y } = loadDataset("digits");
  const xs = standardize(x);
  const { train } = splitMatrix(x);
  const labels = splitRows(y);
  const fits: Record<string, [() => unknown, number]> = {
    KMeans: [() => new KMeans({ nClusters: 10, nInit: 10, seed: 0 }).fit(x), repeats],
    PCA: [() => new PCA({ nComponents: 10 }).fit(x), repeats],
    LogisticRegression: [() => new LogisticRegression({ C: 0.1, maxIter: 1000 }).fit(xs, y), repeats],
    HistGradientBoostingClassifier: [
      () => new HistGradientBoostingClassifier({ earlyStopping: false }).fit(train, labels.train),
      boostingRepeats,
    ],
  };
  // Rounds alternate the two sides, so a burst of load on the shared box falls on both; each side
  // keeps its best time over all rounds.
  const rounds = Number(process.env.BENCH_ROUNDS ?? "3");
  const ours: Record<string, number> = {};
  let theirs: Record<string, number> | string = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, [fit, times]] of Object.entries(fits))
      ours[name] = Math.min(ours[name] ?? Number.POSITIVE_INFINITY, bestOf(fit, times));
    const measured = sklearnTimes(repeats);
    if (typeof measured === "string") theirs = measured;
    else if (typeof theirs !== "string")
      for (const [name, seconds] of Object.entries(measured))
        theirs[name] = Math.min(theirs[name] ?? Number.POSITIVE_INFINITY, seconds);
  }
  console.log(
    `digits ${x.rows} x ${x.cols}, Tessera backend ${getBackend()} (TESSERA_NUM_THREADS=${process.env.TESSERA_NUM_THREADS ?? "unset"}), best of ${rounds} rounds x ${repeats} fits after a warm-up each (boosting: ${boostingRepeats} fits)`,
  );
  console.log(`load average before: ${loadBefore}; after: ${load()} (${availableParallelism()} cores)`);
  console.log("estimator                        tessera s   sklearn s   tessera/sklearn");
  for (const [name, seconds] of Object.entries(ours)) {
    const other = typeof theirs === "string" ? undefined : theirs[name];
    const ratio = other === undefined ? "-" : (seconds / other).toFixed(2);
    console.log(
      `${name.padEnd(32)} ${seconds.toFixed(3).padStart(9)}   ${other === undefined ? "-".padStart(9) : other.toFixed(3).padStart(9)}   ${ratio.padStart(15)}`,
    );
  }
  if (typeof theirs === "string") console.log(theirs);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
