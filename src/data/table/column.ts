// data/table/column: one typed column of a Table, with missing values as first-class citizens.
// Layer: data (imports core only).
//
// Storage convention (documented once, relied on everywhere in src/data):
// - every column has `valid: Uint8Array`, 1 where a value is present and 0 where it is missing;
// - float, int, bool and date columns keep their values in a Float64Array (`numbers`): bool as
//   0/1, date as milliseconds since the Unix epoch (UTC), int as safe integers. A missing slot
//   holds NaN, so numeric code may read `numbers` directly and treat NaN as "missing";
// - string columns are dictionary encoded: `codes: Int32Array` index into `dictionary`, and a
//   missing slot has code -1. Columns derived by take/filter share the dictionary, so it may hold
//   entries that no row uses; `uniqueCount()` counts only the used ones.
// Columns are immutable by convention: operations return new columns and may share arrays with
// their source, so never write into `numbers`, `codes` or `valid` of a column you did not build.
import { DTypeError, ValueError } from "../../core/errors.js";
import { parseAs } from "./cell-parse.js";

/** The kinds of values a column holds. */
export type ColumnKind = "float" | "int" | "bool" | "string" | "date";

export const COLUMN_KINDS: readonly ColumnKind[] = ["float", "int", "bool", "string", "date"];

/** One cell as JavaScript sees it; null is a missing value. */
export type CellValue = number | boolean | string | Date | null;

/** Kinds stored as numbers in a Float64Array. */
export type NumericKind = "float" | "int" | "bool" | "date";

export function isColumnKind(value: unknown): value is ColumnKind {
  return typeof value === "string" && (COLUMN_KINDS as readonly string[]).includes(value);
}

/**
 * A typed column. Build one with the static constructors; read cells with `get(i)`.
 * @example
 * const c = Column.fromValues([1.5, null, 3]);
 * c.kind; // "float"
 * c.missingCount(); // 1
 */
export class Column {
  readonly kind: ColumnKind;
  readonly length: number;
  /** 1 where the row has a value, 0 where it is missing. */
  readonly valid: Uint8Array;
  private readonly numberData: Float64Array | undefined;
  private readonly codeData: Int32Array | undefined;
  private readonly dict: readonly string[] | undefined;

  private constructor(
    kind: ColumnKind,
    valid: Uint8Array,
    numbers: Float64Array | undefined,
    codes: Int32Array | undefined,
    dictionary: readonly string[] | undefined,
  ) {
    this.kind = kind;
    this.length = valid.length;
    this.valid = valid;
    this.numberData = numbers;
    this.codeData = codes;
    this.dict = dictionary;
  }

  /**
   * A numeric column over `values` (kept, not copied). NaN marks a missing value unless `valid`
   * is given; where `valid` is 0 the value is overwritten with NaN.
   */
  static fromNumbers(kind: NumericKind, values: Float64Array, valid?: Uint8Array): Column {
    const mask = valid ?? new Uint8Array(values.length);
    if (valid === undefined) {
      for (let i = 0; i < values.length; i++) mask[i] = Number.isNaN(values[i]!) ? 0 : 1;
    } else {
      if (valid.length !== values.length) {
        throw new ValueError(
          `Column.fromNumbers: valid mask has ${valid.length} entries (expected ${values.length})`,
        );
      }
      for (let i = 0; i < values.length; i++) if (mask[i] === 0) values[i] = Number.NaN;
    }
    return new Column(kind, mask, values, undefined, undefined);
  }

  /** A string column from dictionary codes (-1 = missing). Codes are kept, not copied. */
  static fromCodes(codes: Int32Array, dictionary: readonly string[]): Column {
    const valid = new Uint8Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code >= dictionary.length) {
        throw new ValueError(
          `Column.fromCodes: code ${code} at row ${i} is outside the dictionary (size ${dictionary.length})`,
        );
      }
      valid[i] = code >= 0 ? 1 : 0;
    }
    return new Column("string", valid, undefined, codes, dictionary);
  }

  /** A string column from strings and nulls. */
  static fromStrings(values: ArrayLike<string | null | undefined>): Column {
    const codes = new Int32Array(values.length);
    const dictionary: string[] = [];
    const lookup = new Map<string, number>();
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) {
        codes[i] = -1;
        continue;
      }
      let code = lookup.get(value);
      if (code === undefined) {
        code = dictionary.length;
        dictionary.push(value);
        lookup.set(value, code);
      }
      codes[i] = code;
    }
    return Column.fromCodes(codes, dictionary);
  }

  /**
   * A column from JavaScript values (null/undefined/NaN = missing). Without `kind` it is inferred:
   * all booleans -> bool, all integers -> int, all numbers -> float, all Dates -> date, all
   * strings -> string; no values at all -> float. With `kind` every value must fit it.
   */
  static fromValues(values: ArrayLike<unknown>, kind?: ColumnKind, name = "column"): Column {
    const target = kind ?? inferKind(values, name);
    if (target === "string") {
      const strings: (string | null)[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (isMissingValue(v)) strings[i] = null;
        else if (typeof v === "string") strings[i] = v;
        else throw kindMismatch(name, i, "string", v);
      }
      return Column.fromStrings(strings);
    }
    const numbers = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (isMissingValue(v)) {
        numbers[i] = Number.NaN;
        continue;
      }
      numbers[i] = toNumberOfKind(target, v, name, i);
    }
    return Column.fromNumbers(target, numbers);
  }

  /** A column of `length` missing values. */
  static missing(kind: ColumnKind, length: number): Column {
    if (kind === "string") return Column.fromCodes(new Int32Array(length).fill(-1), []);
    return Column.fromNumbers(kind, new Float64Array(length).fill(Number.NaN));
  }

  /** The Float64Array behind a float/int/bool/date column (NaN where missing). Do not mutate. */
  get numbers(): Float64Array {
    if (this.numberData === undefined) {
      throw new DTypeError(`Column.numbers: expected a numeric column (got ${this.kind})`);
    }
    return this.numberData;
  }

  /** The dictionary codes of a string column (-1 where missing). Do not mutate. */
  get codes(): Int32Array {
    if (this.codeData === undefined) {
      throw new DTypeError(`Column.codes: expected a string column (got ${this.kind})`);
    }
    return this.codeData;
  }

  /** The dictionary of a string column (may hold values no row uses). */
  get dictionary(): readonly string[] {
    if (this.dict === undefined) {
      throw new DTypeError(`Column.dictionary: expected a string column (got ${this.kind})`);
    }
    return this.dict;
  }

  /** Whether the values are numbers (float or int). Bool and date are numeric in storage only. */
  get isNumeric(): boolean {
    return this.kind === "float" || this.kind === "int";
  }

  isMissing(row: number): boolean {
    return this.valid[row] === 0;
  }

  /** The cell at `row` (null if missing). */
  get(row: number): CellValue {
    if (this.valid[row] !== 1) return null;
    switch (this.kind) {
      case "string":
        return this.dict![this.codeData![row]!]!;
      case "bool":
        return this.numberData![row] !== 0;
      case "date":
        return new Date(this.numberData![row]!);
      default:
        return this.numberData![row]!;
    }
  }

  /** The string at `row` for a string column, null if missing. */
  stringAt(row: number): string | null {
    const code = this.codes[row]!;
    return code < 0 ? null : this.dictionary[code]!;
  }

  /** A key that is equal for equal cells (used by groupBy, join, dedup, valueCounts). */
  keyAt(row: number): string | number | null {
    if (this.valid[row] !== 1) return null;
    return this.kind === "string" ? this.dict![this.codeData![row]!]! : this.numberData![row]!;
  }

  missingCount(): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.valid[i] === 0) n++;
    return n;
  }

  /** Number of distinct present values. */
  uniqueCount(): number {
    const seen = new Set<number | string>();
    for (let i = 0; i < this.length; i++) {
      const key = this.keyAt(i);
      if (key !== null) seen.add(key);
    }
    return seen.size;
  }

  /** Numeric view as a fresh Float64Array (NaN where missing); string columns are refused. */
  toFloat64(): Float64Array {
    return this.numbers.slice();
  }

  /** All cells as JavaScript values. */
  toArray(): CellValue[] {
    const out: CellValue[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }

  /** Rows `indices` in order; an index of -1 yields a missing cell (used by outer joins). */
  take(indices: ArrayLike<number>): Column {
    const n = indices.length;
    const valid = new Uint8Array(n);
    if (this.kind === "string") {
      const codes = new Int32Array(n);
      const src = this.codeData!;
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        const code = j < 0 ? -1 : src[j]!;
        codes[i] = code;
        valid[i] = code >= 0 ? 1 : 0;
      }
      return new Column("string", valid, undefined, codes, this.dict);
    }
    const numbers = new Float64Array(n);
    const src = this.numberData!;
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      if (j < 0 || this.valid[j] === 0) {
        numbers[i] = Number.NaN;
      } else {
        numbers[i] = src[j]!;
        valid[i] = 1;
      }
    }
    return new Column(this.kind, valid, numbers, undefined, undefined);
  }

  /** Rows [start, end). Shares nothing with this column. */
  slice(start: number, end: number): Column {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    const valid = this.valid.slice(from, to);
    if (this.kind === "string") {
      return new Column("string", valid, undefined, this.codeData!.slice(from, to), this.dict);
    }
    return new Column(this.kind, valid, this.numberData!.slice(from, to), undefined, undefined);
  }

  /** This column with its missing cells replaced (fill must suit the kind). */
  fillMissing(fill: CellValue): Column {
    if (fill === null) return this;
    const values = this.toArray();
    for (let i = 0; i < values.length; i++) if (values[i] === null) values[i] = fill;
    return Column.fromValues(values, this.kind);
  }

  /** The same values as another kind; values that do not convert throw a ValueError. */
  cast(kind: ColumnKind, name = "column"): Column {
    if (kind === this.kind) return this;
    if (kind === "string") {
      const strings: (string | null)[] = new Array(this.length);
      for (let i = 0; i < this.length; i++) strings[i] = formatCell(this.get(i));
      return Column.fromStrings(strings);
    }
    if (this.kind === "string") {
      const out = new Float64Array(this.length);
      for (let i = 0; i < this.length; i++) {
        const s = this.stringAt(i);
        if (s === null) {
          out[i] = Number.NaN;
          continue;
        }
        const parsed = parseAs(kind, s);
        if (Number.isNaN(parsed)) throw kindMismatch(name, i, kind, s);
        out[i] = parsed;
      }
      return Column.fromNumbers(kind, out);
    }
    const src = this.numbers;
    const out = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = src[i]!;
      if (Number.isNaN(v)) {
        out[i] = v;
        continue;
      }
      if (kind === "int" && !Number.isSafeInteger(v)) throw kindMismatch(name, i, kind, v);
      out[i] = kind === "bool" ? (v !== 0 ? 1 : 0) : v;
    }
    return Column.fromNumbers(kind, out);
  }

  /** A new column of `other` appended below this one (kinds must match; int+float -> float). */
  concat(other: Column): Column {
    let kind = this.kind;
    if (kind !== other.kind) {
      const numeric = (k: ColumnKind) => k === "int" || k === "float";
      if (numeric(kind) && numeric(other.kind)) kind = "float";
      else throw new DTypeError(`Column.concat: kinds differ (got ${this.kind} and ${other.kind})`);
    }
    if (kind === "string") {
      const values: (string | null)[] = [];
      for (let i = 0; i < this.length; i++) values.push(this.stringAt(i));
      for (let i = 0; i < other.length; i++) values.push(other.stringAt(i));
      return Column.fromStrings(values);
    }
    const out = new Float64Array(this.length + other.length);
    out.set(this.numbers, 0);
    out.set(other.numbers, this.length);
    return Column.fromNumbers(kind as NumericKind, out);
  }
}

/** Whether a JavaScript value counts as missing: null, undefined or NaN. */
export function isMissingValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}

function kindMismatch(name: string, row: number, kind: ColumnKind, value: unknown): ValueError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new ValueError(`column "${name}": row ${row} is not a ${kind} value (got ${shown})`);
}

function toNumberOfKind(kind: NumericKind, v: unknown, name: string, row: number): number {
  switch (kind) {
    case "bool":
      if (typeof v === "boolean") return v ? 1 : 0;
      break;
    case "int":
      if (typeof v === "number" && Number.isSafeInteger(v)) return v;
      break;
    case "float":
      if (typeof v === "number") return v;
      break;
    case "date":
      if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
      break;
  }
  throw kindMismatch(name, row, kind, v);
}

function inferKind(values: ArrayLike<unknown>, name: string): ColumnKind {
  let kind: ColumnKind | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissingValue(v)) continue;
    let k: ColumnKind;
    if (typeof v === "boolean") k = "bool";
    else if (typeof v === "number") k = Number.isSafeInteger(v) ? "int" : "float";
    else if (typeof v === "string") k = "string";
    else if (v instanceof Date) k = "date";
    else
      throw new ValueError(
        `column "${name}": row ${i} holds a ${typeof v}; expected number, boolean, string, Date or null`,
      );
    if (kind === undefined || kind === k) kind = k;
    else if ((kind === "int" && k === "float") || (kind === "float" && k === "int")) kind = "float";
    else throw new DTypeError(`column "${name}": mixes ${kind} and ${k} values (row ${i})`);
  }
  return kind ?? "float";
}

/** A cell as text for printing and CSV writing (null stays null; dates as ISO 8601). */
export function formatCell(value: CellValue): string | null {
  if (value === null) return null;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return String(value);
}
