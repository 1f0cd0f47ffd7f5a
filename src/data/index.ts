// data: the public surface of the data toolkit (Table, readers/parsers, preprocessing; text,
// splits, Dataset and augmentation are added by their modules). Layer: data. Internals (cell
// parsers, the writers' chunk generators, WTF-8) stay out: modules import them from their files.

export * from "./augment/index.js";
export * from "./dataset/index.js";
export {
  type ChunkSource,
  CsvBatchStream,
  type CsvReadOptions,
  type CsvStreamOptions,
  type CsvWriteOptions,
  formatCsv,
  parseCsv,
  parseCsvChunks,
  parseCsvStream,
} from "./formats/csv.js";
export { DEFAULT_MISSING, sniffDelimiter } from "./formats/csv-infer.js";
export type { CsvSchema, SchemaOptions } from "./formats/csv-table.js";
export {
  formatJson,
  formatNdjson,
  type JsonReadOptions,
  NdjsonBatchStream,
  type NdjsonStreamOptions,
  parseJson,
  parseNdjson,
  parseNdjsonStream,
} from "./formats/json.js";
export {
  formatParquet,
  type ParquetReadOptions,
  type ParquetWriteOptions,
  parseParquet,
} from "./formats/parquet.js";
export { type OnError, ReadError, type ReadIssue, ReadReport } from "./formats/read-report.js";
export * from "./pii/index.js";
export * from "./preprocess/index.js";
export * from "./split/index.js";
export {
  type CellValue,
  COLUMN_KINDS,
  Column,
  type ColumnKind,
  isColumnKind,
  isMissingValue,
  type NumericKind,
} from "./table/column.js";
export { DESCRIBE_STATS, type DescribeStat } from "./table/describe.js";
export type { FormatOptions } from "./table/format.js";
export type { AggName, AggSpec } from "./table/group-by.js";
export { GroupBy } from "./table/grouped-table.js";
export type { JoinHow } from "./table/join.js";
export type { SortKey } from "./table/sort.js";
export {
  type ColumnInput,
  type JoinOptions,
  type Row,
  type SampleOptions,
  Table,
} from "./table/table.js";
export {
  DATE_PARTS,
  type DatePart,
  ROLLING_STATS,
  type RollingOptions,
  type RollingStat,
} from "./table/window-ops.js";
export * from "./text/index.js";
export * from "./timeseries/index.js";
