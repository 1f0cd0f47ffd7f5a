import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Tensor } from "../../index.js";
import { Dataset } from "./dataset.js";

const ROWS = 40_000;
const ROW_BYTES = 16; // "0000042,042.5,0\n": every data row has the same width
const dir = mkdtempSync(join(tmpdir(), "tessera-dataset-"));
const path = join(dir, "generated.csv");
after(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(): void {
  const lines = ["id,a,label"];
  for (let i = 0; i < ROWS; i++)
    lines.push(`${String(i).padStart(7, "0")},${String(i % 1000).padStart(3, "0")}.5,${i % 3}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}
writeFile();

test("fromCsv streams a generated file in constant memory: rows read ahead stay bounded", async () => {
  let bytesRead = 0;
  const open = async function* () {
    for await (const chunk of createReadStream(path, { highWaterMark: 16 * 1024 })) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };
  const ds = Dataset.fromCsv(open, {
    batchSize: 500,
    inferRows: 500,
    blockBytes: 32 * 1024,
    x: ["id", "a"],
    y: "label",
  })
    .batch(100)
    .prefetch(2);
  let consumed = 0;
  let maxAhead = 0;
  let labelSum = 0;
  let idSum = 0;
  for await (const batch of ds) {
    const { x, y } = batch as { x: Tensor; y: Tensor };
    assert.equal(x.shape[1], 2);
    for (let r = 0; r < x.shape[0]!; r++) {
      const id = x.data[r * 2]!;
      assert.equal(id, consumed + r, "rows arrive in file order");
      assert.equal(x.data[r * 2 + 1], (id % 1000) + 0.5);
      idSum += id;
      labelSum += y.data[r]!;
    }
    consumed += x.shape[0]!;
    maxAhead = Math.max(maxAhead, Math.floor(bytesRead / ROW_BYTES) - consumed);
  }
  assert.equal(consumed, ROWS);
  assert.equal(idSum, (ROWS * (ROWS - 1)) / 2);
  assert.equal(labelSum, 13333 * (0 + 1 + 2)); // 40000 = 3 * 13333 + 1, the last label being 0
  // Rows held at any time: the parser's block (32 KiB = 2048 rows), the chunk being read (1024),
  // one CSV batch (500), the batch being built and two prefetched ones (300). The bound does not
  // grow with the file: the whole file is 40,000 rows.
  assert.ok(maxAhead <= 5000, `read ${maxAhead} rows ahead of the consumer`);
  assert.ok(maxAhead > 0);
});

test("fromCsv reopens a function source for every pass; a bare stream can be read once", async () => {
  const small = join(dir, "small.csv");
  writeFileSync(small, "x,y\n1,a\n2,b\n3,c\n");
  const epochs = await Dataset.fromCsv(() => createReadStream(small))
    .map((r) => `${r.x}${r.y}`)
    .repeat(2)
    .toArray();
  assert.deepEqual(epochs, ["1a", "2b", "3c", "1a", "2b", "3c"]);
  const once = Dataset.fromCsv(createReadStream(small));
  assert.equal((await once.toArray()).length, 3);
  await assert.rejects(once.toArray(), /a stream source can be read once; pass a function that reopens it/);
});
