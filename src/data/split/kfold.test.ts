import assert from "node:assert/strict";
import { test } from "node:test";
import { tensor } from "../../index.js";
import { groupKFold, kFold, stratifiedKFold, timeSeriesSplit } from "./kfold.js";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function assertPartition(folds: [number[], number[]][], n: number): void {
  const seenInTest = new Array<number>(n).fill(0);
  for (const [train, test] of folds) {
    assert.deepEqual(
      [...train, ...test].sort((a, b) => a - b),
      range(0, n),
      "train + test covers every row once",
    );
    for (const i of test) seenInTest[i]! += 1;
    assert.deepEqual(
      train,
      [...train].sort((a, b) => a - b),
      "train sorted",
    );
    assert.deepEqual(
      test,
      [...test].sort((a, b) => a - b),
      "test sorted",
    );
  }
  assert.deepEqual(seenInTest, new Array<number>(n).fill(1), "each row is tested exactly once");
}

test("kFold cuts consecutive folds, the first n % k one larger (sklearn KFold)", () => {
  const folds = kFold(10, { nSplits: 3 });
  assert.deepEqual(
    folds.map(([, t]) => t),
    [range(0, 4), range(4, 7), range(7, 10)],
  );
  assert.deepEqual(folds[1]![0], [0, 1, 2, 3, 7, 8, 9]);
  assertPartition(folds, 10);
  // A tensor's rows are counted the same way.
  assert.deepEqual(
    kFold(tensor([[1], [2], [3], [4]]), { nSplits: 2 }).map(([, t]) => t),
    [
      [0, 1],
      [2, 3],
    ],
  );
});

test("kFold with shuffle is a seeded partition with the same fold sizes", () => {
  const a = kFold(23, { nSplits: 4, shuffle: true, seed: 5 });
  const b = kFold(23, { nSplits: 4, shuffle: true, seed: 5 });
  const c = kFold(23, { nSplits: 4, shuffle: true, seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(
    a.map(([, t]) => t.length),
    [6, 6, 6, 5],
  );
  assert.notDeepEqual(a[0]![1], range(0, 6));
  assertPartition(a, 23);
});

test("kFold rejects bad fold counts", () => {
  assert.throws(() => kFold(10, { nSplits: 1 }), /kFold: nSplits must be an integer >= 2 \(got 1\)/);
  assert.throws(() => kFold(3, { nSplits: 4 }), /kFold: nSplits = 4 is more than the 3 samples/);
});

test("stratifiedKFold matches sklearn's documented example and a hand-worked allocation", () => {
  // sklearn docs: y = [0, 0, 1, 1], 2 splits -> test [0, 2] then [1, 3].
  assert.deepEqual(
    stratifiedKFold([0, 0, 1, 1], { nSplits: 2 }).map(([, t]) => t),
    [
      [0, 2],
      [1, 3],
    ],
  );
  // y = 5 x "a", 3 x "b", 3 splits. Round robin over sorted labels gives class a 2/2/1 and class b
  // 1/1/1 per fold; each class is assigned in blocks in data order.
  const y = ["a", "a", "a", "a", "a", "b", "b", "b"];
  const folds = stratifiedKFold(y, { nSplits: 3 });
  assert.deepEqual(
    folds.map(([, t]) => t),
    [
      [0, 1, 5],
      [2, 3, 6],
      [4, 7],
    ],
  );
  assertPartition(folds, 8);
  // Class identity, not label value, decides: relabelling does not change the folds (sklearn note).
  assert.deepEqual(stratifiedKFold(["z", "z", "z", "z", "z", "c", "c", "c"], { nSplits: 3 }), folds);
});

test("stratifiedKFold keeps every class within one sample of its share in each fold", () => {
  const labels = Array.from({ length: 97 }, (_, i) =>
    i % 7 === 0 ? "rare" : i % 3 === 0 ? "mid" : "common",
  );
  const total = { rare: 0, mid: 0, common: 0 } as Record<string, number>;
  for (const l of labels) total[l]! += 1;
  for (const shuffle of [false, true]) {
    const folds = stratifiedKFold(labels, { nSplits: 5, shuffle, seed: 3 });
    assertPartition(folds, 97);
    for (const [, testIdx] of folds) {
      for (const cls of Object.keys(total)) {
        const count = testIdx.filter((i) => labels[i] === cls).length;
        assert.ok(Math.abs(count - total[cls]! / 5) < 1, `${cls}: ${count} vs ${total[cls]! / 5}`);
      }
    }
  }
  assert.throws(
    () => stratifiedKFold([0, 0, 1], { nSplits: 3 }),
    /greater than the number of members in every class/,
  );
});

test("groupKFold never splits a group and follows sklearn's largest-first balancing", () => {
  // sklearn docs: groups [0, 0, 2, 2, 3, 3], 2 splits -> test [0, 1, 4, 5] then [2, 3].
  assert.deepEqual(
    groupKFold([0, 0, 2, 2, 3, 3], { nSplits: 2 }).map(([, t]) => t),
    [
      [0, 1, 4, 5],
      [2, 3],
    ],
  );
  // Group sizes a:4, b:3, c:2, d:1 into 2 folds: a -> f0, b -> f1, c -> f1 (3 < 4), d -> f0 (4 < 5).
  const groups = ["a", "b", "a", "c", "b", "a", "d", "b", "c", "a"];
  const folds = groupKFold(groups, { nSplits: 2 });
  assert.deepEqual(
    folds.map(([, t]) => t),
    [
      [0, 2, 5, 6, 9],
      [1, 3, 4, 7, 8],
    ],
  );
  assertPartition(folds, 10);
  for (const [train, test] of folds) {
    const trainGroups = new Set(train.map((i) => groups[i]));
    for (const i of test) assert.ok(!trainGroups.has(groups[i]));
  }
  assert.throws(() => groupKFold(["a", "b"], { nSplits: 3 }), /nSplits = 3 is more than the 2 groups/);
});

test("timeSeriesSplit: expanding windows, test size, gap and max train size (sklearn docs)", () => {
  assert.deepEqual(timeSeriesSplit(6, { nSplits: 5 }), [
    [[0], [1]],
    [[0, 1], [2]],
    [[0, 1, 2], [3]],
    [[0, 1, 2, 3], [4]],
    [[0, 1, 2, 3, 4], [5]],
  ]);
  assert.deepEqual(timeSeriesSplit(12, { nSplits: 3, testSize: 2, gap: 2 }), [
    [range(0, 4), [6, 7]],
    [range(0, 6), [8, 9]],
    [range(0, 8), [10, 11]],
  ]);
  assert.deepEqual(timeSeriesSplit(10, { nSplits: 3, maxTrainSize: 3 }), [
    [
      [1, 2, 3],
      [4, 5],
    ],
    [
      [3, 4, 5],
      [6, 7],
    ],
    [
      [5, 6, 7],
      [8, 9],
    ],
  ]);
  assert.throws(() => timeSeriesSplit(5, { nSplits: 5 }), /nSplits \+ 1 = 6 is more than the 5 samples/);
  assert.throws(() => timeSeriesSplit(10, { nSplits: 3, testSize: 3, gap: 1 }), /too many splits/);
});
