// data/table/table: Table, an immutable columnar data frame of named, typed Columns with missing
// values (see column.ts for the storage convention). Every operation returns a new Table; columns
// that do not change are shared, not copied. Layer: data (imports core and tensor).
import { allocate, type DType } from "../../core/dtype.js";
import { DTypeError, IndexError, ShapeError, ValueError } from "../../core/errors.js";
import { type Generator, getGenerator } from "../../core/random.js";
import { tensor } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type CellValue, Column, type ColumnKind } from "./column.js";
import { DESCRIBE_STATS, describeColumn, valueCounts } from "./describe.js";
import { type FormatOptions, formatTable } from "./format.js";
import { GroupBy } from "./grouped-table.js";
import { type JoinHow, joinColumns } from "./join.js";
import { ownValue, setOwnValue } from "./record-keys.js";
import { type SortKey, sortIndices } from "./sort.js";
import type { DatePart, RollingOptions } from "./window-ops.js";
import * as windowOps from "./window-ops.js";

/** One row as a plain object keyed by column name. */
export type Row = Record<string, CellValue>;

/** What Table.fromColumns accepts per column. */
export type ColumnInput = Column | ArrayLike<unknown>;

export interface SampleOptions {
  /** Number of rows (default: all rows when `fraction` is not given either). */
  n?: number;
  /** Fraction of the rows instead of a count. */
  fraction?: number;
  /** Draw with replacement (default false). */
  replace?: boolean;
  /** Random stream (default: the global generator, see seed()). */
  generator?: Generator;
}

export interface JoinOptions {
  /** Key column(s), present in both tables under the same name. */
  on: string | readonly string[];
  how?: JoinHow;
  /** Appended to non-key column names present in both tables (default ["_left", "_right"]). */
  suffixes?: readonly [string, string];
}

/**
 * A columnar table. Build one with `Table.fromColumns`, `Table.fromRecords` or a reader.
 * @example
 * const t = Table.fromRecords([{ x: 1, y: "a" }, { x: null, y: "b" }]);
 * t.column("x").missingCount(); // 1
 * t.filter((row) => row.y === "b").numRows; // 1
 */
export class Table {
  readonly columnNames: readonly string[];
  readonly numRows: number;
  private readonly columns: readonly Column[];
  private readonly index: ReadonlyMap<string, number>;

  private constructor(names: readonly string[], columns: readonly Column[], numRows?: number) {
    if (names.length !== columns.length) {
      throw new ValueError(`Table: ${names.length} names for ${columns.length} columns`);
    }
    const index = new Map<string, number>();
    names.forEach((name, i) => {
      if (index.has(name)) throw new ValueError(`Table: duplicate column name ${JSON.stringify(name)}`);
      index.set(name, i);
    });
    const rows = columns[0]?.length ?? numRows ?? 0;
    columns.forEach((column, i) => {
      if (column.length !== rows) {
        throw new ShapeError(
          `Table: column "${names[i]}" has ${column.length} rows (expected ${rows}, as "${names[0]}")`,
        );
      }
    });
    this.columnNames = Object.freeze([...names]);
    this.columns = Object.freeze([...columns]);
    this.index = index;
    this.numRows = rows;
  }

  /** A table from name -> Column or array of values (kinds inferred unless given in `types`). */
  static fromColumns(
    columns: Record<string, ColumnInput> | ReadonlyMap<string, ColumnInput>,
    options: { types?: Record<string, ColumnKind> } = {},
  ): Table {
    const entries = columns instanceof Map ? [...columns.entries()] : Object.entries(columns);
    const names = entries.map(([name]) => name);
    const built = entries.map(([name, input]) => {
      const kind =
        options.types === undefined ? undefined : (ownValue(options.types, name) as ColumnKind | undefined);
      if (input instanceof Column) return kind === undefined ? input : input.cast(kind, name);
      return Column.fromValues(input, kind, name);
    });
    return new Table(names, built);
  }

  /** A table from [name, Column] pairs (order kept). */
  static fromEntries(entries: readonly (readonly [string, Column])[], numRows?: number): Table {
    return new Table(
      entries.map(([name]) => name),
      entries.map(([, column]) => column),
      numRows,
    );
  }

  /**
   * A table from row objects. Columns are the union of keys in first-seen order (or `columns`);
   * a key absent from a row is a missing value.
   */
  static fromRecords(
    records: readonly Record<string, unknown>[],
    options: { columns?: readonly string[]; types?: Record<string, ColumnKind> } = {},
  ): Table {
    const names: string[] = options.columns ? [...options.columns] : [];
    if (!options.columns) {
      const seen = new Set<string>();
      for (const record of records) {
        for (const key of Object.keys(record)) {
          if (!seen.has(key)) {
            seen.add(key);
            names.push(key);
          }
        }
      }
    }
    const built = names.map((name) =>
      Column.fromValues(
        records.map((record) => ownValue(record, name)),
        options.types === undefined ? undefined : (ownValue(options.types, name) as ColumnKind | undefined),
        name,
      ),
    );
    return new Table(names, built, records.length);
  }

  /** Stacks tables with the same column names vertically (int and float columns merge to float). */
  static concat(tables: readonly Table[]): Table {
    if (tables.length === 0) return new Table([], []);
    const first = tables[0]!;
    for (const t of tables) {
      if (t.columnNames.join("\u0000") !== first.columnNames.join("\u0000")) {
        throw new ValueError(
          `Table.concat: column names differ ([${first.columnNames.join(", ")}] vs [${t.columnNames.join(", ")}])`,
        );
      }
    }
    const columns = first.columns.map((_, c) =>
      tables.slice(1).reduce((acc, t) => acc.concat(t.columns[c]!), first.columns[c]!),
    );
    return new Table(
      first.columnNames,
      columns,
      tables.reduce((s, t) => s + t.numRows, 0),
    );
  }

  get numColumns(): number {
    return this.columns.length;
  }

  /** [rows, columns]. */
  get shape(): [number, number] {
    return [this.numRows, this.columns.length];
  }

  /** Column names and kinds. */
  get schema(): { name: string; kind: ColumnKind }[] {
    return this.columnNames.map((name, i) => ({ name, kind: this.columns[i]!.kind }));
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  column(name: string): Column {
    const i = this.index.get(name);
    if (i === undefined) {
      throw new IndexError(
        `Table.column: no column ${JSON.stringify(name)} (have ${this.columnNames.join(", ") || "none"})`,
      );
    }
    return this.columns[i]!;
  }

  /** Cell at (row, column). */
  get(row: number, name: string): CellValue {
    this.checkRow("Table.get", row);
    return this.column(name).get(row);
  }

  /** One row as an object. */
  row(row: number): Row {
    this.checkRow("Table.row", row);
    const out: Row = {};
    this.columnNames.forEach((name, c) => {
      setOwnValue(out, name, this.columns[c]!.get(row));
    });
    return out;
  }

  /** Rows as objects (missing = null, dates as Date). */
  toRecords(): Row[] {
    return Array.from({ length: this.numRows }, (_, i) => this.row(i));
  }

  /** Columns as arrays of values keyed by name. */
  toColumns(): Record<string, CellValue[]> {
    const out: Record<string, CellValue[]> = {};
    this.columnNames.forEach((name, c) => {
      setOwnValue(out, name, this.columns[c]!.toArray());
    });
    return out;
  }

  select(names: readonly string[]): Table {
    return new Table(
      names,
      names.map((name) => this.column(name)),
      this.numRows,
    );
  }

  drop(names: readonly string[]): Table {
    for (const name of names) this.column(name);
    const keep = this.columnNames.filter((name) => !names.includes(name));
    return this.select(keep);
  }

  /** Renames columns by an old -> new mapping. */
  rename(mapping: Record<string, string>): Table {
    for (const name of Object.keys(mapping)) this.column(name);
    return new Table(
      this.columnNames.map((name) => mapping[name] ?? name),
      this.columns,
      this.numRows,
    );
  }

  /** Adds or replaces a column: a Column, values, or a function of each row. */
  withColumn(
    name: string,
    values: ColumnInput | ((row: Row, index: number) => unknown),
    kind?: ColumnKind,
  ): Table {
    let column: Column;
    if (typeof values === "function") {
      const computed = Array.from({ length: this.numRows }, (_, i) => values(this.row(i), i));
      column = Column.fromValues(computed, kind, name);
    } else if (values instanceof Column) {
      column = kind === undefined ? values : values.cast(kind, name);
    } else {
      column = Column.fromValues(values, kind, name);
    }
    if (column.length !== this.numRows) {
      throw new ShapeError(
        `Table.withColumn: "${name}" has ${column.length} rows (expected ${this.numRows})`,
      );
    }
    const i = this.index.get(name);
    if (i === undefined) return new Table([...this.columnNames, name], [...this.columns, column]);
    const columns = [...this.columns];
    columns[i] = column;
    return new Table(this.columnNames, columns);
  }

  /** A table built from fn(row) for every row (the output columns are inferred). */
  map(fn: (row: Row, index: number) => Record<string, unknown>): Table {
    return Table.fromRecords(Array.from({ length: this.numRows }, (_, i) => fn(this.row(i), i)));
  }

  /** Rows where `predicate(row)` is true, or where `mask` is truthy. */
  filter(predicate: ((row: Row, index: number) => boolean) | ArrayLike<boolean | number>): Table {
    const keep: number[] = [];
    if (typeof predicate === "function") {
      for (let i = 0; i < this.numRows; i++) if (predicate(this.row(i), i)) keep.push(i);
    } else {
      if (predicate.length !== this.numRows) {
        throw new ShapeError(`Table.filter: mask has ${predicate.length} entries (expected ${this.numRows})`);
      }
      for (let i = 0; i < this.numRows; i++) if (predicate[i]) keep.push(i);
    }
    return this.take(keep);
  }

  /** Rows by index, in the order given (indices may repeat). */
  take(indices: ArrayLike<number>): Table {
    for (let i = 0; i < indices.length; i++) this.checkRow("Table.take", indices[i]!);
    return new Table(
      this.columnNames,
      this.columns.map((c) => c.take(indices)),
      indices.length,
    );
  }

  slice(start: number, end: number = this.numRows): Table {
    const from = Math.max(0, Math.min(start < 0 ? this.numRows + start : start, this.numRows));
    const to = Math.max(from, Math.min(end < 0 ? this.numRows + end : end, this.numRows));
    return new Table(
      this.columnNames,
      this.columns.map((c) => c.slice(from, to)),
      to - from,
    );
  }

  head(n = 5): Table {
    return this.slice(0, Math.max(0, n));
  }

  tail(n = 5): Table {
    return this.slice(Math.max(0, this.numRows - n));
  }

  /** A stable sort by one or more keys; missing values last. */
  sort(keys: SortKey | readonly SortKey[]): Table {
    const list: readonly SortKey[] = Array.isArray(keys) ? keys : [keys as SortKey];
    return this.take(sortIndices(this.numRows, list, (name) => this.column(name)));
  }

  /** Random rows, seeded through `generator` or the global generator. */
  sample(options: SampleOptions | number = {}): Table {
    const opts = typeof options === "number" ? { n: options } : options;
    const generator = opts.generator ?? getGenerator();
    let n = opts.n ?? (opts.fraction === undefined ? this.numRows : Math.round(opts.fraction * this.numRows));
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError(`Table.sample: n must be a count >= 0 (got ${n})`);
    if (opts.replace) {
      return this.take(Array.from({ length: n }, () => generator.int(0, Math.max(this.numRows, 1))));
    }
    if (n > this.numRows) {
      throw new ValueError(`Table.sample: n=${n} exceeds ${this.numRows} rows without replacement`);
    }
    n = Math.min(n, this.numRows);
    return this.take(generator.permutation(this.numRows).slice(0, n));
  }

  /** Rows without missing values in `columns` (default all); how "all" drops rows missing everywhere. */
  dropMissing(options: { columns?: readonly string[]; how?: "any" | "all" } = {}): Table {
    const columns = (options.columns ?? this.columnNames).map((name) => this.column(name));
    const how = options.how ?? "any";
    const keep = new Uint8Array(this.numRows);
    for (let i = 0; i < this.numRows; i++) {
      const missing = columns.reduce((n, c) => n + (c.valid[i] === 0 ? 1 : 0), 0);
      keep[i] = how === "any" ? (missing === 0 ? 1 : 0) : missing < columns.length ? 1 : 0;
    }
    return this.filter(keep);
  }

  /** Summary statistics: a "stat" column (count, mean, std, min, 25%, 50%, 75%, max, missing, unique) and one column per input column. */
  describe(columns: readonly string[] = this.columnNames): Table {
    const entries: [string, Column][] = [["stat", Column.fromStrings([...DESCRIBE_STATS])]];
    for (const name of columns)
      entries.push([name, Column.fromNumbers("float", describeColumn(this.column(name)))]);
    return Table.fromEntries(entries);
  }

  /** Distinct values of a column with their counts (most frequent first). */
  valueCounts(name: string, options: { dropMissing?: boolean; normalize?: boolean } = {}): Table {
    const { values, counts } = valueCounts(this.column(name), options);
    return Table.fromEntries([
      [name, values],
      [options.normalize ? "proportion" : "count", counts],
    ]);
  }

  /** Groups rows by key columns; call `.agg({...})`, `.size()` or `.count()` on the result. */
  groupBy(keys: string | readonly string[]): GroupBy {
    const list = typeof keys === "string" ? [keys] : [...keys];
    if (list.length === 0) throw new ValueError("Table.groupBy: expected at least one key column");
    return new GroupBy(this, list, (entries, numRows) => Table.fromEntries(entries, numRows));
  }

  /** Joins with another table on key columns (hash join; missing keys never match). */
  join(other: Table, options: JoinOptions): Table {
    const { entries, numRows } = joinColumns(this, other, options);
    return Table.fromEntries(entries, numRows);
  }

  /** Adds `as` (default `<name>_shift<periods>`, `_lead<k>` for -k): the column moved down `periods` rows. */
  shift(name: string, periods = 1, as?: string): Table {
    return windowOps.shiftTable(this, name, periods, as);
  }
  /** Adds `<name>_lag<k>` for each k in `lags`: the value k rows earlier. */
  lag(name: string, lags: number | readonly number[] = 1): Table {
    return windowOps.lagTable(this, name, lags);
  }
  /** Adds `as` (default `<name>_diff<periods>`): x[t] - x[t - periods]. */
  diff(name: string, periods = 1, as?: string): Table {
    return windowOps.diffTable(this, name, periods, as);
  }
  /** Adds `<name>_rolling<window>_<stat>` (mean, sum, min, max, std) over trailing windows. */
  rolling(name: string, window: number, options: RollingOptions = {}): Table {
    return windowOps.rollingTable(this, name, window, options);
  }
  /** Adds `<name>_<part>` (year, month, day, weekday (Monday 0), dayOfYear, hour; UTC) of a date column. */
  dateParts(name: string, parts?: readonly DatePart[]): Table {
    return windowOps.datePartsTable(this, name, parts);
  }

  /**
   * The numeric columns as a [rows, columns] tensor (default float32). int, float, bool (0/1) and
   * date (epoch ms) columns are accepted; strings and missing values are refused with a clear
   * error (encode or impute them first).
   */
  toTensor(columns: readonly string[] = this.columnNames, options: { dtype?: DType } = {}): Tensor {
    const dtype = options.dtype ?? "float32";
    const cols = columns.map((name) => {
      const column = this.column(name);
      if (column.kind === "string") {
        throw new DTypeError(
          `Table.toTensor: column "${name}" holds strings; encode it first (e.g. OneHotEncoder)`,
        );
      }
      const missing = column.missingCount();
      if (missing > 0) {
        throw new ValueError(
          `Table.toTensor: column "${name}" has ${missing} missing value(s); impute or dropMissing first`,
        );
      }
      return column.numbers;
    });
    const rows = this.numRows;
    const width = cols.length;
    const data = allocate(dtype, rows * width);
    cols.forEach((values, c) => {
      for (let r = 0; r < rows; r++) data[r * width + c] = values[r]!;
    });
    if (dtype === "int32" || dtype === "bool") {
      // Refuse silent truncation of fractional values.
      cols.forEach((values, c) => {
        for (let r = 0; r < rows; r++) {
          if (!Number.isInteger(values[r]!)) {
            throw new DTypeError(
              `Table.toTensor: column "${columns[c]}" row ${r} is ${values[r]}, not representable as ${dtype}`,
            );
          }
        }
      });
    }
    return tensor(data, { shape: [rows, width] });
  }

  toString(options: FormatOptions = {}): string {
    return formatTable(this.columnNames, this.columns, this.numRows, options);
  }

  private checkRow(op: string, row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.numRows) {
      throw new IndexError(`${op}: row ${row} out of range [0, ${this.numRows})`);
    }
  }
}
