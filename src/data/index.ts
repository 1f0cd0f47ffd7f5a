// data: the public surface of the data toolkit (Table, readers/parsers, preprocessing; text,
// splits, Dataset and augmentation are added by their modules). Layer: data.

export {
  type CellValue,
  COLUMN_KINDS,
  Column,
  type ColumnKind,
  formatCell,
  isColumnKind,
  isMissingValue,
  type NumericKind,
  parseCell,
} from "./table/column.js";
export { DESCRIBE_STATS, type DescribeStat } from "./table/describe.js";
export type { FormatOptions } from "./table/format.js";
export type { AggName, AggSpec } from "./table/group-by.js";
export type { JoinHow } from "./table/join.js";
export type { SortKey } from "./table/sort.js";
export {
  type ColumnInput,
  GroupBy,
  type JoinOptions,
  type Row,
  type SampleOptions,
  Table,
} from "./table/table.js";
export * from "./split/index.js";
export * from "./text/index.js";
