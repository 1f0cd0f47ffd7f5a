// data/preprocess/scalers: StandardScaler, MinMaxScaler, RobustScaler, with scikit-learn's
// semantics: statistics ignore missing values (NaN) and transform keeps them missing;
// StandardScaler divides by the population std (ddof 0); a constant column (zero scale) is
// scaled by 1 instead of dividing by zero. Layer: data.
import { ValueError } from "../../core/errors.js";
import { Column } from "../table/column.js";
import { nanMax, nanMean, nanMin, nanQuantile, nanStd } from "../table/stats.js";
import type { Table } from "../table/table.js";
import {
  checkJSON,
  chooseColumns,
  configColumns,
  numbersFrom,
  stringsFrom,
  Transformer,
  type TransformerJSON,
} from "./transformer.js";

/** Per column: y = (x - offset) / scale, for the chosen numeric columns. */
abstract class AffineScaler extends Transformer {
  /** Columns scaled (learned at fit when not given). */
  columns: string[] | undefined;
  offset: number[] = [];
  scale: number[] = [];

  constructor(columns?: readonly string[]) {
    super();
    this.columns = columns ? [...columns] : undefined;
  }

  protected abstract statistics(values: Float64Array): { offset: number; scale: number };

  protected fitTable(table: Table): void {
    const columns = chooseColumns(
      `${this.type}.fit`,
      table,
      this.columns,
      (c) => c.kind === "float" || c.kind === "int",
    );
    this.offset = [];
    this.scale = [];
    for (const name of columns) {
      const { offset, scale } = this.statistics(numericValues(this.type, table, name));
      this.offset.push(offset);
      // A zero (or undefined) scale would divide by zero; like scikit-learn, scale by 1 instead.
      this.scale.push(scale === 0 || !Number.isFinite(scale) ? 1 : scale);
    }
    this.columns = columns;
  }

  protected transformTable(table: Table): Table {
    return this.apply(table, (x, j) => (x - this.offset[j]!) / this.scale[j]!);
  }

  protected override inverseTable(table: Table): Table {
    return this.apply(table, (y, j) => y * this.scale[j]! + this.offset[j]!);
  }

  private apply(table: Table, f: (value: number, j: number) => number): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      const values = numericValues(this.type, table, name);
      const result = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) result[i] = f(values[i]!, j);
      out = out.withColumn(name, Column.fromNumbers("float", result));
    });
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: this.configJSON(),
      state: this.fitted
        ? {
            columns: this.columns,
            offset: this.offset,
            scale: this.scale,
            featureNamesIn: this.featureNamesIn,
          }
        : null,
    };
  }

  protected configJSON(): Record<string, unknown> {
    return { columns: this.columns ?? null };
  }

  protected loadState(json: TransformerJSON): this {
    if (json.state !== null) {
      const op = `${this.type}.fromJSON`;
      this.columns = stringsFrom(op, json.state.columns);
      this.offset = numbersFrom(op, json.state.offset);
      this.scale = numbersFrom(op, json.state.scale);
      this.featureNamesIn = stringsFrom(op, json.state.featureNamesIn);
      if (this.offset.length !== this.columns.length || this.scale.length !== this.columns.length) {
        throw new ValueError(`${op}: state arrays do not match the ${this.columns.length} columns`);
      }
    }
    return this;
  }
}

/** The values of a numeric (or bool) column as numbers, NaN where missing. */
export function numericValues(op: string, table: Table, name: string): Float64Array {
  const column = table.column(name);
  if (column.kind === "string")
    throw new ValueError(`${op}: column "${name}" holds strings; encode it first`);
  return column.numbers;
}

/**
 * Standardises columns to zero mean and unit variance: (x - mean) / std, std with ddof 0.
 * @example
 * const scaler = new StandardScaler().fit(train);
 * const z = scaler.transform(test);
 */
export class StandardScaler extends AffineScaler {
  readonly type = "StandardScaler";
  readonly withMean: boolean;
  readonly withStd: boolean;

  constructor(options: { columns?: readonly string[]; withMean?: boolean; withStd?: boolean } = {}) {
    super(options.columns);
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  /** Learned means (0 when withMean is false). */
  get mean(): number[] {
    return this.offset;
  }

  protected statistics(values: Float64Array): { offset: number; scale: number } {
    return { offset: this.withMean ? nanMean(values) : 0, scale: this.withStd ? nanStd(values, 0) : 1 };
  }

  protected override configJSON(): Record<string, unknown> {
    return { ...super.configJSON(), withMean: this.withMean, withStd: this.withStd };
  }

  static fromJSON(json: unknown): StandardScaler {
    const j = checkJSON("StandardScaler", json);
    return new StandardScaler({
      columns: configColumns(j),
      withMean: j.config.withMean !== false,
      withStd: j.config.withStd !== false,
    }).loadState(j);
  }
}

/** Scales columns to [min, max] of `featureRange` (default [0, 1]) from the training range. */
export class MinMaxScaler extends AffineScaler {
  readonly type = "MinMaxScaler";
  readonly featureRange: [number, number];

  constructor(options: { columns?: readonly string[]; featureRange?: [number, number] } = {}) {
    super(options.columns);
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi))
      throw new ValueError(`MinMaxScaler: featureRange must have min < max (got [${lo}, ${hi}])`);
    this.featureRange = [lo, hi];
  }

  // y = (x - min) / (max - min) * (hi - lo) + lo  ==  (x - offset) / scale with
  // scale = (max - min) / (hi - lo) and offset = min - lo * scale.
  protected statistics(values: Float64Array): { offset: number; scale: number } {
    const [lo, hi] = this.featureRange;
    const min = nanMin(values);
    const max = nanMax(values);
    const range = max - min;
    // A constant column keeps scikit-learn's data range of 1, so it maps to `lo`.
    const scale = (range === 0 ? 1 : range) / (hi - lo);
    return { offset: min - lo * scale, scale };
  }

  protected override configJSON(): Record<string, unknown> {
    return { ...super.configJSON(), featureRange: this.featureRange };
  }

  static fromJSON(json: unknown): MinMaxScaler {
    const j = checkJSON("MinMaxScaler", json);
    const range = numbersFrom("MinMaxScaler.fromJSON", j.config.featureRange ?? [0, 1]);
    return new MinMaxScaler({ columns: configColumns(j), featureRange: [range[0]!, range[1]!] }).loadState(j);
  }
}

/** Centres on the median and scales by the interquartile range (quantiles linear, as numpy). */
export class RobustScaler extends AffineScaler {
  readonly type = "RobustScaler";
  readonly quantileRange: [number, number];
  readonly withCentering: boolean;
  readonly withScaling: boolean;

  constructor(
    options: {
      columns?: readonly string[];
      quantileRange?: [number, number];
      withCentering?: boolean;
      withScaling?: boolean;
    } = {},
  ) {
    super(options.columns);
    const [lo, hi] = options.quantileRange ?? [25, 75];
    if (!(lo >= 0 && lo < hi && hi <= 100)) {
      throw new ValueError(
        `RobustScaler: quantileRange must satisfy 0 <= q1 < q2 <= 100 (got [${lo}, ${hi}])`,
      );
    }
    this.quantileRange = [lo, hi];
    this.withCentering = options.withCentering ?? true;
    this.withScaling = options.withScaling ?? true;
  }

  protected statistics(values: Float64Array): { offset: number; scale: number } {
    const [lo, hi] = this.quantileRange;
    const offset = this.withCentering ? nanQuantile(values, 0.5) : 0;
    const scale = this.withScaling ? nanQuantile(values, hi / 100) - nanQuantile(values, lo / 100) : 1;
    return { offset, scale };
  }

  protected override configJSON(): Record<string, unknown> {
    return {
      ...super.configJSON(),
      quantileRange: this.quantileRange,
      withCentering: this.withCentering,
      withScaling: this.withScaling,
    };
  }

  static fromJSON(json: unknown): RobustScaler {
    const j = checkJSON("RobustScaler", json);
    const range = numbersFrom("RobustScaler.fromJSON", j.config.quantileRange ?? [25, 75]);
    return new RobustScaler({
      columns: configColumns(j),
      quantileRange: [range[0]!, range[1]!],
      withCentering: j.config.withCentering !== false,
      withScaling: j.config.withScaling !== false,
    }).loadState(j);
  }
}
