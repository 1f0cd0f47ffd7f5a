import assert from "node:assert/strict";
import { test } from "node:test";
import { type BatchExecutor, MicroBatcher } from "./batcher.js";
import type { BatchItem, ItemResult } from "./servable.js";

/** An executor with `slots` workers whose batches finish when the test says so. */
function fakeExecutor(slots: number) {
  const batches: { items: readonly BatchItem[]; finish: () => void }[] = [];
  let busy = 0;
  const executor: BatchExecutor = {
    idleCount: () => slots - busy,
    run: (items) =>
      new Promise<ItemResult[]>((resolve) => {
        busy++;
        batches.push({
          items,
          finish: () => {
            busy--;
            resolve(
              items.map((item) => ({ ok: true, outputs: [new Float32Array(item.rows).fill(item.rows)] })),
            );
          },
        });
      }),
  };
  return { executor, batches };
}

const rows = (n: number): BatchItem => ({ kind: "tensors", inputs: [new Float32Array(n)], rows: n });
const tick = () => new Promise((r) => setImmediate(r));

test("with maxWaitMs 0, an idle worker takes a request at once; others queue behind it", async () => {
  const { executor, batches } = fakeExecutor(1);
  const seen: [number, number][] = [];
  const batcher = new MicroBatcher({ maxBatchSize: 64, maxWaitMs: 0 }, executor, (r, q) => seen.push([r, q]));
  const first = batcher.submit(rows(1));
  const rest = [batcher.submit(rows(2)), batcher.submit(rows(3))];
  assert.equal(batches.length, 1);
  assert.equal(batcher.queuedRows, 5);
  batches[0]!.finish();
  const result = await first;
  assert.ok(result.ok && result.outputs[0]![0] === 1);
  await tick();
  assert.equal(batches.length, 2);
  assert.deepEqual(
    batches[1]!.items.map((i) => i.rows),
    [2, 3],
  );
  batches[1]!.finish();
  const answered = await Promise.all(rest);
  assert.deepEqual(
    answered.map((r) => (r.ok ? r.outputs[0]!.length : -1)),
    [2, 3],
  );
  assert.deepEqual(seen, [
    [1, 1],
    [5, 2],
  ]);
  await batcher.idle();
});

test("batches never exceed maxBatchSize rows, except a single larger request alone", async () => {
  const { executor, batches } = fakeExecutor(1);
  const batcher = new MicroBatcher({ maxBatchSize: 64, maxWaitMs: 0 }, executor);
  const blocker = batcher.submit(rows(1));
  const pending = [30, 30, 30, 100, 10].map((n) => batcher.submit(rows(n)));
  const sizes: number[][] = [];
  for (let i = 0; i < 5 && batches.length > sizes.length; i++) {
    const batch = batches[sizes.length]!;
    sizes.push(batch.items.map((item) => item.rows));
    batch.finish();
    await tick();
    await tick();
  }
  await blocker;
  await Promise.all(pending);
  assert.deepEqual(sizes, [[1], [30, 30], [30], [100], [10]]);
});

test("with maxWaitMs > 0, requests wait for company unless the batch is full", async () => {
  const { executor, batches } = fakeExecutor(1);
  const batcher = new MicroBatcher({ maxBatchSize: 4, maxWaitMs: 40 }, executor);
  const a = batcher.submit(rows(1));
  const b = batcher.submit(rows(1));
  assert.equal(batches.length, 0, "waits for more rows");
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(batches.length, 1, "sent after maxWaitMs");
  assert.equal(batches[0]!.items.length, 2);
  batches[0]!.finish();
  await Promise.all([a, b]);
  const full = [1, 2, 3, 4].map(() => batcher.submit(rows(1)));
  assert.equal(batches.length, 2, "a full batch goes at once");
  batches[1]!.finish();
  await Promise.all(full);
});

test("an executor failure answers every request of that batch with a 500", async () => {
  const executor: BatchExecutor = { idleCount: () => 1, run: () => Promise.reject(new Error("boom")) };
  const batcher = new MicroBatcher({ maxBatchSize: 8, maxWaitMs: 0 }, executor);
  const result = await batcher.submit(rows(2));
  assert.deepEqual(result, { ok: false, status: 500, message: "inference failed: boom" });
});
