// data/preprocess/imputer: SimpleImputer fills missing values per column with a statistic of the
// training data: mean or median (numeric columns), most frequent value (any column; ties go to
// the smallest value, as scikit-learn) or a constant. Layer: data.
import { ValueError } from "../../core/errors.js";
import type { CellValue, Column } from "../table/column.js";
import { nanMean, nanMedian } from "../table/stats.js";
import type { Table } from "../table/table.js";
import {
  checkJSON,
  chooseColumns,
  configColumns,
  stringsFrom,
  Transformer,
  type TransformerJSON,
} from "./transformer.js";

export type ImputeStrategy = "mean" | "median" | "mostFrequent" | "constant";

const STRATEGIES: readonly ImputeStrategy[] = ["mean", "median", "mostFrequent", "constant"];

/** A fill value as JSON: numbers, strings, booleans; dates as { date: epochMs }. */
type FillJSON = number | string | boolean | null | { date: number };

function fillToJSON(value: CellValue): FillJSON {
  if (value instanceof Date) return { date: value.getTime() };
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

function fillFromJSON(value: unknown): CellValue {
  if (
    value === null ||
    typeof value === "number" ||
    typeof value === "string" ||
    typeof value === "boolean"
  ) {
    return value;
  }
  if (typeof value === "object" && typeof (value as { date?: unknown }).date === "number") {
    return new Date((value as { date: number }).date);
  }
  throw new ValueError(`SimpleImputer.fromJSON: bad fill value ${JSON.stringify(value)}`);
}

/** Most frequent present value; ties resolved to the smallest (numbers) or first in sort order (text). */
function mostFrequent(column: Column): CellValue {
  const counts = new Map<string | number, { row: number; count: number }>();
  for (let row = 0; row < column.length; row++) {
    const key = column.keyAt(row);
    if (key === null) continue;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { row, count: 1 });
    else entry.count++;
  }
  let best: { key: string | number; row: number; count: number } | undefined;
  for (const [key, entry] of counts) {
    if (best === undefined || entry.count > best.count || (entry.count === best.count && key < best.key)) {
      best = { key, ...entry };
    }
  }
  return best === undefined ? null : column.get(best.row);
}

/**
 * Fills missing cells.
 * @example
 * const imputer = new SimpleImputer({ strategy: "median" }).fit(train);
 * imputer.transform(test); // same columns, no missing numeric cells
 */
export class SimpleImputer extends Transformer {
  readonly type = "SimpleImputer";
  readonly strategy: ImputeStrategy;
  readonly fillValue: CellValue;
  columns: string[] | undefined;
  /** The learned fill value of each column. */
  statistics: CellValue[] = [];

  constructor(
    options: { strategy?: ImputeStrategy; fillValue?: CellValue; columns?: readonly string[] } = {},
  ) {
    super();
    this.strategy = options.strategy ?? "mean";
    if (!STRATEGIES.includes(this.strategy)) {
      throw new ValueError(
        `SimpleImputer: unknown strategy ${JSON.stringify(this.strategy)} (expected ${STRATEGIES.join(", ")})`,
      );
    }
    this.fillValue = options.fillValue ?? null;
    if (this.strategy === "constant" && this.fillValue === null) {
      throw new ValueError('SimpleImputer: strategy "constant" needs a fillValue');
    }
    this.columns = options.columns ? [...options.columns] : undefined;
  }

  protected fitTable(table: Table): void {
    const numericOnly = this.strategy === "mean" || this.strategy === "median";
    const columns = chooseColumns(
      "SimpleImputer.fit",
      table,
      this.columns,
      (c) => !numericOnly || c.kind === "float" || c.kind === "int",
    );
    this.statistics = columns.map((name) => {
      const column = table.column(name);
      switch (this.strategy) {
        case "mean":
        case "median": {
          if (!column.isNumeric) {
            throw new ValueError(
              `SimpleImputer: strategy ${this.strategy} needs a numeric column ("${name}" is ${column.kind})`,
            );
          }
          return this.strategy === "mean" ? nanMean(column.numbers) : nanMedian(column.numbers);
        }
        case "mostFrequent":
          return mostFrequent(column);
        default:
          return this.fillValue; // "constant"
      }
    });
    this.columns = columns;
  }

  protected transformTable(table: Table): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      const column = table.column(name);
      const fill = this.statistics[j]!;
      if (fill === null || (typeof fill === "number" && Number.isNaN(fill)) || column.missingCount() === 0)
        return;
      // A mean of an int column is fractional: the filled column becomes float (as pandas).
      const filled =
        column.kind === "int" && typeof fill === "number" && !Number.isInteger(fill)
          ? column.cast("float").fillMissing(fill)
          : column.fillMissing(fill);
      out = out.withColumn(name, filled);
    });
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        strategy: this.strategy,
        fillValue: fillToJSON(this.fillValue),
        columns: this.columns ?? null,
      },
      state: this.fitted
        ? {
            columns: this.columns,
            statistics: this.statistics.map(fillToJSON),
            featureNamesIn: this.featureNamesIn,
          }
        : null,
    };
  }

  static fromJSON(json: unknown): SimpleImputer {
    const j = checkJSON("SimpleImputer", json);
    const columns = configColumns(j);
    const imputer = new SimpleImputer({
      strategy: j.config.strategy as ImputeStrategy,
      fillValue: fillFromJSON(j.config.fillValue ?? null),
      ...(columns === undefined ? {} : { columns }),
    });
    if (j.state !== null) {
      imputer.columns = stringsFrom("SimpleImputer.fromJSON", j.state.columns);
      const stats = j.state.statistics;
      if (!Array.isArray(stats) || stats.length !== imputer.columns.length) {
        throw new ValueError("SimpleImputer.fromJSON: statistics must have one entry per column");
      }
      imputer.statistics = stats.map(fillFromJSON);
      imputer.featureNamesIn = stringsFrom("SimpleImputer.fromJSON", j.state.featureNamesIn);
    }
    return imputer;
  }
}
