// data/dataset/sources: the row sources behind Dataset.fromTable and Dataset.fromCsv. A CSV is
// read through parseCsvStream (data/formats/csv), which yields Tables of `batchSize` rows as chunks
// arrive, so only one such Table is alive at a time. Layer: data (no node:*: callers hand in the
// chunks, e.g. a node:fs ReadStream, or use io/'s file helpers).
import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type ChunkSource, type CsvStreamOptions, parseCsvStream } from "../formats/csv.js";
import type { Table } from "../table/table.js";

/** Which columns become x (a float32 Tensor per row) and y (a value, or a Tensor for several columns). */
export interface XYColumns {
  x: readonly string[];
  y?: string | readonly string[];
}

export type CsvDatasetOptions = CsvStreamOptions;

/** A chunk source, or a function that opens one (needed to read the data more than once). */
export type CsvSource = ChunkSource | (() => ChunkSource);

/** Rows of each table in turn: records, or `{ x, y }` when columns are given. */
export async function* tableRows(
  tables: Iterable<Table> | AsyncIterable<Table>,
  columns?: Partial<XYColumns>,
): AsyncGenerator<unknown> {
  for await (const table of tables) {
    if (columns?.x === undefined) {
      for (let i = 0; i < table.numRows; i++) yield table.row(i);
      continue;
    }
    yield* xyRows(table, columns as XYColumns);
  }
}

function* xyRows(table: Table, columns: XYColumns): Generator<{ x: Tensor; y?: unknown }> {
  const features = table.toTensor(columns.x, { dtype: "float32" });
  const width = columns.x.length;
  const y = columns.y;
  const targets =
    y === undefined
      ? null
      : typeof y === "string"
        ? table.column(y)
        : table.toTensor(y, { dtype: "float32" });
  for (let i = 0; i < table.numRows; i++) {
    const x = new Tensor(features.data.slice(i * width, (i + 1) * width), [width]);
    if (targets === null) {
      yield { x };
    } else if (targets instanceof Tensor) {
      const k = targets.shape[1]!;
      yield { x, y: new Tensor(targets.data.slice(i * k, (i + 1) * k), [k]) };
    } else {
      const value = targets.get(i);
      if (value === null)
        throw new ValueError(`Dataset: the label column "${String(y)}" is missing a value at row ${i}`);
      yield { x, y: value instanceof Date ? value.getTime() : value };
    }
  }
}

/** Rows of a CSV stream. */
export function csvRows(
  source: ChunkSource,
  options: CsvDatasetOptions & Partial<XYColumns>,
): AsyncGenerator<unknown> {
  const { x, y, ...csvOptions } = options;
  return tableRows(parseCsvStream(source, csvOptions), x === undefined ? undefined : { x, y });
}
