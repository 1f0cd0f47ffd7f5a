// data/preprocess/features: feature construction steps with scikit-learn's semantics.
// - KBinsDiscretizer: numeric columns to bin indices 0..nBins-1 ("uniform" equal-width edges or
//   "quantile" edges from linear-interpolated quantiles); values beyond the training range go to
//   the first/last bin; ordinal output (the bin index), missing stays missing.
// - PolynomialFeatures: all monomials of the chosen columns up to `degree` (optionally only
//   interactions, optionally a bias column), named like scikit-learn ("a^2", "a b").
// - Normalizer: scales each row of the chosen columns to unit l2 (or l1, max) norm; all-zero
//   rows stay zero. Stateless apart from the column list.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { Column } from "../table/column.js";
import { nanMax, nanMin, quantileSorted, sortedPresent } from "../table/stats.js";
import { Table } from "../table/table.js";
import { numericValues } from "./scalers.js";
import {
  checkJSON,
  chooseColumns,
  configColumns,
  numbersFrom,
  stringsFrom,
  Transformer,
  type TransformerJSON,
} from "./transformer.js";

const isNumber = (c: Column) => c.kind === "float" || c.kind === "int";

/** Bins numeric columns into nBins intervals (ordinal output). */
export class KBinsDiscretizer extends Transformer {
  readonly type = "KBinsDiscretizer";
  readonly nBins: number;
  readonly strategy: "uniform" | "quantile";
  columns: string[] | undefined;
  /** nBins + 1 ascending edges per column (duplicate quantile edges removed, as scikit-learn). */
  binEdges: number[][] = [];

  constructor(
    options: { nBins?: number; strategy?: "uniform" | "quantile"; columns?: readonly string[] } = {},
  ) {
    super();
    this.nBins = options.nBins ?? 5;
    if (!Number.isInteger(this.nBins) || this.nBins < 2) {
      throw new ValueError(`KBinsDiscretizer: nBins must be an integer >= 2 (got ${this.nBins})`);
    }
    this.strategy = options.strategy ?? "quantile";
    if (this.strategy !== "uniform" && this.strategy !== "quantile") {
      throw new ValueError(
        `KBinsDiscretizer: strategy must be "uniform" or "quantile" (got ${JSON.stringify(this.strategy)})`,
      );
    }
    this.columns = options.columns ? [...options.columns] : undefined;
  }

  protected fitTable(table: Table): void {
    const columns = chooseColumns("KBinsDiscretizer.fit", table, this.columns, isNumber);
    this.binEdges = columns.map((name) => {
      const values = numericValues(this.type, table, name);
      let edges: number[];
      if (this.strategy === "uniform") {
        const lo = nanMin(values);
        const hi = nanMax(values);
        edges = Array.from({ length: this.nBins + 1 }, (_, k) => lo + ((hi - lo) * k) / this.nBins);
      } else {
        const sorted = sortedPresent(values);
        edges = Array.from({ length: this.nBins + 1 }, (_, k) => quantileSorted(sorted, k / this.nBins));
        edges = edges.filter((e, k) => k === 0 || e - edges[k - 1]! > 1e-8);
      }
      return edges;
    });
    this.columns = columns;
  }

  protected transformTable(table: Table): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      const edges = this.binEdges[j]!;
      const values = numericValues(this.type, table, name);
      const bins = new Float64Array(values.length);
      const last = Math.max(0, edges.length - 2);
      for (let r = 0; r < values.length; r++) {
        const v = values[r]!;
        if (Number.isNaN(v)) {
          bins[r] = Number.NaN;
          continue;
        }
        // Bin k holds edges[k] <= v < edges[k+1]; the last bin is closed; outside -> edge bins.
        let k = 0;
        while (k < last && v >= edges[k + 1]!) k++;
        bins[r] = k;
      }
      out = out.withColumn(name, Column.fromNumbers("float", bins));
    });
    return out;
  }

  /** Bin indices back to bin centres. */
  protected override inverseTable(table: Table): Table {
    let out = table;
    this.columns!.forEach((name, j) => {
      const edges = this.binEdges[j]!;
      const bins = table.column(name).numbers;
      const centres = Float64Array.from(bins, (b) =>
        Number.isNaN(b) ? Number.NaN : (edges[b]! + edges[Math.min(b + 1, edges.length - 1)]!) / 2,
      );
      out = out.withColumn(name, Column.fromNumbers("float", centres));
    });
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { nBins: this.nBins, strategy: this.strategy, columns: this.columns ?? null },
      state: this.fitted
        ? { columns: this.columns, binEdges: this.binEdges, featureNamesIn: this.featureNamesIn }
        : null,
    };
  }

  static fromJSON(json: unknown): KBinsDiscretizer {
    const j = checkJSON("KBinsDiscretizer", json);
    const op = "KBinsDiscretizer.fromJSON";
    const d = new KBinsDiscretizer({
      nBins: j.config.nBins as number,
      strategy: j.config.strategy as "uniform" | "quantile",
      columns: configColumns(j),
    });
    if (j.state !== null) {
      d.columns = stringsFrom(op, j.state.columns);
      const edges = j.state.binEdges;
      if (!Array.isArray(edges) || edges.length !== d.columns.length)
        throw new ValueError(`${op}: bad binEdges`);
      d.binEdges = edges.map((e) => numbersFrom(op, e));
      d.featureNamesIn = stringsFrom(op, j.state.featureNamesIn);
    }
    return d;
  }
}

/** Monomials of the chosen columns up to `degree`. */
export class PolynomialFeatures extends Transformer {
  readonly type = "PolynomialFeatures";
  readonly degree: number;
  readonly interactionOnly: boolean;
  readonly includeBias: boolean;
  columns: string[] | undefined;

  constructor(
    options: {
      degree?: number;
      interactionOnly?: boolean;
      includeBias?: boolean;
      columns?: readonly string[];
    } = {},
  ) {
    super();
    this.degree = options.degree ?? 2;
    if (!Number.isInteger(this.degree) || this.degree < 1) {
      throw new ValueError(`PolynomialFeatures: degree must be an integer >= 1 (got ${this.degree})`);
    }
    this.interactionOnly = options.interactionOnly ?? false;
    this.includeBias = options.includeBias ?? true;
    this.columns = options.columns ? [...options.columns] : undefined;
  }

  /** Exponent combinations in scikit-learn's order: by degree, then lexicographic index tuples. */
  private combinations(width: number): number[][] {
    const out: number[][] = this.includeBias ? [[]] : [];
    const extend = (prefix: number[], start: number, left: number) => {
      if (left === 0) {
        out.push(prefix);
        return;
      }
      for (let i = start; i < width; i++) extend([...prefix, i], this.interactionOnly ? i + 1 : i, left - 1);
    };
    for (let d = 1; d <= this.degree; d++) extend([], 0, d);
    return out;
  }

  protected fitTable(table: Table): void {
    this.columns = chooseColumns("PolynomialFeatures.fit", table, this.columns, isNumber);
  }

  protected override outputNames(input: readonly string[]): string[] {
    const names = this.polyNames();
    return [...input.filter((n) => !this.columns!.includes(n)), ...names];
  }

  private polyNames(): string[] {
    return this.combinations(this.columns!.length).map((combo) => {
      if (combo.length === 0) return "1";
      const powers = new Map<number, number>();
      for (const i of combo) powers.set(i, (powers.get(i) ?? 0) + 1);
      return [...powers]
        .map(([i, p]) => (p === 1 ? this.columns![i]! : `${this.columns![i]!}^${p}`))
        .join(" ");
    });
  }

  protected transformTable(table: Table): Table {
    const inputs = this.columns!.map((name) => numericValues(this.type, table, name));
    const entries: [string, Column][] = table.columnNames
      .filter((n) => !this.columns!.includes(n))
      .map((n) => [n, table.column(n)]);
    const names = this.polyNames();
    this.combinations(inputs.length).forEach((combo, k) => {
      const values = new Float64Array(table.numRows).fill(1);
      for (const i of combo) {
        const x = inputs[i]!;
        for (let r = 0; r < values.length; r++) values[r]! *= x[r]!;
      }
      entries.push([names[k]!, Column.fromNumbers("float", values)]);
    });
    return Table.fromEntries(entries, table.numRows);
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        degree: this.degree,
        interactionOnly: this.interactionOnly,
        includeBias: this.includeBias,
        columns: this.columns ?? null,
      },
      state: this.fitted ? { columns: this.columns, featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): PolynomialFeatures {
    const j = checkJSON("PolynomialFeatures", json);
    const op = "PolynomialFeatures.fromJSON";
    const p = new PolynomialFeatures({
      degree: j.config.degree as number,
      interactionOnly: j.config.interactionOnly === true,
      includeBias: j.config.includeBias !== false,
      columns: configColumns(j),
    });
    if (j.state !== null) {
      p.columns = stringsFrom(op, j.state.columns);
      p.featureNamesIn = stringsFrom(op, j.state.featureNamesIn);
    }
    return p;
  }
}

/** Scales each row of the chosen columns to unit norm. */
export class Normalizer extends Transformer {
  readonly type = "Normalizer";
  readonly norm: "l1" | "l2" | "max";
  columns: string[] | undefined;

  constructor(options: { norm?: "l1" | "l2" | "max"; columns?: readonly string[] } = {}) {
    super();
    this.norm = options.norm ?? "l2";
    if (!["l1", "l2", "max"].includes(this.norm)) {
      throw new ValueError(`Normalizer: norm must be l1, l2 or max (got ${JSON.stringify(this.norm)})`);
    }
    this.columns = options.columns ? [...options.columns] : undefined;
  }

  protected fitTable(table: Table): void {
    this.columns = chooseColumns("Normalizer.fit", table, this.columns, isNumber);
  }

  protected transformTable(table: Table): Table {
    const inputs = this.columns!.map((name) => numericValues(this.type, table, name));
    const outputs = inputs.map((x) => new Float64Array(x.length));
    for (let r = 0; r < table.numRows; r++) {
      let norm = 0;
      for (const x of inputs) {
        const v = Math.abs(x[r]!);
        if (this.norm === "l1") norm += v;
        else if (this.norm === "l2") norm += v * v;
        else norm = Math.max(norm, v);
      }
      if (this.norm === "l2") norm = Math.sqrt(norm);
      const divisor = norm === 0 ? 1 : norm;
      inputs.forEach((x, c) => {
        outputs[c]![r] = x[r]! / divisor;
      });
    }
    let out = table;
    this.columns!.forEach((name, c) => {
      out = out.withColumn(name, Column.fromNumbers("float", outputs[c]!));
    });
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { norm: this.norm, columns: this.columns ?? null },
      state: this.fitted ? { columns: this.columns, featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): Normalizer {
    const j = checkJSON("Normalizer", json);
    const op = "Normalizer.fromJSON";
    const n = new Normalizer({ norm: j.config.norm as "l1" | "l2" | "max", columns: configColumns(j) });
    if (j.state !== null) {
      n.columns = stringsFrom(op, j.state.columns);
      n.featureNamesIn = stringsFrom(op, j.state.featureNamesIn);
    }
    return n;
  }
}
