// serve/estimator-servable: a saved estimator directory (a TabularModel: the fitted preprocessing
// and an ml/ estimator, as `tessera train --target` and `tessera tune` write it) adapted to the
// server's Servable interface. Inputs are the preprocessed feature matrix (float64) or raw records;
// a classifier answers class probabilities labelled with its classes, a regressor one value a row.
import { basename } from "node:path";
import type { TypedArray } from "../core/dtype.js";
import { FormatError } from "../core/errors.js";
import { loadTabularModel } from "../io/estimator-file.js";
import { columnSignature } from "../io/preprocessing.js";
import type { TabularModel } from "../ml/tabular-model.js";
import type { ColumnSpec, RawRecord, Servable, ServingSignature, TensorSpec } from "./servable.js";

/** Loads a TabularModel directory for serving. */
export async function loadEstimatorServable(dir: string): Promise<Servable> {
  const model = await loadTabularModel(dir);
  if (model.columns === null)
    throw new FormatError(
      `${dir}: this estimator directory does not record its raw columns and their kinds (it was saved by an older version); train or tune it again to serve it`,
    );
  return estimatorServable(model, basename(dir));
}

/** The Servable of a loaded TabularModel. */
export function estimatorServable(model: TabularModel, name: string): Servable {
  const columns: ColumnSpec[] = (model.columns ?? []).map((c) => ({
    name: c.name,
    type: columnSignature(c.name, c.kind).type,
  }));
  const width = model.featureCount;
  const classes = model.classes;
  const output: TensorSpec =
    classes === null
      ? { name: "predictions", dtype: "float64", shape: [-1, 1] }
      : { name: "probabilities", dtype: "float64", shape: [-1, classes.length], labels: classes.map(String) };
  const signature: ServingSignature = {
    name,
    version: "1",
    inputs: [{ name: "features", dtype: "float64", shape: [-1, width] }],
    outputs: [output],
    columns,
    featureNames: model.featureNames,
  };
  const predict = (inputs: readonly TypedArray[], rows: number): TypedArray[] => {
    const x = { rows, cols: width, data: Float64Array.from(inputs[0]!) };
    if (classes !== null) return [Float64Array.from(model.predictProba(x).data)];
    return [Float64Array.from(model.predict(x), Number)];
  };
  const encodeRecords = (records: readonly RawRecord[]): TypedArray[] => [model.features(records).data];
  return { signature, predict, encodeRecords };
}
