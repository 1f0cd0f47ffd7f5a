import assert from "node:assert/strict";
import { test } from "node:test";
import { type Tensor, tensor } from "../../index.js";
import { Table } from "../table/table.js";
import { Dataset } from "./dataset.js";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

test("fromArrays yields rows in order: tensors, arrays, typed arrays, x/y pairs and named sources", async () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const rows = await Dataset.fromArrays(x).toArray();
  assert.deepEqual(
    rows.map((r) => [r.shape, r.toArray()]),
    [
      [[2], [1, 2]],
      [[2], [3, 4]],
      [[2], [5, 6]],
    ],
  );
  assert.deepEqual(await Dataset.fromArrays(Int32Array.of(7, 8)).toArray(), [7, 8]);
  const pairs = await Dataset.fromArrays(x, ["a", "b", "c"]).toArray();
  assert.deepEqual(
    pairs.map((p) => [p.x.toArray(), p.y]),
    [
      [[1, 2], "a"],
      [[3, 4], "b"],
      [[5, 6], "c"],
    ],
  );
  const named = await Dataset.fromArrays({ id: [10, 11, 12], v: tensor([0.5, 1.5, 2.5]) }).toArray();
  assert.deepEqual(
    named.map((r) => [r.id, r.v.item()]),
    [
      [10, 0.5],
      [11, 1.5],
      [12, 2.5],
    ],
  );
  assert.throws(() => Dataset.fromArrays(x, [1, 2]), /same number of rows \(x: 3, y: 2\)/);
});

test("batch stacks tensors, numbers, strings, tuples and objects, and handles the remainder", async () => {
  const n = 10;
  const x = tensor(range(0, n).map((i) => [i, -i]));
  const y = range(0, n).map((i) => i * 10);
  const batches = await Dataset.fromArrays(x, y).batch(4).toArray();
  assert.deepEqual(
    batches.map((b) => b.x.shape),
    [
      [4, 2],
      [4, 2],
      [2, 2],
    ],
  );
  assert.deepEqual(batches[2]!.x.toArray(), [
    [8, -8],
    [9, -9],
  ]);
  assert.equal(batches[0]!.y.dtype, "float32");
  assert.deepEqual(batches[1]!.y.toArray(), [40, 50, 60, 70]);
  const dropped = await Dataset.fromArrays(x, y).batch(4, { dropRemainder: true }).toArray();
  assert.deepEqual(
    dropped.map((b) => b.x.shape[0]),
    [4, 4],
  );
  const exact = await Dataset.fromArrays(y).batch(5, { dropRemainder: true }).toArray();
  assert.equal(exact.length, 2);

  const tuples = await Dataset.fromGenerator(() =>
    range(0, 3).map((i) => [tensor([i, i]), i % 2 === 0, `s${i}`] as const),
  )
    .batch(3)
    .toArray();
  const [tx, flags, names] = tuples[0]!;
  assert.deepEqual(tx.toArray(), [
    [0, 0],
    [1, 1],
    [2, 2],
  ]);
  assert.equal(flags.dtype, "bool");
  assert.deepEqual(flags.toArray(), [true, false, true]);
  assert.deepEqual(names, ["s0", "s1", "s2"]);

  const ragged = Dataset.fromGenerator(() => [tensor([1, 2]), tensor([1, 2, 3])]).batch(2);
  await assert.rejects(ragged.toArray(), /batch: element 1 is float32 \[3\] but element 0 is float32 \[2\]/);
  const mixed = Dataset.fromGenerator<unknown>(() => [{ a: 1 }, { b: 1 }]).batch(2);
  await assert.rejects(mixed.toArray(), /should be an object with keys a/);
});

test("shuffle is a seeded permutation, bounded by its buffer, reshuffled per pass", async () => {
  const n = 50;
  const base = Dataset.fromArrays(range(0, n));
  const a = await base.shuffle(10, { seed: 7 }).toArray();
  const b = await base.shuffle(10, { seed: 7 }).toArray();
  const c = await base.shuffle(10, { seed: 8 }).toArray();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(
    [...a].sort((p, q) => p - q),
    range(0, n),
  );
  assert.notDeepEqual(a, range(0, n));
  // When output p is produced only the first p + 10 inputs have been read.
  a.forEach((v, p) => {
    assert.ok(v <= p + 10, `position ${p} holds ${v}`);
  });
  assert.deepEqual(await base.shuffle(1, { seed: 1 }).toArray(), range(0, n));

  const twoPasses = base.shuffle(100, { seed: 3 });
  const first = await twoPasses.toArray();
  const second = await twoPasses.toArray();
  assert.notDeepEqual(first, second);
  const again = base.shuffle(100, { seed: 3 });
  assert.deepEqual([await again.toArray(), await again.toArray()], [first, second]);
  const fixed = base.shuffle(100, { seed: 3, reshuffleEachIteration: false });
  assert.deepEqual(await fixed.toArray(), await fixed.toArray());
});

test("repeat, take, skip, map and filter compose in order", async () => {
  const base = Dataset.fromArrays([0, 1, 2, 3]);
  assert.deepEqual(await base.repeat(3).toArray(), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
  assert.deepEqual(await base.repeat().take(6).toArray(), [0, 1, 2, 3, 0, 1]);
  assert.deepEqual(await base.repeat(0).toArray(), []);
  assert.deepEqual(await base.skip(1).take(2).toArray(), [1, 2]);
  assert.deepEqual(await base.skip(9).toArray(), []);
  assert.deepEqual(await base.take(0).toArray(), []);
  assert.deepEqual(await Dataset.fromArrays([]).repeat().take(3).toArray(), []);
  const mapped = base.map(async (v, i) => ({ v: v * v, i })).filter((e) => e.v % 2 === 0);
  assert.deepEqual(await mapped.toArray(), [
    { v: 0, i: 0 },
    { v: 4, i: 2 },
  ]);
  assert.throws(() => base.take(-1), /take: count must be a whole number/);
  assert.throws(() => base.batch(0), /batch: size must be a positive integer/);
});

test("take stops pulling from its source", async () => {
  let produced = 0;
  const ds = Dataset.fromGenerator(function* () {
    for (let i = 0; ; i++) {
      produced++;
      yield i;
    }
  });
  assert.deepEqual(await ds.take(5).toArray(), [0, 1, 2, 3, 4]);
  assert.equal(produced, 5);
});

test("prefetch keeps order and reads a bounded number of elements ahead", async () => {
  let produced = 0;
  const source = Dataset.fromGenerator(async function* () {
    for (let i = 0; i < 100; i++) {
      produced++;
      yield i;
    }
  });
  let consumed = 0;
  let maxAhead = 0;
  const seen: number[] = [];
  for await (const v of source.prefetch(3)) {
    consumed++;
    seen.push(v);
    await new Promise((resolve) => setImmediate(resolve));
    maxAhead = Math.max(maxAhead, produced - consumed);
  }
  assert.deepEqual(seen, range(0, 100));
  assert.ok(maxAhead >= 1, "prefetch did read ahead");
  assert.ok(maxAhead <= 3, `read ${maxAhead} ahead with prefetch(3)`);
  const failing = Dataset.fromGenerator(async function* () {
    yield 1;
    throw new Error("source broke");
  });
  await assert.rejects(failing.prefetch(4).toArray(), /source broke/);
});

test("cache replays the first complete pass without reading the source again", async () => {
  let opened = 0;
  const ds = Dataset.fromGenerator(() => {
    opened++;
    return [1, 2, 3];
  })
    .map((v) => v * 2)
    .cache();
  assert.deepEqual(await ds.take(1).toArray(), [2]);
  assert.equal(opened, 1);
  assert.deepEqual(await ds.toArray(), [2, 4, 6]); // the partial pass was not kept
  assert.equal(opened, 2);
  assert.deepEqual(await ds.toArray(), [2, 4, 6]);
  assert.deepEqual(await ds.repeat(2).toArray(), [2, 4, 6, 2, 4, 6]);
  assert.equal(opened, 2);
});

test("fromTable gives records, or { x, y } rows that batch for fit", async () => {
  const table = Table.fromColumns({
    a: [1, 2, 3],
    b: [0.5, 1.5, 2.5],
    label: ["no", "yes", "no"],
    score: [10, 20, 30],
  });
  const records = await Dataset.fromTable(table).toArray();
  assert.deepEqual(records[1], { a: 2, b: 1.5, label: "yes", score: 20 });
  const [batch] = await Dataset.fromTable(table, { x: ["a", "b"], y: "score" })
    .batch(3)
    .toArray();
  const { x, y } = batch as { x: Tensor; y: Tensor };
  assert.deepEqual(x.toArray(), [
    [1, 0.5],
    [2, 1.5],
    [3, 2.5],
  ]);
  assert.deepEqual(y.toArray(), [10, 20, 30]);
  const labels = await Dataset.fromTable(table, { x: ["a"], y: "label" })
    .map((r) => r.y)
    .toArray();
  assert.deepEqual(labels, ["no", "yes", "no"]);
});
