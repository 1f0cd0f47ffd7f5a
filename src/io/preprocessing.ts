// io/preprocessing: the fitted preprocessing that ships inside a model directory, so raw records
// (objects keyed by column name) can be predicted on. "features" turns a Table of raw columns
// into the model's input matrix (a ColumnTransformer, or any Transformer whose output is numeric);
// "target" is a LabelEncoder whose classes name a classifier's outputs. Both are stored as the
// data toolkit's JSON state and rebuilt through its closed registry.
import { FormatError, TesseraError } from "../core/errors.js";
import type { LabelEncoder } from "../data/preprocess/encoders.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import { transformerFromJSON } from "../data/preprocess/registry.js";
import { Transformer, tableToMatrixData } from "../data/preprocess/transformer.js";
import type { ColumnKind } from "../data/table/column.js";
import { Table } from "../data/table/table.js";
import { Tensor } from "../tensor/tensor.js";
import type { ColumnSignature } from "./model-format.js";
import { isJsonObject, type JsonValue } from "./strict-json.js";

/** Fitted preprocessing for a model. */
export interface ModelPreprocessing {
  /** Raw columns -> model input matrix [N, F]. */
  readonly features: ColumnTransformer | Transformer;
  /** Label encoder of a classifier's target (its classes name the outputs), or null. */
  readonly target: LabelEncoder | null;
}

/** The JSON kept in model.json's "preprocessing" field. */
export function preprocessingToJson(preprocessing: ModelPreprocessing): JsonValue {
  return JSON.parse(
    JSON.stringify({
      features: preprocessing.features.toJSON(),
      target: preprocessing.target?.toJSON() ?? null,
    }),
  ) as JsonValue;
}

/** Rebuilds preprocessing from model.json (closed registry: no code is named by the file). */
export function preprocessingFromJson(json: JsonValue, where: string): ModelPreprocessing {
  if (!isJsonObject(json))
    throw new FormatError(`${where}: "preprocessing" must be an object {features, target}`);
  try {
    const features = transformerFromJSON(json.features);
    if (!(features instanceof ColumnTransformer) && !(features instanceof Transformer)) {
      throw new FormatError(
        `${where}: "preprocessing.features" is a ${features.type}, which cannot make features`,
      );
    }
    let target: LabelEncoder | null = null;
    if (json.target !== null && json.target !== undefined) {
      const loaded = transformerFromJSON(json.target);
      if (loaded.type !== "LabelEncoder")
        throw new FormatError(`${where}: "preprocessing.target" must be a LabelEncoder`);
      target = loaded as LabelEncoder;
    }
    return { features, target };
  } catch (error) {
    if (error instanceof FormatError || !(error instanceof TesseraError)) throw error;
    throw new FormatError(`${where}: "preprocessing" cannot be restored: ${error.message}`);
  }
}

const TYPE_OF_KIND = {
  float: "number",
  int: "number",
  bool: "boolean",
  string: "string",
  date: "string",
} as const satisfies Record<ColumnKind, ColumnSignature["type"]>;

/** The signature of raw columns as a Table holds them (kinds kept, so records rebuild the same Table). */
export function columnSignatures(
  table: Table,
  names: readonly string[] = table.columnNames,
): ColumnSignature[] {
  return names.map((name) => columnSignature(name, table.column(name).kind));
}

/** The signature of one raw column of the given kind. */
export function columnSignature(name: string, kind: ColumnKind): ColumnSignature {
  return { name, type: TYPE_OF_KIND[kind], kind };
}

/** The model input matrix [N, F] (float32) for a Table of raw columns. */
export function tableToFeatures(preprocessing: ModelPreprocessing, table: Table): Tensor {
  const { features } = preprocessing;
  if (features instanceof ColumnTransformer) {
    const out = features.transform(table);
    return out.dtype === "float32" ? out : new Tensor(Float32Array.from(out.data), out.shape);
  }
  const out = features.transform(table);
  const data = tableToMatrixData("preprocessing", out);
  return new Tensor(Float32Array.from(data), [out.numRows, out.numColumns]);
}

/** A Table of raw records with the training columns and kinds (missing keys are missing values). */
export function recordsToTable(
  records: readonly Record<string, unknown>[],
  columns: readonly ColumnSignature[],
): Table {
  // Object.fromEntries makes own properties, so a column named "__proto__" keeps its kind.
  const types: Record<string, ColumnKind> = Object.fromEntries(
    columns.flatMap((c) => (c.kind === undefined ? [] : [[c.name, c.kind]])),
  );
  return Table.fromRecords(records, { columns: columns.map((c) => c.name), types });
}
