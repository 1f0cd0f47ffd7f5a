// data/preprocess/pipeline: Pipeline (steps applied in order; fit learns each step on the
// output of the previous ones, from training data only) and ColumnTransformer (named groups of
// columns, each through its own step, side by side into one feature matrix), following
// scikit-learn. Both serialise through toJSON()/transformerFromJSON. Layer: data.

import type { DType } from "../../core/dtype.js";
import { ConfigError, DTypeError, ValueError } from "../../core/errors.js";
import { tensor } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Column } from "../table/column.js";
import { Table } from "../table/table.js";
import {
  checkJSON,
  matrixToTable,
  stringsFrom,
  Transformer,
  type TransformerJSON,
  tableToMatrixData,
} from "./transformer.js";

/**
 * Rebuilds a nested step from its JSON state: transformerFromJSON (data/preprocess/registry) passes
 * itself here, so this file needs no value import of the registry (which lists these classes).
 */
export type StepLoader = (json: unknown) => { readonly type: string };

function noStepLoader(owner: string): StepLoader {
  return () => {
    throw new ConfigError(
      `${owner}.fromJSON: load a saved pipeline with transformerFromJSON(json), which rebuilds its nested steps`,
    );
  };
}

/**
 * Steps applied in order. inverseTransform runs the steps backwards (every step must be
 * invertible).
 * @example
 * const pipe = new Pipeline([["impute", new SimpleImputer()], ["scale", new StandardScaler()]]);
 * const xTrain = pipe.fitTransform(train);
 * const xTest = pipe.transform(test);
 */
export class Pipeline extends Transformer {
  readonly type = "Pipeline";
  readonly steps: [string, Transformer][];

  constructor(steps: readonly (readonly [string, Transformer])[]) {
    super();
    if (steps.length === 0) throw new ValueError("Pipeline: expected at least one step");
    const names = steps.map(([name]) => name);
    if (new Set(names).size !== names.length)
      throw new ValueError(`Pipeline: step names repeat (${names.join(", ")})`);
    this.steps = steps.map(([name, step]) => [name, step]);
  }

  /** The step named `name`. */
  step(name: string): Transformer {
    const found = this.steps.find(([n]) => n === name);
    if (found === undefined) throw new ValueError(`Pipeline.step: no step "${name}"`);
    return found[1];
  }

  protected fitTable(table: Table): void {
    let current = table;
    for (const [, step] of this.steps) current = step.fitTransform(current);
  }

  protected transformTable(table: Table): Table {
    let current = table;
    for (const [, step] of this.steps) current = step.transform(current);
    return current;
  }

  override get invertible(): boolean {
    return this.steps.every(([, step]) => step.invertible);
  }

  protected override inverseTable(table: Table): Table {
    let current = table;
    for (const [name, step] of [...this.steps].reverse()) {
      if (!step.invertible)
        throw new ValueError(`Pipeline.inverseTransform: step "${name}" (${step.type}) cannot be inverted`);
      current = step.inverseTransform(current);
    }
    return current;
  }

  protected override outputNames(input: readonly string[]): string[] {
    void input;
    return this.steps.at(-1)![1].featureNamesOut();
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { steps: this.steps.map(([name, step]) => ({ name, step: step.toJSON() })) },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  /** From toJSON() state; `loadStep` rebuilds each step (transformerFromJSON, which passes itself). */
  static fromJSON(json: unknown, loadStep: StepLoader = noStepLoader("Pipeline")): Pipeline {
    const j = checkJSON("Pipeline", json);
    const steps = j.config.steps;
    if (!Array.isArray(steps)) throw new ValueError("Pipeline.fromJSON: steps must be an array");
    const pipeline = new Pipeline(
      steps.map((s: { name?: unknown; step?: unknown }) => {
        if (typeof s?.name !== "string") throw new ValueError("Pipeline.fromJSON: each step needs a name");
        const step = loadStep(s.step);
        if (!(step instanceof Transformer))
          throw new ValueError(`Pipeline.fromJSON: step "${s.name}" is a ${step.type}`);
        return [s.name, step] as const;
      }),
    );
    if (j.state !== null) pipeline.featureNamesIn = stringsFrom("Pipeline.fromJSON", j.state.featureNamesIn);
    return pipeline;
  }
}

/** One group of a ColumnTransformer: a name, a step (or "passthrough"/"drop") and its columns. */
export type ColumnGroup = readonly [
  name: string,
  step: Transformer | "passthrough" | "drop",
  columns: readonly string[],
];

/**
 * Applies a step to each named group of columns and puts the results side by side. Columns in no
 * group are dropped (remainder "drop", the default) or passed through at the end.
 * Output names are `<group>__<feature>` (scikit-learn's verbose names); transform() gives a
 * [rows, features] tensor, transformTable() a Table with those names.
 * @example
 * const ct = new ColumnTransformer([
 *   ["num", new Pipeline([["impute", new SimpleImputer()], ["scale", new StandardScaler()]]), ["bill_length_mm"]],
 *   ["cat", new OneHotEncoder(), ["island"]],
 * ]);
 * const x = ct.fitTransform(train); // Tensor [N, F]
 */
export class ColumnTransformer {
  readonly type = "ColumnTransformer";
  readonly groups: ColumnGroup[];
  readonly remainder: "drop" | "passthrough";
  readonly dtype: DType;
  /** Columns passed through as the remainder (known after fit). */
  remainderColumns: string[] | undefined;

  constructor(
    groups: readonly ColumnGroup[],
    options: { remainder?: "drop" | "passthrough"; dtype?: "float32" | "float64" } = {},
  ) {
    const names = groups.map(([name]) => name);
    if (new Set(names).size !== names.length)
      throw new ValueError(`ColumnTransformer: group names repeat (${names.join(", ")})`);
    this.groups = groups.map(([n, s, c]) => [n, s, [...c]]);
    this.remainder = options.remainder ?? "drop";
    this.dtype = options.dtype ?? "float32";
  }

  get fitted(): boolean {
    return this.remainderColumns !== undefined;
  }

  fit(table: Table): this {
    for (const [, step, columns] of this.groups) {
      const part = table.select(columns);
      if (step instanceof Transformer) step.fit(part);
    }
    const used = new Set(this.groups.flatMap(([, , columns]) => columns));
    this.remainderColumns =
      this.remainder === "passthrough" ? table.columnNames.filter((n) => !used.has(n)) : [];
    return this;
  }

  /** The transformed groups side by side, as a Table named by getFeatureNames(). */
  transformTable(table: Table): Table {
    if (!this.fitted) throw new ValueError("ColumnTransformer.transform: call fit() first");
    const entries: [string, Column][] = [];
    for (const [name, step, columns] of this.groups) {
      if (step === "drop") continue;
      const part = table.select(columns);
      const out = step === "passthrough" ? part : step.transform(part);
      for (const col of out.columnNames) entries.push([`${name}__${col}`, out.column(col)]);
    }
    for (const col of this.remainderColumns!) entries.push([`remainder__${col}`, table.column(col)]);
    return Table.fromEntries(entries, table.numRows);
  }

  /** The feature matrix [rows, features]; every output column must be numeric and present. */
  transform(table: Table): Tensor {
    const out = this.transformTable(table);
    for (const name of out.columnNames) {
      if (out.column(name).kind === "string") {
        throw new DTypeError(
          `ColumnTransformer.transform: feature "${name}" holds strings; add an encoder to its group`,
        );
      }
    }
    const data = tableToMatrixData("ColumnTransformer.transform", out);
    return tensor(this.dtype === "float64" ? data : Float32Array.from(data), {
      shape: [out.numRows, out.numColumns],
    });
  }

  fitTransform(table: Table): Tensor {
    return this.fit(table).transform(table);
  }

  /** Output feature names, `<group>__<feature>`. */
  getFeatureNames(): string[] {
    if (!this.fitted) throw new ValueError("ColumnTransformer.getFeatureNames: call fit() first");
    const names: string[] = [];
    for (const [name, step, columns] of this.groups) {
      if (step === "drop") continue;
      const out = step === "passthrough" ? columns : step.featureNamesOut();
      for (const col of out) names.push(`${name}__${col}`);
    }
    for (const col of this.remainderColumns!) names.push(`remainder__${col}`);
    return names;
  }

  /** Inverse of the groups that can be inverted, from a matrix or Table of the output features. */
  inverseTransform(x: Tensor | Table): Table {
    const names = this.getFeatureNames();
    const table = x instanceof Table ? x : matrixToTable("ColumnTransformer.inverseTransform", x, names);
    const entries: [string, Column][] = [];
    for (const [name, step] of this.groups) {
      if (step === "drop") continue;
      const prefix = `${name}__`;
      const part = Table.fromEntries(
        names.filter((n) => n.startsWith(prefix)).map((n) => [n.slice(prefix.length), table.column(n)]),
        table.numRows,
      );
      if (step !== "passthrough" && !step.invertible) {
        throw new ValueError(
          `ColumnTransformer.inverseTransform: group "${name}" (${step.type}) cannot be inverted`,
        );
      }
      const back = step === "passthrough" ? part : step.inverseTransform(part);
      for (const col of back.columnNames) entries.push([col, back.column(col)]);
    }
    for (const col of this.remainderColumns!) entries.push([col, table.column(`remainder__${col}`)]);
    return Table.fromEntries(entries, table.numRows);
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        remainder: this.remainder,
        dtype: this.dtype,
        groups: this.groups.map(([name, step, columns]) => ({
          name,
          columns,
          step: typeof step === "string" ? step : step.toJSON(),
        })),
      },
      state: this.fitted ? { remainderColumns: this.remainderColumns } : null,
    };
  }

  /** From toJSON() state; `loadStep` rebuilds each group's step (transformerFromJSON, which passes itself). */
  static fromJSON(
    json: unknown,
    loadStep: StepLoader = noStepLoader("ColumnTransformer"),
  ): ColumnTransformer {
    const j = checkJSON("ColumnTransformer", json);
    const op = "ColumnTransformer.fromJSON";
    const groups = j.config.groups;
    if (!Array.isArray(groups)) throw new ValueError(`${op}: groups must be an array`);
    const ct = new ColumnTransformer(
      groups.map((g: { name?: unknown; step?: unknown; columns?: unknown }) => {
        if (typeof g?.name !== "string") throw new ValueError(`${op}: each group needs a name`);
        const step = g.step === "passthrough" || g.step === "drop" ? g.step : loadStep(g.step);
        if (typeof step !== "string" && !(step instanceof Transformer)) {
          throw new ValueError(`${op}: group "${g.name}" holds a ${step.type}, which cannot be a group step`);
        }
        return [g.name, step, stringsFrom(op, g.columns)] as const;
      }),
      {
        remainder: j.config.remainder === "passthrough" ? "passthrough" : "drop",
        dtype: j.config.dtype === "float64" ? "float64" : "float32",
      },
    );
    if (j.state !== null) ct.remainderColumns = stringsFrom(op, j.state.remainderColumns);
    return ct;
  }
}
