// data/dataset/dataset: Dataset, a lazy, re-iterable async pipeline (tf.data style). Every
// `for await` starts a fresh pass through the sources, so `fit` can iterate it once per epoch;
// every stage pulls one element at a time, so data larger than memory streams in constant memory
// (only shuffle's buffer, prefetch's queue and cache() hold elements). Layer: data.
//
// Element format that fit consumes: after batch(), each element is `{ x, y }` (x: Tensor [B, ...],
// y: Tensor [B, ...]); `[x, y]` tuples batch the same way. Dataset.fromArrays(x, y),
// fromTable(table, { x, y }) and fromCsv(source, { x, y }) produce `{ x, y }` rows directly. See
// collate.ts for how elements stack into batches.
import { ValueError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Row, Table } from "../table/table.js";
import {
  type ArraySource,
  type Batched,
  collate,
  isPlainObject,
  type RowOf,
  rowAt,
  sourceLength,
} from "./collate.js";
import { type CsvDatasetOptions, type CsvSource, csvRows, tableRows, type XYColumns } from "./sources.js";

export interface ShuffleOptions {
  /** Seed for the shuffle order; the global generator is forked when absent. */
  seed?: number;
  /** A new order on every pass (default true); the sequence of orders is still fixed by the seed. */
  reshuffleEachIteration?: boolean;
}

/**
 * An async iterable of elements with chainable, lazy transformations.
 * @example
 * const ds = Dataset.fromArrays(x, y).shuffle(1000, { seed: 1 }).batch(32).prefetch(2);
 * for await (const { x, y } of ds) { ... } // x: [32, ...], y: [32]
 */
export class Dataset<T> implements AsyncIterable<T> {
  private constructor(private readonly open: () => AsyncIterable<T>) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.open()[Symbol.asyncIterator]();
  }

  /** Rows of a Tensor (along axis 0), an array or a typed array. */
  static fromArrays<X extends ArraySource>(x: X): Dataset<RowOf<X>>;
  /** `{ x, y }` rows of two sources of the same length: the element format fit consumes. */
  static fromArrays<X extends ArraySource, Y extends ArraySource>(
    x: X,
    y: Y,
  ): Dataset<{ x: RowOf<X>; y: RowOf<Y> }>;
  /** Rows of several named sources of the same length, as objects with those names. */
  static fromArrays<R extends Record<string, ArraySource>>(
    columns: R,
  ): Dataset<{ [K in keyof R]: RowOf<R[K]> }>;
  static fromArrays(
    first: ArraySource | Record<string, ArraySource>,
    second?: ArraySource,
  ): Dataset<unknown> {
    const op = "Dataset.fromArrays";
    const named: Record<string, ArraySource> | null =
      second !== undefined
        ? { x: first as ArraySource, y: second }
        : isPlainObject(first)
          ? (first as Record<string, ArraySource>)
          : null;
    if (named === null) {
      const source = first as ArraySource;
      const n = sourceLength(op, source);
      return new Dataset(async function* () {
        for (let i = 0; i < n; i++) yield rowAt(source, i);
      });
    }
    const keys = Object.keys(named);
    if (keys.length === 0) throw new ValueError(`${op}: expected at least one source`);
    const n = sourceLength(op, named[keys[0]!]!);
    for (const k of keys) {
      const m = sourceLength(op, named[k]!);
      if (m !== n)
        throw new ValueError(
          `${op}: every source needs the same number of rows (${keys[0]}: ${n}, ${k}: ${m})`,
        );
    }
    return new Dataset(async function* () {
      for (let i = 0; i < n; i++) {
        const row: Record<string, unknown> = {};
        for (const k of keys) row[k] = rowAt(named[k]!, i);
        yield row;
      }
    });
  }

  /** Rows of a Table: records, or with `{ x: [...columns], y: column }` `{ x: Tensor [F], y: number }`. */
  static fromTable(table: Table): Dataset<Row>;
  static fromTable(table: Table, columns: XYColumns): Dataset<{ x: Tensor; y: unknown }>;
  static fromTable(table: Table, columns?: XYColumns): Dataset<unknown> {
    return new Dataset(() => tableRows([table], columns));
  }

  /**
   * Streams a CSV: `source` gives the file's chunks (bytes or text), e.g. `() => createReadStream(path)`;
   * pass a function so every pass (epoch) reopens it. Parsed by parseCsvStream in batches of
   * `batchSize` rows, so memory stays constant whatever the file size.
   */
  static fromCsv(source: CsvSource, options?: CsvDatasetOptions & { x?: undefined }): Dataset<Row>;
  static fromCsv(
    source: CsvSource,
    options: CsvDatasetOptions & XYColumns,
  ): Dataset<{ x: Tensor; y: unknown }>;
  static fromCsv(source: CsvSource, options: CsvDatasetOptions & Partial<XYColumns> = {}): Dataset<unknown> {
    let used = false;
    return new Dataset(() => {
      if (typeof source !== "function") {
        if (used)
          throw new ValueError(
            "Dataset.fromCsv: a stream source can be read once; pass a function that reopens it",
          );
        used = true;
      }
      return csvRows(typeof source === "function" ? source() : source, options);
    });
  }

  /** Elements of whatever `make()` returns; called once per pass so the dataset can repeat. */
  static fromGenerator<T>(make: () => Iterable<T> | AsyncIterable<T>): Dataset<T> {
    return new Dataset(async function* () {
      yield* make();
    });
  }

  /** Applies `fn` to every element (it may be async). */
  map<U>(fn: (element: T, index: number) => U | Promise<U>): Dataset<U> {
    return this.pipe(async function* (source) {
      let i = 0;
      for await (const element of source) yield await fn(element, i++);
    });
  }

  /** Keeps the elements for which `predicate` is true. */
  filter(predicate: (element: T, index: number) => boolean | Promise<boolean>): Dataset<T> {
    return this.pipe(async function* (source) {
      let i = 0;
      for await (const element of source) if (await predicate(element, i++)) yield element;
    });
  }

  /**
   * Randomises order with a buffer of `bufferSize` elements (tf.data semantics): a buffer at least
   * as large as the dataset gives a uniform shuffle; a smaller one mixes locally.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    positiveInt("shuffle", "bufferSize", bufferSize);
    const base: Generator = options.seed !== undefined ? new Generator(options.seed) : getGenerator().fork();
    const initial = base.getState();
    const reshuffle = options.reshuffleEachIteration ?? true;
    return this.pipe(async function* (source) {
      let rng: Generator;
      if (reshuffle) rng = base.fork();
      else {
        rng = new Generator(0);
        rng.setState(initial);
      }
      const buffer: T[] = [];
      for await (const element of source) {
        if (buffer.length < bufferSize) {
          buffer.push(element);
          continue;
        }
        const j = rng.int(0, bufferSize);
        const out = buffer[j]!;
        buffer[j] = element;
        yield out;
      }
      while (buffer.length > 0) {
        const j = rng.int(0, buffer.length);
        const out = buffer[j]!;
        buffer[j] = buffer[buffer.length - 1]!;
        buffer.pop();
        yield out;
      }
    });
  }

  /** Groups `size` consecutive elements into one stacked element; the last may be smaller unless dropRemainder. */
  batch(size: number, options: { dropRemainder?: boolean } = {}): Dataset<Batched<T>> {
    positiveInt("batch", "size", size);
    const dropRemainder = options.dropRemainder ?? false;
    return this.pipe(async function* (source) {
      let items: T[] = [];
      for await (const element of source) {
        items.push(element);
        if (items.length === size) {
          yield collate(items) as Batched<T>;
          items = [];
        }
      }
      if (items.length > 0 && !dropRemainder) yield collate(items) as Batched<T>;
    });
  }

  /** Requests up to `count` elements ahead, so producing the next overlaps with using this one. */
  prefetch(count: number): Dataset<T> {
    positiveInt("prefetch", "count", count);
    return this.pipe(async function* (source) {
      const it = source[Symbol.asyncIterator]();
      const queue: Promise<IteratorResult<T>>[] = [];
      try {
        for (;;) {
          while (queue.length < count) {
            const next = it.next();
            next.catch(() => undefined); // surfaced when awaited below; not an unhandled rejection
            queue.push(next);
          }
          const result = await queue.shift()!;
          if (result.done) return;
          yield result.value;
        }
      } finally {
        await it.return?.();
      }
    });
  }

  /** Passes through the data `count` times (forever when omitted). */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
      throw new ValueError(`repeat: count must be a whole number (got ${count})`);
    }
    const upstream = this;
    return new Dataset(async function* () {
      for (let pass = 0; count === undefined || pass < count; pass++) {
        let any = false;
        for await (const element of upstream) {
          any = true;
          yield element;
        }
        if (!any) return; // an empty dataset repeated forever is still empty
      }
    });
  }

  /** The first `count` elements (reading no further). */
  take(count: number): Dataset<T> {
    wholeNumber("take", count);
    return this.pipe(async function* (source) {
      if (count === 0) return;
      let i = 0;
      for await (const element of source) {
        yield element;
        if (++i >= count) return;
      }
    });
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    wholeNumber("skip", count);
    return this.pipe(async function* (source) {
      let i = 0;
      for await (const element of source) if (i++ >= count) yield element;
    });
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them afterwards (use it
   * after expensive, deterministic steps and before shuffle). A pass stopped early is not kept.
   */
  cache(): Dataset<T> {
    let cached: T[] | null = null;
    const upstream = this;
    return new Dataset(async function* () {
      if (cached !== null) {
        yield* cached;
        return;
      }
      const filling: T[] = [];
      for await (const element of upstream) {
        filling.push(element);
        yield element;
      }
      cached = filling;
    });
  }

  /** Every element, in order, as an array (the whole dataset in memory: for small data and tests). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const element of this) out.push(element);
    return out;
  }

  private pipe<U>(stage: (source: AsyncIterable<T>) => AsyncGenerator<U>): Dataset<U> {
    return new Dataset(() => stage(this));
  }
}

function positiveInt(op: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ValueError(`${op}: ${name} must be a positive integer (got ${value})`);
}

function wholeNumber(op: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new ValueError(`${op}: count must be a whole number (got ${value})`);
}
