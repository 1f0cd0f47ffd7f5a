// data/preprocess/transformer: the fit/transform base class every preprocessing step extends,
// the conversions between the three inputs it accepts, and the JSON state format.
// Layer: data.
//
// Inputs: a Table (columns chosen by name), a 2-D Tensor [N, F] or number[][] (N rows, F
// features). A matrix is viewed as a Table whose columns are named like the columns seen at fit
// time (x0, x1, ... when fitted on a matrix too, as scikit-learn names them), so each
// transformer is written once, against Tables. The output has the input's form: Table in, Table
// out (untouched columns pass through); Tensor in, Tensor out (float32 unless the input was
// float64); number[][] in, number[][] out. Missing values are NaN in matrices.
//
// State: toJSON() gives { type, version, config, state } with plain JSON values only, and the
// registry (registry.ts) rebuilds a transformer from it, so a fitted pipeline ships with a model
// and loading it never runs code named by the file.
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { tensor } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { Column } from "../table/column.js";
import { Table } from "../table/table.js";

/** What fit/transform accept. */
export type FeatureInput = Table | Tensor | readonly (readonly number[])[];

/** Serialised transformer: plain JSON. */
export interface TransformerJSON {
  type: string;
  version: 1;
  config: Record<string, unknown>;
  state: Record<string, unknown> | null;
}

/** Default feature names of a matrix with `width` columns. */
export function matrixNames(width: number): string[] {
  return Array.from({ length: width }, (_, j) => `x${j}`);
}

/** Views a matrix input as a Table of float columns named `names`. */
export function matrixToTable(
  op: string,
  x: Tensor | readonly (readonly number[])[],
  names?: readonly string[],
): Table {
  let rows: number;
  let width: number;
  let at: (r: number, c: number) => number;
  if (x instanceof Tensor) {
    if (x.shape.length !== 2)
      throw new ShapeError(`${op}: expected a 2-D tensor [N, F] (got shape [${x.shape.join(", ")}])`);
    [rows, width] = x.shape as [number, number];
    const data = x.data;
    at = (r, c) => data[r * width + c]!;
  } else {
    rows = x.length;
    width = x[0]?.length ?? names?.length ?? 0;
    x.forEach((row, r) => {
      if (row.length !== width)
        throw new ShapeError(`${op}: row ${r} has ${row.length} values (expected ${width})`);
    });
    at = (r, c) => x[r]![c]!;
  }
  const columnNames = names ?? matrixNames(width);
  if (columnNames.length !== width) {
    throw new ShapeError(`${op}: expected ${columnNames.length} features, as at fit time (got ${width})`);
  }
  const entries: [string, Column][] = columnNames.map((name, c) => {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) values[r] = at(r, c);
    return [name, Column.fromNumbers("float", values)];
  });
  return Table.fromEntries(entries, rows);
}

/** A Table's columns as a row-major Float64Array (missing -> NaN); strings are refused. */
export function tableToMatrixData(op: string, table: Table): Float64Array {
  const width = table.numColumns;
  const out = new Float64Array(table.numRows * width);
  table.columnNames.forEach((name, c) => {
    const column = table.column(name);
    if (column.kind === "string") {
      throw new DTypeError(
        `${op}: column "${name}" holds strings and cannot go into a numeric matrix; encode it`,
      );
    }
    const values = column.numbers;
    for (let r = 0; r < table.numRows; r++) out[r * width + c] = values[r]!;
  });
  return out;
}

/** Converts a transformed Table back to the form of the original input. */
export function restoreForm(op: string, input: FeatureInput, output: Table): FeatureInput {
  if (input instanceof Table) return output;
  const data = tableToMatrixData(op, output);
  const width = output.numColumns;
  if (input instanceof Tensor) {
    const dtype = input.dtype === "float64" ? "float64" : "float32";
    return tensor(dtype === "float64" ? data : Float32Array.from(data), { shape: [output.numRows, width] });
  }
  return Array.from({ length: output.numRows }, (_, r) =>
    Array.from(data.subarray(r * width, (r + 1) * width)),
  );
}

/**
 * Base class of preprocessing steps. Subclasses implement fitTable/transformTable (and
 * inverseTable where the step can be undone) plus the JSON methods.
 */
export abstract class Transformer {
  /** Registry name, also the `type` in toJSON(). */
  abstract readonly type: string;
  /** Column names seen by fit (for matrices: x0, x1, ...). */
  featureNamesIn: string[] | undefined;

  protected abstract fitTable(table: Table): void;
  protected abstract transformTable(table: Table): Table;
  /** Undo transformTable; undefined when a step cannot be undone. */
  protected inverseTable?(table: Table): Table;
  abstract toJSON(): TransformerJSON;

  get fitted(): boolean {
    return this.featureNamesIn !== undefined;
  }

  /** Learns the step's state from training data only. */
  fit(x: FeatureInput): this {
    const table = x instanceof Table ? x : matrixToTable(`${this.type}.fit`, x);
    this.fitTable(table);
    this.featureNamesIn = [...table.columnNames];
    return this;
  }

  transform(x: Table): Table;
  transform(x: Tensor): Tensor;
  transform(x: readonly (readonly number[])[]): number[][];
  transform(x: FeatureInput): FeatureInput;
  transform(x: FeatureInput): FeatureInput {
    const op = `${this.type}.transform`;
    this.checkFitted(op);
    const table = x instanceof Table ? x : matrixToTable(op, x, this.featureNamesIn);
    return restoreForm(op, x, this.transformTable(table));
  }

  fitTransform(x: Table): Table;
  fitTransform(x: Tensor): Tensor;
  fitTransform(x: readonly (readonly number[])[]): number[][];
  fitTransform(x: FeatureInput): FeatureInput;
  fitTransform(x: FeatureInput): FeatureInput {
    return this.fit(x).transform(x);
  }

  /** Whether inverseTransform is defined for this step. */
  get invertible(): boolean {
    return this.inverseTable !== undefined;
  }

  inverseTransform(x: Table): Table;
  inverseTransform(x: Tensor): Tensor;
  inverseTransform(x: readonly (readonly number[])[]): number[][];
  inverseTransform(x: FeatureInput): FeatureInput;
  inverseTransform(x: FeatureInput): FeatureInput {
    const op = `${this.type}.inverseTransform`;
    this.checkFitted(op);
    if (this.inverseTable === undefined) throw new ValueError(`${op}: this step cannot be inverted`);
    const table = x instanceof Table ? x : matrixToTable(op, x, this.featureNamesOut());
    return restoreForm(op, x, this.inverseTable(table));
  }

  /** Names of the output columns for the fitted input columns. */
  featureNamesOut(): string[] {
    this.checkFitted(`${this.type}.featureNamesOut`);
    return this.outputNames(this.featureNamesIn!);
  }

  /** Output names for input names (default: unchanged). */
  protected outputNames(input: readonly string[]): string[] {
    return [...input];
  }

  protected checkFitted(op: string): void {
    if (!this.fitted) throw new ValueError(`${op}: call fit() first`);
  }
}

/** Checks a JSON payload's type and version before a fromJSON reads it. */
export function checkJSON(expected: string, json: unknown): TransformerJSON {
  if (typeof json !== "object" || json === null)
    throw new ValueError(`${expected}.fromJSON: expected an object`);
  const value = json as Partial<TransformerJSON>;
  if (value.type !== expected) {
    throw new ValueError(
      `${expected}.fromJSON: type is ${JSON.stringify(value.type)} (expected "${expected}")`,
    );
  }
  if (value.version !== 1)
    throw new ValueError(`${expected}.fromJSON: unsupported version ${JSON.stringify(value.version)}`);
  if (typeof value.config !== "object" || value.config === null) {
    throw new ValueError(`${expected}.fromJSON: config must be an object`);
  }
  if (typeof value.state !== "object" || Array.isArray(value.state)) {
    throw new ValueError(`${expected}.fromJSON: state must be an object or null`);
  }
  return value as TransformerJSON;
}

/** Reads a number[] from state (NaN/Infinity travel as null in JSON and come back as NaN). */
export function numbersFrom(op: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new ValueError(`${op}: expected an array of numbers`);
  return value.map((v) => {
    if (v === null) return Number.NaN;
    if (typeof v !== "number") throw new ValueError(`${op}: expected numbers (got ${typeof v})`);
    return v;
  });
}

export function stringsFrom(op: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new ValueError(`${op}: expected an array of strings`);
  }
  return value as string[];
}

/** A config's optional `columns`: undefined when absent or null, else a list of strings. */
export function configColumns(json: TransformerJSON): string[] | undefined {
  const columns = json.config.columns;
  return columns === null || columns === undefined
    ? undefined
    : stringsFrom(`${json.type}.fromJSON`, columns);
}

/** The columns a step works on: those given, or those of the table that `accept` picks. */
export function chooseColumns(
  op: string,
  table: Table,
  given: readonly string[] | undefined,
  accept: (column: Column) => boolean,
): string[] {
  if (given !== undefined) {
    for (const name of given) table.column(name);
    return [...given];
  }
  const picked = table.columnNames.filter((name) => accept(table.column(name)));
  if (picked.length === 0)
    throw new ValueError(`${op}: no suitable columns in [${table.columnNames.join(", ")}]`);
  return picked;
}
