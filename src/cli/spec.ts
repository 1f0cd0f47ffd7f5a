// cli/spec: the declarative experiment of `tessera train <spec.json>`, its defaults and its
// validation. Every error names the offending field by its JSON path ("fit.epochs: ...").
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
import { isJsonObject, type JsonObject, type JsonValue } from "../io/strict-json.js";

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
  };
  readonly output: string | null;
}

class SpecReader {
  constructor(readonly where: string) {}

  fail(path: string, problem: string): never {
    throw new ConfigError(`${this.where}: ${path}: ${problem}`);
  }

  object(value: JsonValue | undefined, path: string, known: readonly string[]): JsonObject {
    if (value === undefined) return {};
    if (!isJsonObject(value)) this.fail(path, "must be an object");
    const object = value as JsonObject;
    for (const key of Object.keys(object)) {
      if (!known.includes(key))
        this.fail(
          path === "" ? key : `${path}.${key}`,
          `unknown field (expected one of ${known.join(", ")})`,
        );
    }
    return object;
  }

  string(value: JsonValue | undefined, path: string, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== "string" || value === "")
      this.fail(path, value === undefined ? "is required" : "must be a non-empty string");
    return value as string;
  }

  choice<T extends string>(
    value: JsonValue | undefined,
    path: string,
    choices: readonly T[],
    fallback: T,
  ): T {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
      this.fail(
        path,
        `must be one of ${choices.map((c) => `"${c}"`).join(", ")} (got ${JSON.stringify(value)})`,
      );
    }
    return value as T;
  }

  integer(value: JsonValue | undefined, path: string, fallback: number, min: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min)
      this.fail(path, `must be an integer >= ${min} (got ${JSON.stringify(value)})`);
    return value as number;
  }

  fraction(value: JsonValue | undefined, path: string, fallback: number, allowZero: boolean): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !(value < 1) || value < 0 || (!allowZero && value === 0)) {
      this.fail(path, `must be a fraction in ${allowZero ? "[0" : "(0"}, 1) (got ${JSON.stringify(value)})`);
    }
    return value as number;
  }

  number(value: JsonValue | undefined, path: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number") this.fail(path, `must be a number (got ${JSON.stringify(value)})`);
    return value as number;
  }

  boolean(value: JsonValue | undefined, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") this.fail(path, `must be true or false (got ${JSON.stringify(value)})`);
    return value as boolean;
  }

  strings(value: JsonValue | undefined, path: string): string[] | null {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) this.fail(path, "must be an array of strings");
    return (value as JsonValue[]).map((v, i) => this.string(v, `${path}[${i}]`));
  }
}

/** Validates a parsed spec file, filling defaults. `defaultName` is used when the spec has no name. */
export function parseSpec(json: JsonValue, where: string, defaultName: string): ExperimentSpec {
  const r = new SpecReader(where);
  if (!isJsonObject(json)) r.fail("(root)", "must be an object");
  const root = r.object(json, "", [
    "$schema",
    "name",
    "description",
    "seed",
    "data",
    "split",
    "preprocessing",
    "model",
    "compile",
    "fit",
    "output",
  ]);
  const name = r.string(root.name, "name", defaultName);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    r.fail("name", "may hold letters, digits, '.', '_' and '-' only (it names the model in URLs)");
  const seed = r.integer(root.seed, "seed", 42, 0);

  if (root.data === undefined) r.fail("data", "is required");
  const data = r.object(root.data, "data", ["path", "target", "features", "drop", "task"]);
  const task =
    data.task === undefined || data.task === null
      ? null
      : r.choice(data.task, "data.task", ["regression", "classification"] as const, "regression");

  const split = r.object(root.split, "split", ["test", "validation", "stratify"]);
  const test = r.fraction(split.test, "split.test", 0.2, false);
  const validation = r.fraction(split.validation, "split.validation", 0.1, true);
  if (test + validation >= 1)
    r.fail("split", `test + validation must leave rows to train on (got ${test} + ${validation})`);

  const pre = r.object(root.preprocessing, "preprocessing", ["numeric", "categorical"]);
  const numeric = r.object(pre.numeric, "preprocessing.numeric", ["impute", "scale"]);
  const categorical = r.object(pre.categorical, "preprocessing.categorical", ["impute", "encode"]);

  if (root.model === undefined) r.fail("model", "is required");
  const model = r.object(root.model, "model", ["layers"]);
  if (!Array.isArray(model.layers))
    r.fail("model.layers", 'must be an array of layers ({"type": "dense", "units": 64, ...})');
  const layers = (model.layers as JsonValue[]).map((entry, i) => {
    const path = `model.layers[${i}]`;
    if (!isJsonObject(entry)) r.fail(path, 'must be an object with a "type"');
    const { type, ...options } = entry as JsonObject;
    return { type: r.string(type, `${path}.type`), options: options as JsonObject };
  });

  const compile = r.object(root.compile, "compile", ["optimizer", "loss", "metrics"]);
  const optimizer = compile.optimizer ?? "adam";
  if (typeof optimizer !== "string" && !isJsonObject(optimizer))
    r.fail("compile.optimizer", 'must be a name or an object {"type": "adam", ...}');

  const fit = r.object(root.fit, "fit", ["epochs", "batchSize", "earlyStopping", "checkpointEvery"]);
  let earlyStopping: ExperimentSpec["fit"]["earlyStopping"] = null;
  if (fit.earlyStopping !== undefined && fit.earlyStopping !== null) {
    const es = r.object(fit.earlyStopping, "fit.earlyStopping", [
      "patience",
      "monitor",
      "minDelta",
      "restoreBestWeights",
    ]);
    earlyStopping = {
      patience: r.integer(es.patience, "fit.earlyStopping.patience", 10, 0),
      monitor: r.string(es.monitor, "fit.earlyStopping.monitor", "val_loss"),
      minDelta: r.number(es.minDelta, "fit.earlyStopping.minDelta", 0),
      restoreBestWeights: r.boolean(es.restoreBestWeights, "fit.earlyStopping.restoreBestWeights", true),
    };
    if (validation === 0 && earlyStopping.monitor.startsWith("val_")) {
      r.fail("fit.earlyStopping.monitor", `watches "${earlyStopping.monitor}" but split.validation is 0`);
    }
  }
  const every = fit.checkpointEvery;
  const checkpointEvery =
    every === undefined || every === "epoch" ? "epoch" : r.integer(every, "fit.checkpointEvery", 1, 1);

  return {
    name,
    seed,
    data: {
      path: r.string(data.path, "data.path"),
      target: r.string(data.target, "data.target"),
      features: r.strings(data.features, "data.features"),
      drop: r.strings(data.drop, "data.drop") ?? [],
      task,
    },
    split: {
      test,
      validation,
      stratify: split.stratify === undefined ? null : r.boolean(split.stratify, "split.stratify", false),
    },
    preprocessing: {
      numeric: {
        impute: r.choice(
          numeric.impute,
          "preprocessing.numeric.impute",
          ["mean", "median", "none"] as const,
          "median",
        ),
        scale: r.choice(
          numeric.scale,
          "preprocessing.numeric.scale",
          ["standard", "minmax", "robust", "none"] as const,
          "standard",
        ),
      },
      categorical: {
        impute: r.choice(
          categorical.impute,
          "preprocessing.categorical.impute",
          ["most_frequent", "none"] as const,
          "most_frequent",
        ),
        encode: r.choice(
          categorical.encode,
          "preprocessing.categorical.encode",
          ["onehot", "ordinal"] as const,
          "onehot",
        ),
      },
    },
    model: { layers },
    compile: {
      optimizer,
      loss:
        compile.loss === undefined || compile.loss === null ? null : r.string(compile.loss, "compile.loss"),
      metrics: r.strings(compile.metrics, "compile.metrics"),
    },
    fit: {
      epochs: r.integer(fit.epochs, "fit.epochs", 100, 1),
      batchSize: r.integer(fit.batchSize, "fit.batchSize", 32, 1),
      earlyStopping,
      checkpointEvery,
    },
    output: root.output === undefined || root.output === null ? null : r.string(root.output, "output"),
  };
}
