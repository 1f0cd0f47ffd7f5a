// data/pii/redact: preprocessing steps that remove direct identifiers: DropColumns takes columns
// out, MaskColumns hides most of each value ("j***@e******.com", "**** **** **** 1111"). Both are
// stateless beyond the columns they act on, fit/transform like the other steps and save with a
// model's preprocessing. Layer: data.
import { ValueError } from "../../core/errors.js";
import {
  checkJSON,
  configColumns,
  stringsFrom,
  Transformer,
  type TransformerJSON,
} from "../preprocess/transformer.js";
import { Column, formatCell } from "../table/column.js";
import type { Table } from "../table/table.js";
import { detectValue, maskValue } from "./detectors.js";

/** A string column with `f` applied to the text of every present cell (once per distinct string). */
export function mapCells(column: Column, f: (text: string) => string): Column {
  if (column.kind === "string") {
    const mapped = column.dictionary.map(f);
    const codes = column.codes;
    return Column.fromStrings(Array.from(codes, (code) => (code < 0 ? null : mapped[code]!)));
  }
  return Column.fromStrings(
    Array.from({ length: column.length }, (_, r) => {
      const text = formatCell(column.get(r));
      return text === null ? null : f(text);
    }),
  );
}

/** Checks the columns named at construction exist in the table a step is fitted on. */
export function requireColumns(op: string, table: Table, columns: readonly string[]): void {
  if (columns.length === 0) throw new ValueError(`${op}: expected at least one column`);
  const missing = columns.filter((c) => !table.has(c));
  if (missing.length > 0) {
    throw new ValueError(
      `${op}: no column ${missing.map((c) => `"${c}"`).join(", ")} (columns: ${table.columnNames.join(", ")})`,
    );
  }
}

/** The `columns` a PII step was built with (required). */
export function givenColumns(op: string, columns: readonly string[] | undefined): string[] {
  if (columns === undefined || columns.length === 0)
    throw new ValueError(`${op}: name the columns to act on (options.columns)`);
  if (columns.some((c) => typeof c !== "string")) throw new ValueError(`${op}: columns must be strings`);
  return [...columns];
}

/** Restores featureNamesIn from a saved state. */
export function restoreFitted(step: Transformer, json: TransformerJSON): void {
  if (json.state !== null)
    step.featureNamesIn = stringsFrom(`${json.type}.fromJSON`, json.state.featureNamesIn);
}

/**
 * Removes columns (names, e-mail addresses, free text) before anything else sees them.
 * @example
 * new DropColumns({ columns: ["name", "email"] }).fitTransform(table);
 */
export class DropColumns extends Transformer {
  readonly type = "DropColumns";
  readonly columns: string[];

  constructor(options: { columns: readonly string[] }) {
    super();
    this.columns = givenColumns("DropColumns", options.columns);
  }

  protected fitTable(table: Table): void {
    requireColumns("DropColumns.fit", table, this.columns);
  }

  protected transformTable(table: Table): Table {
    requireColumns("DropColumns.transform", table, this.columns);
    return table.drop(this.columns);
  }

  protected override outputNames(input: readonly string[]): string[] {
    return input.filter((name) => !this.columns.includes(name));
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { columns: this.columns },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): DropColumns {
    const j = checkJSON("DropColumns", json);
    const step = new DropColumns({ columns: configColumns(j) ?? [] });
    restoreFitted(step, j);
    return step;
  }
}

/**
 * Hides most of each value. By default the mask follows what the value is (an e-mail keeps its
 * first letters and top-level domain, a card or IBAN its last four characters, a phone its last two
 * digits, anything else its first character); with `keepLast` every value keeps its last
 * `keepLast` characters and letters and digits before them become `*`.
 * @example
 * new MaskColumns({ columns: ["card"] }).fitTransform(table); // "4111 1111 1111 1111" -> "**** **** **** 1111"
 */
export class MaskColumns extends Transformer {
  readonly type = "MaskColumns";
  readonly columns: string[];
  readonly keepLast: number | null;

  constructor(options: { columns: readonly string[]; keepLast?: number | null }) {
    super();
    this.columns = givenColumns("MaskColumns", options.columns);
    this.keepLast = options.keepLast ?? null;
    if (this.keepLast !== null && !(Number.isInteger(this.keepLast) && this.keepLast >= 0))
      throw new ValueError(`MaskColumns: keepLast must be an integer >= 0 (got ${this.keepLast})`);
  }

  /** The masked form of one value. */
  mask(value: string): string {
    const keep = this.keepLast;
    if (keep === null) return maskValue(detectValue(value) ?? "other", value);
    const cut = Math.max(value.length - keep, 0);
    return value.slice(0, cut).replace(/[\p{L}\p{N}]/gu, "*") + value.slice(cut);
  }

  protected fitTable(table: Table): void {
    requireColumns("MaskColumns.fit", table, this.columns);
  }

  protected transformTable(table: Table): Table {
    requireColumns("MaskColumns.transform", table, this.columns);
    let out = table;
    for (const name of this.columns)
      out = out.withColumn(
        name,
        mapCells(table.column(name), (v) => this.mask(v)),
      );
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { columns: this.columns, keepLast: this.keepLast },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): MaskColumns {
    const j = checkJSON("MaskColumns", json);
    const keepLast = j.config.keepLast;
    if (keepLast !== null && keepLast !== undefined && typeof keepLast !== "number")
      throw new ValueError("MaskColumns.fromJSON: keepLast must be a number or null");
    const step = new MaskColumns({ columns: configColumns(j) ?? [], keepLast: keepLast ?? null });
    restoreFitted(step, j);
    return step;
  }
}
