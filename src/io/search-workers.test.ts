// Tests of io/search-workers and io/trial-store: trials on two worker threads (each given its
// thread budget) score exactly as inline trials, a worker's error names the trial, and the results
// file resumes a search (only missing trials run; another spec is refused).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadDataset, standardize } from "../../test/fixtures/ml/datasets.js";
import { LogisticRegression, type LogisticRegressionOptions } from "../ml/logistic-regression.js";
import { GridSearch, RandomSearch } from "../ml/search.js";
import { choice, logUniform } from "../ml/search-space.js";
import { startSearchWorkers } from "./search-workers.js";
import { openTrialStore, type SearchResultsFile } from "./trial-store.js";

const root = mkdtempSync(join(tmpdir(), "tessera-search-"));
after(() => rmSync(root, { recursive: true, force: true }));
const { x, y } = loadDataset("iris");
const xs = standardize(x);
const options = {
  estimator: (p: object) => new LogisticRegression(p as LogisticRegressionOptions),
  space: { C: logUniform(1e-3, 1e2) },
  nIter: 4,
  cv: 3,
  seed: 2,
  shuffle: true,
};

describe("search on worker threads", () => {
  it("scores every trial as the inline search does, and reports a failing trial", async () => {
    const inline = new RandomSearch(options).fit(xs, y);
    const workers = startSearchWorkers({
      workers: 2,
      estimator: "LogisticRegression",
      data: { kind: "matrix", matrix: xs },
      y,
      threadsPerWorker: 1,
    });
    try {
      assert.equal(workers.threadsPerWorker, 1);
      const parallel = await new RandomSearch(options).fitAsync(xs, y, { executor: workers });
      assert.equal(parallel.trialsRun, 12);
      assert.deepEqual(
        parallel.results.map((r) => [r.params, r.foldScores, r.rank]),
        inline.results.map((r) => [r.params, r.foldScores, r.rank]),
      );
    } finally {
      await workers.close();
    }
    // The worker builds its estimators from the registry with the fixed parameters: a bad one
    // fails there, and the error names the trial.
    const failing = startSearchWorkers({
      workers: 1,
      estimator: "LogisticRegression",
      fixed: { maxIter: 0 },
      data: { kind: "matrix", matrix: xs },
      y,
    });
    try {
      await assert.rejects(
        new GridSearch({ ...options, space: { C: choice([1]) } }).fitAsync(xs, y, { executor: failing }),
        /search trial \{"params":\{"C":1\},"resource":"all","fold":0\} failed in a worker: ValueError: .*maxIter/,
      );
    } finally {
      await failing.close();
    }
  });
});

describe("results file", () => {
  it("resumes the finished trials of the same spec and refuses another spec", async () => {
    const path = join(root, "trials.json");
    const spec = { search: "random", seed: 2 };
    const store = await openTrialStore(path, spec);
    const first = await new RandomSearch(options).fitAsync(xs, y, { store });
    const file = JSON.parse(readFileSync(path, "utf8")) as SearchResultsFile;
    assert.equal(file.format, "tessera-search-results");
    assert.equal(Object.keys(file.trials).length, 12);
    // A run stopped after 8 trials left this file behind.
    const kept = Object.fromEntries(Object.entries(file.trials).slice(0, 8));
    writeFileSync(path, JSON.stringify({ ...file, trials: kept }));
    const reopened = await openTrialStore(path, spec, { resume: true });
    assert.equal(reopened.resumed, 8);
    const resumed = await new RandomSearch(options).fitAsync(xs, y, { store: reopened });
    assert.equal(resumed.trialsRun, 4);
    assert.deepEqual(
      resumed.results.map((r) => [r.params, r.foldScores, r.rank]),
      first.results.map((r) => [r.params, r.foldScores, r.rank]),
    );
    const after = JSON.parse(readFileSync(path, "utf8")) as SearchResultsFile;
    assert.equal(Object.keys(after.trials).length, 12);
    await assert.rejects(
      openTrialStore(path, { ...spec, seed: 3 }, { resume: true }),
      /was written by a different search \(spec or data changed\); delete it or run without --resume/,
    );
    // Without resume the earlier trials are not used.
    assert.equal((await openTrialStore(path, spec)).resumed, 0);
  });
});
