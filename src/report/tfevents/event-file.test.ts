// The TFRecord framing byte by byte, a corrupted record refused, and events read back through
// protobufjs with every field the writer set.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { crc32c } from "./crc32c.js";
import { EventFileWriter, frameRecord, histogramOf, readEventFile, readRecords } from "./event-file.js";

const unmask = (masked: number): number => {
  const rotated = (masked - 0xa282ead8) >>> 0;
  return ((rotated << 15) | (rotated >>> 17)) >>> 0;
};

test("frameRecord writes u64 length, masked CRC of the length, data, masked CRC of the data", () => {
  const data = new TextEncoder().encode("hello");
  const record = frameRecord(data);
  assert.equal(record.length, 8 + 4 + 5 + 4);
  const view = new DataView(record.buffer);
  assert.equal(view.getBigUint64(0, true), 5n);
  assert.equal(unmask(view.getUint32(8, true)), crc32c(record.subarray(0, 8)));
  assert.deepEqual(record.subarray(12, 17), data);
  assert.equal(unmask(view.getUint32(17, true)), crc32c(data));
  assert.deepEqual(readRecords(Uint8Array.from([...record, ...frameRecord(new Uint8Array(0))])), [
    data,
    new Uint8Array(0),
  ]);
});

test("readRecords refuses a flipped bit and a truncated file", () => {
  const record = frameRecord(new TextEncoder().encode("hello"));
  const flipped = record.slice();
  flipped[13]! ^= 1;
  assert.throws(() => readRecords(flipped), /data CRC mismatch in the record at byte 0/);
  assert.throws(() => readRecords(record.subarray(0, 15)), /runs past the end/);
});

test("an event file holds the version, then scalars, histograms and text that decode as written", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-tfevents-"));
  try {
    const writer = new EventFileWriter(dir);
    writer.scalar("epoch_loss", 0.25, 3);
    writer.histogram("dense/kernel", [1, 2, 2, 3, 4], 3);
    writer.text("notes", "hello *world*", 0);
    writer.close();
    const [name] = readdirSync(dir);
    assert.match(name!, /^events\.out\.tfevents\.\d+\..+\.\d+\.\d+$/);
    const events = readEventFile(writer.path);
    assert.equal(events.length, 4);
    assert.equal(events[0]!.fileVersion, "brain.Event:2");
    assert.ok(
      typeof events[0]!.wallTime === "number" &&
        Math.abs((events[0]!.wallTime as number) - Date.now() / 1000) < 60,
    );
    const value = (i: number) => (events[i]!.summary as { value: Record<string, unknown>[] }).value[0]!;
    assert.equal(events[1]!.step, 3);
    assert.deepEqual(value(1), { tag: "epoch_loss", simpleValue: 0.25 });
    const histo = value(2).histo as Record<string, unknown>;
    assert.deepEqual([histo.min, histo.max, histo.num, histo.sum, histo.sumSquares], [1, 4, 5, 12, 34]);
    assert.equal(
      (histo.bucket as number[]).reduce((a, b) => a + b, 0),
      5,
    );
    const text = value(3);
    assert.equal(
      new TextDecoder().decode((text.tensor as { stringVal: Uint8Array[] }).stringVal[0]),
      "hello *world*",
    );
    assert.deepEqual(text.metadata, { pluginData: { pluginName: "text" } });
    // A torn last write (crash mid-record) is detected rather than read as data.
    const bytes = readFileSync(writer.path);
    writeFileSync(writer.path, bytes.subarray(0, bytes.length - 2));
    assert.throws(() => readEventFile(writer.path), /runs past the end/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("histogramOf: equal-width buckets whose right edges end at max; constant values in one bucket", () => {
  const h = histogramOf([0, 1, 2, 3]);
  assert.equal(h.bucket.length, 30);
  assert.equal(h.bucketLimit.at(-1), 3);
  assert.equal(h.bucket[0], 1);
  assert.equal(h.bucket[29], 1);
  assert.deepEqual(histogramOf([5, 5]).bucket, [2]);
});
