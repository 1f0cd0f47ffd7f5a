// cli/spec: the declarative experiment of `tessera train <spec.json>`: validated against its JSON
// Schema (cli/spec-schema.ts, shipped as schema/spec.schema.json), which also gives the defaults,
// then the checks a schema cannot express. Every error names the field by its JSON path
// ("fit.epochs: ...").
//
// {
//   "name": "house-prices", "seed": 42,
//   "data": { "path": "data.csv", "target": "medv", "drop": ["b"], "features": null, "task": "regression" },
//   "split": { "test": 0.2, "validation": 0.1, "stratify": false },
//   "preprocessing": { "numeric": { "impute": "median", "scale": "standard" },
//                      "categorical": { "impute": "most_frequent", "encode": "onehot" } },
//   "model": { "layers": [{ "type": "dense", "units": 64, "activation": "relu" }, { "type": "dropout", "rate": 0.1 }] },
//   "compile": { "optimizer": { "type": "adam", "learningRate": 0.001 }, "loss": "mse", "metrics": ["mae"] },
//   "fit": { "epochs": 200, "batchSize": 32, "earlyStopping": { "patience": 20, "restoreBestWeights": true },
//            "checkpointEvery": "epoch" },
//   "output": "runs/house-prices"
// }
// data.path is relative to the spec file; output is relative to the working directory. The
// model's output layer is added from the task (1 linear unit, or one softmax unit per class).
import { ConfigError } from "../core/errors.js";
import type { ModelCardInput } from "../io/model-card.js";
import type { JsonObject, JsonValue } from "../io/strict-json.js";
import { checkJson } from "./json-schema-check.js";
import { SPEC_SCHEMA } from "./spec-schema.js";

export type Task = "regression" | "classification";

export interface LayerSpec {
  readonly type: string;
  readonly options: JsonObject;
}

export interface ExperimentSpec {
  readonly name: string;
  readonly seed: number;
  readonly data: {
    readonly path: string;
    readonly target: string;
    readonly features: readonly string[] | null;
    readonly drop: readonly string[];
    readonly task: Task | null;
  };
  readonly split: { readonly test: number; readonly validation: number; readonly stratify: boolean | null };
  readonly preprocessing: {
    readonly numeric: {
      readonly impute: "mean" | "median" | "none";
      readonly scale: "standard" | "minmax" | "robust" | "none";
    };
    readonly categorical: {
      readonly impute: "most_frequent" | "none";
      readonly encode: "onehot" | "ordinal";
    };
  };
  readonly model: { readonly layers: readonly LayerSpec[] };
  readonly compile: {
    readonly optimizer: JsonValue;
    readonly loss: string | null;
    readonly metrics: readonly string[] | null;
  };
  readonly fit: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly earlyStopping: {
      readonly patience: number;
      readonly monitor: string;
      readonly minDelta: number;
      readonly restoreBestWeights: boolean;
    } | null;
    readonly checkpointEvery: "epoch" | number;
    readonly privacy: {
      readonly noiseMultiplier?: number;
      readonly targetEpsilon?: number;
      readonly l2NormClip: number;
      readonly delta: number;
    } | null;
  };
  /** The model card's author fields (cli/card-schema.ts), or null. */
  readonly card: ModelCardInput | null;
  readonly output: string | null;
}

/** The spec as the schema leaves it: every field with a default is filled in. */
interface CheckedSpec {
  readonly name?: string;
  readonly seed: number;
  readonly data: Omit<ExperimentSpec["data"], "drop"> & { readonly drop: readonly string[] | null };
  readonly split: ExperimentSpec["split"];
  readonly preprocessing: ExperimentSpec["preprocessing"];
  readonly model: { readonly layers: readonly JsonObject[] };
  readonly compile: ExperimentSpec["compile"];
  readonly fit: ExperimentSpec["fit"];
  readonly card: ModelCardInput | null;
  readonly output: string | null;
}

/** Validates a parsed spec file, filling defaults. `defaultName` is used when the spec has no name. */
export function parseSpec(json: JsonValue, where: string, defaultName: string): ExperimentSpec {
  const spec = checkJson(json, SPEC_SCHEMA, where) as unknown as CheckedSpec;
  const fail = (path: string, problem: string): never => {
    throw new ConfigError(`${where}: ${path}: ${problem}`);
  };
  const name = spec.name ?? defaultName;
  if (!new RegExp(SPEC_SCHEMA.properties.name.pattern, "u").test(name))
    fail(
      "name",
      `the file name "${name}" cannot name the model (letters, digits, '.', '_', '-'); set "name"`,
    );
  const { test, validation } = spec.split;
  if (test + validation >= 1)
    fail("split", `test + validation must leave rows to train on (got ${test} + ${validation})`);
  const privacy = spec.fit.privacy;
  if (privacy !== null && (privacy.noiseMultiplier === undefined) === (privacy.targetEpsilon === undefined))
    fail("fit.privacy", "give exactly one of noiseMultiplier and targetEpsilon");
  const earlyStopping = spec.fit.earlyStopping;
  if (earlyStopping !== null && validation === 0 && earlyStopping.monitor.startsWith("val_"))
    fail("fit.earlyStopping.monitor", `watches "${earlyStopping.monitor}" but split.validation is 0`);
  return {
    ...spec,
    name,
    data: { ...spec.data, drop: spec.data.drop ?? [] },
    model: {
      layers: spec.model.layers.map(({ type, ...options }) => ({ type: type as string, options })),
    },
  };
}
