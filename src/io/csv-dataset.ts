// io/csv-dataset: a Dataset over a CSV file, reopened on every pass (epoch) and read in 1 MiB
// chunks, so files larger than memory train in constant memory. The pipeline itself lives in
// data/dataset (which may not open files); this is the node:fs side.
import { Dataset } from "../data/dataset/dataset.js";
import type { CsvDatasetOptions, XYColumns } from "../data/dataset/sources.js";
import type { Row } from "../data/table/table.js";
import type { Tensor } from "../tensor/tensor.js";
import { fileChunks } from "./read-csv.js";

/**
 * Streams a CSV file as a Dataset of records, or of `{ x, y }` rows when `x` (and `y`) are given.
 * @example
 * const ds = csvDataset("big.csv", { x: ["a", "b"], y: "label" }).shuffle(10_000).batch(64);
 * await model.fit(ds, { epochs: 5 });
 */
export function csvDataset(path: string, options?: CsvDatasetOptions & { x?: undefined }): Dataset<Row>;
export function csvDataset(
  path: string,
  options: CsvDatasetOptions & XYColumns,
): Dataset<{ x: Tensor; y: unknown }>;
export function csvDataset(
  path: string,
  options: CsvDatasetOptions & Partial<XYColumns> = {},
): Dataset<unknown> {
  return Dataset.fromCsv(() => fileChunks(path), { source: path, ...options } as CsvDatasetOptions &
    XYColumns);
}
