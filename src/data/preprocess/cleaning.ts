// data/preprocess/cleaning: row-level cleaning of Tables.
// - deduplicate: drop repeated rows (all columns, or by key columns), keeping the first or last.
// - dropMissing: rows without missing values (see Table.dropMissing).
// - OutlierHandler: per-column bounds learned on training data, from the IQR rule
//   [q1 - k*IQR, q3 + k*IQR] (k default 1.5) or the z-score rule mean +/- k*std (k default 3,
//   population std); then "clip" values to the bounds, "flag" them in a bool column
//   `<column>_outlier`, or "drop" the rows (Tables only).
// - coerceTypes / TypeCoercer: cast columns to given kinds; a value that does not convert is an
//   error, or (onError "coerce") becomes missing and is reported.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { ReadReport } from "../formats/read-report.js";
import { parseAs } from "../table/cell-parse.js";
import { Column, type ColumnKind, formatCell, isColumnKind } from "../table/column.js";
import { nanMean, nanQuantile, nanStd } from "../table/stats.js";
import type { Table } from "../table/table.js";
import { numericValues } from "./scalers.js";
import {
  checkJSON,
  chooseColumns,
  numbersFrom,
  stringsFrom,
  Transformer,
  type TransformerJSON,
} from "./transformer.js";

/**
 * Rows with a combination of values (in `columns`, default all) not seen before.
 * @example
 * deduplicate(table, { columns: ["id"], keep: "last" });
 */
export function deduplicate(
  table: Table,
  options: { columns?: readonly string[]; keep?: "first" | "last" } = {},
): Table {
  const columns = (options.columns ?? table.columnNames).map((name) => table.column(name));
  const keep = options.keep ?? "first";
  const seen = new Set<string>();
  const rows: number[] = [];
  const order = Array.from({ length: table.numRows }, (_, i) =>
    keep === "first" ? i : table.numRows - 1 - i,
  );
  for (const row of order) {
    const key = JSON.stringify(columns.map((c) => c.keyAt(row)));
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  rows.sort((a, b) => a - b);
  return table.take(rows);
}

/** Rows without missing values in `columns` (default all); how "all" drops rows missing everywhere. */
export function dropMissing(
  table: Table,
  options: { columns?: readonly string[]; how?: "any" | "all" } = {},
): Table {
  return table.dropMissing(options);
}

/** Detects outliers per numeric column and clips, flags or drops them. */
export class OutlierHandler extends Transformer {
  readonly type = "OutlierHandler";
  readonly method: "iqr" | "zscore";
  readonly action: "clip" | "flag" | "drop";
  readonly factor: number;
  columns: string[] | undefined;
  lower: number[] = [];
  upper: number[] = [];

  constructor(
    options: {
      method?: "iqr" | "zscore";
      action?: "clip" | "flag" | "drop";
      factor?: number;
      columns?: readonly string[];
    } = {},
  ) {
    super();
    this.method = options.method ?? "iqr";
    this.action = options.action ?? "clip";
    if (this.method !== "iqr" && this.method !== "zscore") {
      throw new ValueError(
        `OutlierHandler: method must be "iqr" or "zscore" (got ${JSON.stringify(this.method)})`,
      );
    }
    if (!["clip", "flag", "drop"].includes(this.action)) {
      throw new ValueError(
        `OutlierHandler: action must be clip, flag or drop (got ${JSON.stringify(this.action)})`,
      );
    }
    this.factor = options.factor ?? (this.method === "iqr" ? 1.5 : 3);
    if (!(this.factor > 0)) throw new ValueError(`OutlierHandler: factor must be > 0 (got ${this.factor})`);
    this.columns = options.columns ? [...options.columns] : undefined;
  }

  protected fitTable(table: Table): void {
    const columns = chooseColumns("OutlierHandler.fit", table, this.columns, (c) => c.isNumeric);
    this.lower = [];
    this.upper = [];
    for (const name of columns) {
      const values = numericValues(this.type, table, name);
      if (this.method === "iqr") {
        const q1 = nanQuantile(values, 0.25);
        const q3 = nanQuantile(values, 0.75);
        this.lower.push(q1 - this.factor * (q3 - q1));
        this.upper.push(q3 + this.factor * (q3 - q1));
      } else {
        const mean = nanMean(values);
        const std = nanStd(values, 0);
        this.lower.push(mean - this.factor * std);
        this.upper.push(mean + this.factor * std);
      }
    }
    this.columns = columns;
  }

  /** Per row, whether any chosen column is outside its bounds (missing is not an outlier). */
  outlierMask(table: Table): Uint8Array {
    this.checkFitted("OutlierHandler.outlierMask");
    const mask = new Uint8Array(table.numRows);
    this.columns!.forEach((name, j) => {
      const values = numericValues(this.type, table, name);
      for (let r = 0; r < values.length; r++) {
        const v = values[r]!;
        if (v < this.lower[j]! || v > this.upper[j]!) mask[r] = 1;
      }
    });
    return mask;
  }

  protected transformTable(table: Table): Table {
    if (this.action === "drop") {
      const mask = this.outlierMask(table);
      return table.filter(mask.map((m) => 1 - m));
    }
    let out = table;
    this.columns!.forEach((name, j) => {
      const values = numericValues(this.type, table, name);
      const lo = this.lower[j]!;
      const hi = this.upper[j]!;
      if (this.action === "clip") {
        const clipped = Float64Array.from(values, (v) =>
          Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi),
        );
        out = out.withColumn(name, Column.fromNumbers("float", clipped));
      } else {
        const flags = Float64Array.from(values, (v) => (Number.isNaN(v) ? 0 : v < lo || v > hi ? 1 : 0));
        out = out.withColumn(`${name}_outlier`, Column.fromNumbers("bool", flags));
      }
    });
    return out;
  }

  protected override outputNames(input: readonly string[]): string[] {
    return this.action === "flag" ? [...input, ...this.columns!.map((c) => `${c}_outlier`)] : [...input];
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        method: this.method,
        action: this.action,
        factor: this.factor,
        columns: this.columns ?? null,
      },
      state: this.fitted
        ? { columns: this.columns, lower: this.lower, upper: this.upper, featureNamesIn: this.featureNamesIn }
        : null,
    };
  }

  static fromJSON(json: unknown): OutlierHandler {
    const j = checkJSON("OutlierHandler", json);
    const op = "OutlierHandler.fromJSON";
    const h = new OutlierHandler({
      method: j.config.method as "iqr" | "zscore",
      action: j.config.action as "clip" | "flag" | "drop",
      factor: j.config.factor as number,
    });
    if (j.state !== null) {
      h.columns = stringsFrom(op, j.state.columns);
      h.lower = numbersFrom(op, j.state.lower);
      h.upper = numbersFrom(op, j.state.upper);
      h.featureNamesIn = stringsFrom(op, j.state.featureNamesIn);
    }
    return h;
  }
}

/**
 * Casts columns to kinds. Text is parsed (numbers, true/false, ISO dates); numbers convert
 * between float/int/bool (an int must be whole). A value that does not convert throws, or with
 * onError "coerce" becomes missing and is listed in `report` (row = 0-based row index + 1).
 */
export function coerceTypes(
  table: Table,
  types: Record<string, ColumnKind>,
  options: { onError?: "error" | "coerce"; report?: ReadReport } = {},
): Table {
  const report = options.report ?? new ReadReport();
  let out = table;
  for (const [name, kind] of Object.entries(types)) {
    if (!isColumnKind(kind))
      throw new ValueError(`coerceTypes: unknown kind ${JSON.stringify(kind)} for "${name}"`);
    const column = table.column(name);
    if (column.kind === kind) continue;
    if (kind === "string") {
      out = out.withColumn(name, column.cast("string"));
      continue;
    }
    const values = new Float64Array(column.length);
    for (let r = 0; r < column.length; r++) {
      if (column.valid[r] === 0) {
        values[r] = Number.NaN;
        continue;
      }
      const text = formatCell(column.get(r))!;
      let v = column.kind === "string" || kind === "date" ? parseAs(kind, text) : column.numbers[r]!;
      if (kind === "int" && !Number.isSafeInteger(v)) v = Number.NaN;
      if (kind === "bool" && column.kind !== "string") v = v === 0 ? 0 : v === 1 ? 1 : Number.NaN;
      if (Number.isNaN(v)) {
        if (options.onError !== "coerce") {
          throw new ValueError(
            `coerceTypes: column "${name}" row ${r}: ${JSON.stringify(text)} is not a ${kind} value`,
          );
        }
        report.add({
          line: r + 1,
          action: "coerced",
          column: name,
          value: text,
          reason: `not a ${kind} value; now missing`,
        });
      }
      values[r] = v;
    }
    out = out.withColumn(name, Column.fromNumbers(kind, values));
  }
  return out;
}

/** coerceTypes as a pipeline step (stateless; for raw records arriving at serving time). */
export class TypeCoercer extends Transformer {
  readonly type = "TypeCoercer";
  readonly types: Record<string, ColumnKind>;
  readonly onError: "error" | "coerce";

  constructor(options: { types: Record<string, ColumnKind>; onError?: "error" | "coerce" }) {
    super();
    this.types = { ...options.types };
    this.onError = options.onError ?? "error";
  }

  protected fitTable(table: Table): void {
    for (const name of Object.keys(this.types)) table.column(name);
  }

  protected transformTable(table: Table): Table {
    return coerceTypes(table, this.types, { onError: this.onError });
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { types: this.types, onError: this.onError },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): TypeCoercer {
    const j = checkJSON("TypeCoercer", json);
    const types = j.config.types;
    if (typeof types !== "object" || types === null)
      throw new ValueError("TypeCoercer.fromJSON: types must be an object");
    const t = new TypeCoercer({
      types: types as Record<string, ColumnKind>,
      onError: j.config.onError === "coerce" ? "coerce" : "error",
    });
    if (j.state !== null) t.featureNamesIn = stringsFrom("TypeCoercer.fromJSON", j.state.featureNamesIn);
    return t;
  }
}
