// data/preprocess/encoders: categorical encoders with scikit-learn's semantics. Categories are
// the sorted distinct training values of each column; a missing value seen in training is a
// category of its own (named "NA", as scikit-learn's nan category).
// - OneHotEncoder: each column becomes one 0/1 column per category (`<column>_<category>`);
//   an unknown category is an error, or (handleUnknown "ignore") a row of zeros.
// - OrdinalEncoder: each column becomes the category's index; unknown is an error or
//   `unknownValue` (handleUnknown "useEncodedValue"); missing stays missing (NaN).
// - LabelEncoder: a target vector to class indices 0..K-1 and back.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type CellValue, Column, type ColumnKind } from "../table/column.js";
import { Table } from "../table/table.js";
import { checkJSON, chooseColumns, stringsFrom, Transformer, type TransformerJSON } from "./transformer.js";

/** A category as JSON: the value itself (dates as epoch ms), null for missing. */
export type Category = string | number | boolean | null;

function categoryOf(column: Column, row: number): Category {
  if (column.valid[row] === 0) return null;
  const value = column.get(row);
  return value instanceof Date ? value.getTime() : (value as Category);
}

function compareCategories(a: Category, b: Category): number {
  if (a === b) return 0;
  if (a === null) return 1; // missing sorts last
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Sorted distinct categories of a column (missing last, when present). */
function categoriesOf(column: Column): Category[] {
  const seen = new Map<string, Category>();
  for (let row = 0; row < column.length; row++) {
    const cat = categoryOf(column, row);
    seen.set(JSON.stringify(cat), cat);
  }
  return [...seen.values()].sort(compareCategories);
}

function categoryName(cat: Category): string {
  return cat === null ? "NA" : String(cat);
}

function checkCategories(op: string, value: unknown): Category[][] {
  if (!Array.isArray(value) || value.some((list) => !Array.isArray(list))) {
    throw new ValueError(`${op}: categories must be an array of arrays`);
  }
  return (value as unknown[][]).map((list) =>
    list.map((c) => {
      if (c === null || typeof c === "string" || typeof c === "number" || typeof c === "boolean") return c;
      throw new ValueError(`${op}: bad category ${JSON.stringify(c)}`);
    }),
  );
}

/** Base of the two table encoders: columns, categories and kinds, and their JSON. */
abstract class CategoricalEncoder extends Transformer {
  columns: string[] | undefined;
  categories: Category[][] = [];
  /** Kind of each encoded column, to rebuild it in inverseTransform. */
  kinds: ColumnKind[] = [];

  constructor(columns?: readonly string[]) {
    super();
    this.columns = columns ? [...columns] : undefined;
  }

  protected fitTable(table: Table): void {
    // Default: the text and bool columns; a matrix (all numbers) is encoded whole.
    const categorical = table.columnNames.some((n) => ["string", "bool"].includes(table.column(n).kind));
    const columns = chooseColumns(
      `${this.type}.fit`,
      table,
      this.columns,
      (c) => !categorical || c.kind === "string" || c.kind === "bool",
    );
    this.categories = columns.map((name) => categoriesOf(table.column(name)));
    this.kinds = columns.map((name) => table.column(name).kind);
    this.columns = columns;
  }

  /** Index of each row's category in column j (-1 unknown, -2 missing not seen in training). */
  protected codesOf(table: Table, j: number): Int32Array {
    const column = table.column(this.columns![j]!);
    const lookup = new Map(this.categories[j]!.map((c, i) => [JSON.stringify(c), i]));
    const codes = new Int32Array(column.length);
    for (let row = 0; row < column.length; row++) {
      codes[row] = lookup.get(JSON.stringify(categoryOf(column, row))) ?? -1;
    }
    return codes;
  }

  /** Rebuilds a column of kind kinds[j] from category indices (NaN -> missing). */
  protected columnFromCodes(j: number, codes: ArrayLike<number>): Column {
    const cats = this.categories[j]!;
    const values: unknown[] = Array.from(codes, (code) => {
      if (Number.isNaN(code)) return null;
      const cat = cats[code];
      if (cat === undefined)
        throw new ValueError(`${this.type}.inverseTransform: code ${code} is not a category`);
      return this.kinds[j] === "date" && typeof cat === "number" ? new Date(cat) : cat;
    });
    const kind = this.kinds[j]!;
    return Column.fromValues(values, kind === "int" || kind === "float" ? "float" : kind);
  }

  protected stateJSON(): Record<string, unknown> | null {
    return this.fitted
      ? {
          columns: this.columns,
          categories: this.categories,
          kinds: this.kinds,
          featureNamesIn: this.featureNamesIn,
        }
      : null;
  }

  protected loadState(json: TransformerJSON): this {
    if (json.state !== null) {
      const op = `${this.type}.fromJSON`;
      this.columns = stringsFrom(op, json.state.columns);
      this.categories = checkCategories(op, json.state.categories);
      this.kinds = stringsFrom(op, json.state.kinds) as ColumnKind[];
      this.featureNamesIn = stringsFrom(op, json.state.featureNamesIn);
      if (this.categories.length !== this.columns.length || this.kinds.length !== this.columns.length) {
        throw new ValueError(`${op}: state arrays do not match the ${this.columns.length} columns`);
      }
    }
    return this;
  }
}

/**
 * One 0/1 column per category.
 * @example
 * const enc = new OneHotEncoder({ columns: ["species"] }).fit(penguins);
 * enc.transform(penguins).columnNames; // [..., "species_Adelie", "species_Chinstrap", "species_Gentoo", ...]
 */
export class OneHotEncoder extends CategoricalEncoder {
  readonly type = "OneHotEncoder";
  readonly handleUnknown: "error" | "ignore";

  constructor(options: { columns?: readonly string[]; handleUnknown?: "error" | "ignore" } = {}) {
    super(options.columns);
    this.handleUnknown = options.handleUnknown ?? "error";
    if (this.handleUnknown !== "error" && this.handleUnknown !== "ignore") {
      throw new ValueError(
        `OneHotEncoder: handleUnknown must be "error" or "ignore" (got ${JSON.stringify(this.handleUnknown)})`,
      );
    }
  }

  protected override outputNames(input: readonly string[]): string[] {
    return input.flatMap((name) => {
      const j = this.columns!.indexOf(name);
      return j < 0 ? [name] : this.categories[j]!.map((cat) => `${name}_${categoryName(cat)}`);
    });
  }

  protected transformTable(table: Table): Table {
    const entries: [string, Column][] = [];
    for (const name of table.columnNames) {
      const j = this.columns!.indexOf(name);
      if (j < 0) {
        entries.push([name, table.column(name)]);
        continue;
      }
      const codes = this.codesOf(table, j);
      const unknown = codes.indexOf(-1);
      if (unknown >= 0 && this.handleUnknown === "error") {
        const value = categoryName(categoryOf(table.column(name), unknown));
        throw new ValueError(
          `OneHotEncoder.transform: column "${name}" row ${unknown} has unknown category ${JSON.stringify(value)} (use handleUnknown: "ignore" to encode it as all zeros)`,
        );
      }
      this.categories[j]!.forEach((cat, k) => {
        const values = new Float64Array(codes.length);
        for (let r = 0; r < codes.length; r++) values[r] = codes[r] === k ? 1 : 0;
        entries.push([`${name}_${categoryName(cat)}`, Column.fromNumbers("float", values)]);
      });
    }
    return Table.fromEntries(entries, table.numRows);
  }

  protected override inverseTable(table: Table): Table {
    const entries: [string, Column][] = [];
    const done = new Set<string>();
    for (const name of table.columnNames) {
      const owner = this.columns!.findIndex((c, j) =>
        this.categories[j]!.some((cat) => `${c}_${categoryName(cat)}` === name),
      );
      if (owner < 0) {
        entries.push([name, table.column(name)]);
        continue;
      }
      const original = this.columns![owner]!;
      if (done.has(original)) continue;
      done.add(original);
      const indicators = this.categories[owner]!.map(
        (cat) => table.column(`${original}_${categoryName(cat)}`).numbers,
      );
      const codes = new Float64Array(table.numRows).fill(Number.NaN);
      for (let r = 0; r < table.numRows; r++) {
        let best = -1;
        indicators.forEach((values, k) => {
          if (values[r]! > 0 && (best < 0 || values[r]! > indicators[best]![r]!)) best = k;
        });
        if (best >= 0) codes[r] = best; // all zeros (an ignored unknown) -> missing
      }
      entries.push([original, this.columnFromCodes(owner, codes)]);
    }
    return Table.fromEntries(entries, table.numRows);
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { columns: this.columns ?? null, handleUnknown: this.handleUnknown },
      state: this.stateJSON(),
    };
  }

  static fromJSON(json: unknown): OneHotEncoder {
    const j = checkJSON("OneHotEncoder", json);
    return new OneHotEncoder({
      handleUnknown: j.config.handleUnknown === "ignore" ? "ignore" : "error",
    }).loadState(j);
  }
}

/** Each category to its index in the sorted categories (a float column). */
export class OrdinalEncoder extends CategoricalEncoder {
  readonly type = "OrdinalEncoder";
  readonly handleUnknown: "error" | "useEncodedValue";
  readonly unknownValue: number;

  constructor(
    options: {
      columns?: readonly string[];
      handleUnknown?: "error" | "useEncodedValue";
      unknownValue?: number;
    } = {},
  ) {
    super(options.columns);
    this.handleUnknown = options.handleUnknown ?? "error";
    this.unknownValue = options.unknownValue ?? Number.NaN;
    if (this.handleUnknown === "useEncodedValue" && options.unknownValue === undefined) {
      throw new ValueError('OrdinalEncoder: handleUnknown "useEncodedValue" needs an unknownValue');
    }
  }

  protected transformTable(table: Table): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      const codes = this.codesOf(table, j);
      const column = table.column(name);
      const values = new Float64Array(codes.length);
      for (let r = 0; r < codes.length; r++) {
        const code = codes[r]!;
        if (column.valid[r] === 0 && (code < 0 || this.categories[j]![code] === null)) values[r] = Number.NaN;
        else if (code >= 0) values[r] = code;
        else if (this.handleUnknown === "error") {
          throw new ValueError(
            `OrdinalEncoder.transform: column "${name}" row ${r} has unknown category ${JSON.stringify(categoryName(categoryOf(column, r)))}`,
          );
        } else values[r] = this.unknownValue;
      }
      out = out.withColumn(name, Column.fromNumbers("float", values));
    });
    return out;
  }

  protected override inverseTable(table: Table): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      out = out.withColumn(name, this.columnFromCodes(j, table.column(name).numbers));
    });
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        columns: this.columns ?? null,
        handleUnknown: this.handleUnknown,
        unknownValue: Number.isNaN(this.unknownValue) ? null : this.unknownValue,
      },
      state: this.stateJSON(),
    };
  }

  static fromJSON(json: unknown): OrdinalEncoder {
    const j = checkJSON("OrdinalEncoder", json);
    const unknownValue = typeof j.config.unknownValue === "number" ? j.config.unknownValue : Number.NaN;
    return new OrdinalEncoder({
      handleUnknown: j.config.handleUnknown === "useEncodedValue" ? "useEncodedValue" : "error",
      unknownValue,
    }).loadState(j);
  }
}

/** Target labels to class indices 0..K-1 (classes sorted) and back. */
export class LabelEncoder {
  readonly type = "LabelEncoder";
  classes: Category[] | undefined;

  private static toColumn(y: Column | readonly CellValue[] | Tensor): Column {
    if (y instanceof Column) return y;
    if (y instanceof Tensor) return Column.fromValues(Array.from(y.data as ArrayLike<number>));
    return Column.fromValues(y);
  }

  fit(y: Column | readonly CellValue[] | Tensor): this {
    const column = LabelEncoder.toColumn(y);
    if (column.missingCount() > 0) throw new ValueError("LabelEncoder.fit: labels contain missing values");
    this.classes = categoriesOf(column);
    return this;
  }

  /** Class index of each label (unknown labels are an error). */
  transform(y: Column | readonly CellValue[] | Tensor): Int32Array {
    if (this.classes === undefined) throw new ValueError("LabelEncoder.transform: call fit() first");
    const column = LabelEncoder.toColumn(y);
    const lookup = new Map(this.classes.map((c, i) => [JSON.stringify(c), i]));
    const out = new Int32Array(column.length);
    for (let r = 0; r < column.length; r++) {
      const code = lookup.get(JSON.stringify(categoryOf(column, r)));
      if (code === undefined) {
        throw new ValueError(
          `LabelEncoder.transform: unknown label ${JSON.stringify(categoryOf(column, r))} at ${r}`,
        );
      }
      out[r] = code;
    }
    return out;
  }

  fitTransform(y: Column | readonly CellValue[] | Tensor): Int32Array {
    return this.fit(y).transform(y);
  }

  inverseTransform(codes: ArrayLike<number> | Tensor): Category[] {
    if (this.classes === undefined) throw new ValueError("LabelEncoder.inverseTransform: call fit() first");
    const values = codes instanceof Tensor ? codes.data : codes;
    return Array.from(values as ArrayLike<number>, (code) => {
      const cat = this.classes![code];
      if (cat === undefined)
        throw new ValueError(`LabelEncoder.inverseTransform: ${code} is not a class index`);
      return cat;
    });
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {},
      state: this.classes ? { classes: this.classes } : null,
    };
  }

  static fromJSON(json: unknown): LabelEncoder {
    const j = checkJSON("LabelEncoder", json);
    const encoder = new LabelEncoder();
    if (j.state !== null) encoder.classes = checkCategories("LabelEncoder.fromJSON", [j.state.classes])[0];
    return encoder;
  }
}
