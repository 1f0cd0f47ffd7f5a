// data/dataset: the streaming Dataset pipeline.
export type { ArraySource, Batched, RowOf } from "./collate.js";
export { Dataset, type ShuffleOptions } from "./dataset.js";
export type { CsvDatasetOptions, CsvSource, XYColumns } from "./sources.js";
