import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Generator, tensor } from "../../index.js";
import { Table } from "../table/table.js";
import type { RowTakeable } from "./indexable.js";
import { stratifiedAllocation, trainTestSplit, trainValTestSplit } from "./train-test-split.js";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const sorted = (a: readonly number[]) => [...a].sort((p, q) => p - q);

/** A tiny row store with numRows/take, standing in for any table-like type. */
class Rows implements RowTakeable {
  constructor(readonly values: string[]) {}
  get numRows(): number {
    return this.values.length;
  }
  take(indices: readonly number[]): Rows {
    return new Rows(indices.map((i) => this.values[i]!));
  }
}

test("trainTestSplit resolves sizes like sklearn (test fraction rounds up, train down)", () => {
  const x = range(0, 10);
  assert.equal(trainTestSplit([x], { seed: 0 }).test[0].length, 3); // default 0.25 -> ceil(2.5)
  const a = trainTestSplit([x], { testSize: 0.25, seed: 0 });
  assert.deepEqual([a.trainIndices.length, a.testIndices.length], [7, 3]);
  const b = trainTestSplit([x], { trainSize: 0.55, seed: 0 });
  assert.deepEqual([b.trainIndices.length, b.testIndices.length], [5, 5]); // floor(5.5) = 5
  const c = trainTestSplit([x], { testSize: 4, trainSize: 3, seed: 0 });
  assert.deepEqual([c.trainIndices.length, c.testIndices.length], [3, 4]);
  assert.throws(
    () => trainTestSplit([x], { testSize: 6, trainSize: 6 }),
    /add up to 12, more than the 10 samples/,
  );
  assert.throws(
    () => trainTestSplit([x], { testSize: 1.5 }),
    /testSize must be a fraction in \(0, 1\) or a whole count/,
  );
  assert.throws(() => trainTestSplit([x, [1, 2]]), /same number of rows \(got 10 and 2 at 1\)/);
});

test("trainTestSplit takes the same rows from tensors, arrays, typed arrays and tables", () => {
  const n = 12;
  const x = tensor(range(0, n).map((i) => [2 * i, 2 * i + 1]));
  const y = range(0, n).map((i) => `label${i}`);
  const w = Float64Array.from(range(0, n), (i) => i / 2);
  const t = new Rows(range(0, n).map((i) => `row${i}`));
  const split = trainTestSplit([x, y, w, t], { testSize: 0.25, seed: 11 });
  const [xTest, yTest, wTest, tTest] = split.test;
  assert.deepEqual(xTest.shape, [3, 2]);
  assert.deepEqual(
    xTest.toArray(),
    split.testIndices.map((i) => [2 * i, 2 * i + 1]),
  );
  assert.deepEqual(
    yTest,
    split.testIndices.map((i) => `label${i}`),
  );
  assert.ok(wTest instanceof Float64Array);
  assert.deepEqual(
    Array.from(wTest),
    split.testIndices.map((i) => i / 2),
  );
  assert.deepEqual(
    tTest.values,
    split.testIndices.map((i) => `row${i}`),
  );
  assert.deepEqual(
    split.train[1],
    split.trainIndices.map((i) => `label${i}`),
  );
  assert.deepEqual(sorted([...split.trainIndices, ...split.testIndices]), range(0, n));
});

test("trainTestSplit is seeded and shuffle: false keeps order", () => {
  const x = range(0, 50);
  const a = trainTestSplit([x], { seed: 3 });
  assert.deepEqual(a.testIndices, trainTestSplit([x], { seed: 3 }).testIndices);
  assert.notDeepEqual(a.testIndices, trainTestSplit([x], { seed: 4 }).testIndices);
  assert.deepEqual(trainTestSplit([x], { seed: 3, generator: new Generator(99) }).testIndices, a.testIndices);
  const g1 = new Generator(8);
  const g2 = new Generator(8);
  assert.deepEqual(
    trainTestSplit([x], { generator: g1 }).testIndices,
    trainTestSplit([x], { generator: g2 }).testIndices,
  );
  const plain = trainTestSplit([range(0, 10)], { shuffle: false, testSize: 3 });
  assert.deepEqual(plain.train[0], range(0, 7));
  assert.deepEqual(plain.test[0], [7, 8, 9]);
  assert.throws(
    () => trainTestSplit([x], { shuffle: false, stratify: x }),
    /stratified splitting needs shuffle: true/,
  );
});

test("stratified trainTestSplit keeps each class within one sample of its exact share", () => {
  const g = new Generator(1);
  for (let trial = 0; trial < 30; trial++) {
    const n = 20 + g.int(0, 200);
    const nClasses = 2 + g.int(0, 5);
    const labels = range(0, n).map((i) => (i < 2 * nClasses ? i % nClasses : g.int(0, nClasses)));
    const counts = new Array<number>(nClasses).fill(0);
    for (const l of labels) counts[l]! += 1;
    const testSize = 0.1 + 0.5 * g.random();
    const split = trainTestSplit([labels], { testSize, stratify: labels, seed: trial });
    const nTest = split.testIndices.length;
    assert.equal(nTest, Math.ceil(testSize * n));
    for (let k = 0; k < nClasses; k++) {
      const inTest = split.test[0].filter((l) => l === k).length;
      const inTrain = split.train[0].filter((l) => l === k).length;
      assert.equal(inTest + inTrain, counts[k]);
      assert.ok(Math.abs(inTest - (counts[k]! * nTest) / n) < 1, `class ${k}: ${inTest} of ${counts[k]}`);
    }
  }
  assert.throws(
    () => trainTestSplit([range(0, 5)], { stratify: [0, 0, 0, 0, 1] }),
    /least populated class has only 1 member/,
  );
});

test("stratifiedAllocation rounds every cell to floor or ceil with exact row and column sums", () => {
  const g = new Generator(2);
  for (let trial = 0; trial < 200; trial++) {
    const counts = range(0, 1 + g.int(0, 8)).map(() => 1 + g.int(0, 40));
    const total = counts.reduce((a, b) => a + b, 0);
    const cuts = sorted(range(0, 1 + g.int(0, 4)).map(() => g.int(0, total + 1)));
    const sizes = [...cuts, total].map((c, i) => c - (i === 0 ? 0 : cuts[i - 1]!));
    const a = stratifiedAllocation(counts, sizes, g);
    counts.forEach((c, k) => {
      assert.equal(
        a[k]!.reduce((p, q) => p + q, 0),
        c,
      );
      sizes.forEach((s, j) => {
        const exact = (c * s) / total;
        assert.ok(a[k]![j] === Math.floor(exact) || a[k]![j] === Math.ceil(exact), `${a[k]![j]} vs ${exact}`);
      });
    });
    sizes.forEach((s, j) => {
      assert.equal(
        a.reduce((p, row) => p + row[j]!, 0),
        s,
      );
    });
  }
});

test("trainValTestSplit: three disjoint splits, sizes and defaults", () => {
  const x = range(0, 100);
  const s = trainValTestSplit([x], { seed: 0 });
  assert.deepEqual([s.train[0].length, s.val[0].length, s.test[0].length], [70, 15, 15]);
  assert.deepEqual(sorted([...s.train[0], ...s.val[0], ...s.test[0]]), x);
  const t = trainValTestSplit([x], { trainSize: 0.6, valSize: 0.25, seed: 0 });
  assert.deepEqual([t.train[0].length, t.val[0].length, t.test[0].length], [60, 25, 15]);
  const u = trainValTestSplit([range(0, 10)], { shuffle: false, valSize: 2, testSize: 3 });
  assert.deepEqual([u.train[0], u.val[0], u.test[0]], [range(0, 5), [5, 6], [7, 8, 9]]);
  assert.throws(
    () => trainValTestSplit([x], { valSize: 0.5, testSize: 0.5, trainSize: 0.2 }),
    /add up to 120/,
  );
});

test("seattle-weather: a stratified split keeps the rare classes' proportions within one sample", () => {
  const lines = readFileSync(new URL("../../../datasets/seattle-weather.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const header = lines[0]!.split(",");
  const column = header.indexOf("weather");
  const weather = lines.slice(1).map((l) => l.split(",")[column]!.trim());
  assert.equal(weather.length, 1461);
  const total: Record<string, number> = {};
  for (const w of weather) total[w] = (total[w] ?? 0) + 1;
  // The rare classes this test is about (counted from the file itself).
  assert.ok(total.snow! < 30 && total.drizzle! < 60);
  const n = weather.length;
  const split = trainValTestSplit([weather], {
    valSize: 0.15,
    testSize: 0.15,
    stratify: weather,
    seed: 2024,
  });
  for (const [name, part] of [
    ["train", split.train[0]],
    ["val", split.val[0]],
    ["test", split.test[0]],
  ] as const) {
    for (const [cls, count] of Object.entries(total)) {
      const got = part.filter((w) => w === cls).length;
      const exact = (count * part.length) / n;
      assert.ok(Math.abs(got - exact) < 1, `${name}/${cls}: ${got} vs exact ${exact.toFixed(2)}`);
    }
  }
  const two = trainTestSplit([weather], { testSize: 0.2, stratify: weather, seed: 7 });
  for (const [cls, count] of Object.entries(total)) {
    const got = two.test[0].filter((w) => w === cls).length;
    assert.ok(Math.abs(got - (count * two.testIndices.length) / n) < 1, `${cls}: ${got}`);
  }
});

test("trainTestSplit takes the matching rows of a Table", () => {
  const table = Table.fromColumns({ id: range(0, 20), name: range(0, 20).map((i) => `n${i}`) });
  const y = range(0, 20).map((i) => i % 2);
  const {
    train,
    test: testPart,
    trainIndices,
  } = trainTestSplit([table, y], { testSize: 0.2, stratify: y, seed: 5 });
  assert.ok(train[0] instanceof Table);
  assert.equal(testPart[0].numRows, 4);
  assert.deepEqual(train[0].column("id").toArray(), trainIndices);
  assert.deepEqual(
    train[0].column("name").toArray(),
    trainIndices.map((i) => `n${i}`),
  );
  assert.deepEqual(testPart[1].filter((v) => v === 1).length, 2);
});
