// report/tfevents/event-file: TensorBoard's event file: TFRecord framing (u64 LE length, masked
// CRC-32C of the length, the protobuf Event, masked CRC-32C of the data) around tensorflow.Event
// messages, appended as training runs. An event file is an append-only log (TensorFlow appends
// too), so it is not written atomically; each event is written whole in one call and the file is
// fsynced on close. Also the record reader the tests and readEventFile use. Layer: report.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { FormatError, ValueError } from "../../core/errors.js";
import { maskedCrc32c } from "./crc32c.js";
import { DT_STRING, type EventFields, EventMessage, encodeEvent, type SummaryValue } from "./event-proto.js";

/** One TFRecord around the data: header (length + its CRC), data, data CRC. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** The data of every record of a TFRecord file, each CRC checked. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new FormatError(`tfrecord: truncated header at byte ${at}`);
    const length = view.getBigUint64(at, true);
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) {
      throw new FormatError(`tfrecord: length CRC mismatch at byte ${at}`);
    }
    if (length > BigInt(bytes.length - at - 16))
      throw new FormatError(`tfrecord: record at byte ${at} runs past the end`);
    const n = Number(length);
    const data = bytes.subarray(at + 12, at + 12 + n);
    if (view.getUint32(at + 12 + n, true) !== maskedCrc32c(data)) {
      throw new FormatError(`tfrecord: data CRC mismatch in the record at byte ${at}`);
    }
    records.push(data);
    at += 16 + n;
  }
  return records;
}

/** The events of an event file, decoded as plain objects (int64 steps as numbers, bytes as arrays). */
export function readEventFile(path: string): Record<string, unknown>[] {
  return readRecords(readFileSync(path)).map((record) =>
    EventMessage.toObject(EventMessage.decode(record), { longs: Number, defaults: false, arrays: true }),
  );
}

let fileCounter = 0;

/** Bucket count of weight histograms. */
const HISTOGRAM_BUCKETS = 30;

/** A histogram of values: HISTOGRAM_BUCKETS equal-width buckets from min to max. */
export function histogramOf(values: ArrayLike<number>): NonNullable<SummaryValue["histo"]> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sumSquares = 0;
  let num = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sumSquares += v * v;
    num++;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const width = (max - min) / HISTOGRAM_BUCKETS;
  const buckets = width === 0 ? 1 : HISTOGRAM_BUCKETS;
  const bucket = new Array<number>(buckets).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    bucket[width === 0 ? 0 : Math.min(buckets - 1, Math.floor((v - min) / width))]! += 1;
  }
  // bucket_limit[i] is bucket i's right edge; bucket 0 starts at min.
  const bucketLimit = Array.from({ length: buckets }, (_, i) =>
    i === buckets - 1 ? max : min + (i + 1) * width,
  );
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}

/**
 * Appends events to `dir/events.out.tfevents.<seconds>.<host>.<pid>.<n>`, the name TensorBoard
 * looks for. The first event is the file version.
 * @example
 * const writer = new EventFileWriter("logs/train");
 * writer.scalar("epoch_loss", 0.42, 3);
 * writer.close();
 */
export class EventFileWriter {
  readonly path: string;
  private fd: number | null;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}`);
    this.fd = openSync(this.path, "wx");
    this.write({ wallTime: Date.now() / 1000, fileVersion: "brain.Event:2" });
  }

  /** Writes one event now. */
  write(event: EventFields): void {
    if (this.fd === null) throw new ValueError(`EventFileWriter: ${this.path} is closed`);
    writeSync(this.fd, frameRecord(encodeEvent(event)));
  }

  private summary(step: number, value: SummaryValue): void {
    if (!Number.isInteger(step) || step < 0)
      throw new ValueError(`EventFileWriter: step must be an integer >= 0 (got ${step})`);
    this.write({ wallTime: Date.now() / 1000, step, summary: { value: [value] } });
  }

  /** A scalar (TensorBoard's Scalars tab). */
  scalar(tag: string, value: number, step: number): void {
    this.summary(step, { tag, simpleValue: value });
  }

  /** A histogram of the values (TensorBoard's Histograms and Distributions tabs). */
  histogram(tag: string, values: ArrayLike<number>, step: number): void {
    this.summary(step, { tag, histo: histogramOf(values) });
  }

  /** Markdown text (TensorBoard's Text tab): a scalar string tensor tagged for the "text" plugin. */
  text(tag: string, markdown: string, step: number): void {
    this.summary(step, {
      tag,
      tensor: { dtype: DT_STRING, tensorShape: { dim: [] }, stringVal: [new TextEncoder().encode(markdown)] },
      metadata: { pluginData: { pluginName: "text" } },
    });
  }

  /** Flushes the file to disk and closes it (again: no-op). */
  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
