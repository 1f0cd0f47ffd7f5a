// cli/result-schemas: the JSON Schemas (draft 2020-12) of what `tessera train|evaluate|predict
// --json` print: the documented, stable contract of the scriptable CLI. Written out to
// schema/<command>-result.schema.json by scripts/write-spec-schema.ts and shipped; the e2e tests
// validate the real commands' output against them.
import { INSPECT_DATA_RESULT_SCHEMA } from "./inspect-data-schema.js";
import type { Schema } from "./json-schema-check.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** Fields every result starts with. */
const header = {
  command: { type: "string", description: "The command that ran." },
  version: { type: "string", description: "Tessera's version." },
  backend: {
    enum: ["native", "wasm", "reference"],
    description: "The backend that computed (as saved models record it in metadata.backend).",
  },
  backendDetail: { type: "string", description: 'The backend in words: "native (avx512, 2 threads)".' },
} as const;
const headerFields = ["command", "version", "backend", "backendDetail"] as const;

const scores = {
  type: "object",
  additionalProperties: { type: ["number", "null"] },
  description:
    "Scores by name: mae, mse, rmse, r2 (regression) or accuracy, macro_f1 (classification); null where undefined (r2 of a constant target).",
} as const;

export const TRAIN_RESULT_SCHEMA = {
  $schema: DRAFT,
  $id: "https://unpkg.com/tessera-ml/schema/train-result.schema.json",
  title: "tessera train --json",
  type: "object",
  additionalProperties: false,
  required: [
    ...headerFields,
    "name",
    "task",
    "target",
    "output",
    "model",
    "rows",
    "epochs",
    "seconds",
    "test",
    "validation",
    "train",
    "history",
  ],
  properties: {
    ...header,
    command: { const: "train" },
    name: { type: "string" },
    task: { enum: ["regression", "classification"] },
    target: { type: "string" },
    output: { type: "string", description: "The run directory (absolute)." },
    model: { type: "string", description: "The saved model directory (absolute)." },
    rows: {
      type: "object",
      additionalProperties: false,
      required: ["train", "validation", "test"],
      properties: {
        train: { type: "integer", minimum: 0 },
        validation: { type: "integer", minimum: 0 },
        test: { type: "integer", minimum: 0 },
      },
    },
    epochs: { type: "integer", minimum: 0, description: "Epochs run (early stopping may end sooner)." },
    bestEpoch: {
      type: "integer",
      minimum: 1,
      description: "With earlyStopping.restoreBestWeights: the epoch kept.",
    },
    seconds: { type: "number", minimum: 0 },
    test: scores,
    validation: { ...scores, type: ["object", "null"] },
    train: { ...scores, type: ["object", "null"] },
    history: {
      type: "array",
      description: "Per epoch: its number and the logs (loss, metrics, val_*).",
      items: {
        type: "object",
        required: ["epoch", "loss"],
        properties: { epoch: { type: "integer", minimum: 1 }, loss: { type: ["number", "null"] } },
        additionalProperties: { type: ["number", "null"] },
      },
    },
  },
} as const satisfies ResultSchema;

const rates = { type: "object", additionalProperties: { type: ["number", "null"] } } as const;
const disparityNames = [
  "demographicParityDifference",
  "demographicParityRatio",
  "equalizedOddsDifference",
  "equalizedOddsRatio",
  "equalOpportunityDifference",
  "disparateImpact",
] as const;

/** evaluate --sensitive: responsible/fairness-report's FairnessReport. */
const fairness = {
  type: "object",
  additionalProperties: false,
  required: [
    "sensitive",
    "task",
    "positiveLabel",
    "metrics",
    "overall",
    "groups",
    "difference",
    "ratio",
    "summary",
  ],
  description:
    "With --sensitive: metrics by group of the sensitive columns (Fairlearn's MetricFrame semantics); null where a rate is undefined (0/0).",
  properties: {
    sensitive: {
      type: "array",
      items: { type: "string" },
      description: "The sensitive columns, in the order given.",
    },
    task: {
      enum: ["binary", "multiclass", "regression"],
      description:
        "binary: rates of the positive label; multiclass: accuracy; regression: mean absolute error.",
    },
    positiveLabel: {
      type: ["string", "null"],
      description: "The positive class of the binary rates (null otherwise).",
    },
    metrics: {
      type: "array",
      items: { type: "string" },
      description:
        "The metrics of each row: count, accuracy, selection_rate, true_positive_rate, false_positive_rate (binary), mean_absolute_error (regression).",
    },
    overall: rates,
    groups: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["group", "values", "rows", "metrics"],
        properties: {
          group: { type: "string", description: 'The group\'s values joined by ", ".' },
          values: {
            type: "object",
            additionalProperties: { type: "string" },
            description: 'The group\'s value in each sensitive column ("(missing)" for a missing value).',
          },
          rows: { type: "integer", minimum: 1 },
          metrics: rates,
        },
      },
    },
    difference: { ...rates, description: "Max minus min over groups, per metric." },
    ratio: { ...rates, description: "Min over max over groups, per metric." },
    summary: {
      anyOf: [
        { type: "null" },
        {
          type: "object",
          additionalProperties: false,
          required: [...disparityNames, "passesFourFifths"],
          properties: {
            ...Object.fromEntries(disparityNames.map((name) => [name, { type: ["number", "null"] }])),
            passesFourFifths: {
              type: "boolean",
              description: "Disparate impact (lowest selection rate / highest) is at least 0.8.",
            },
          },
        },
      ],
      description: "Binary tasks: the disparity measures; null otherwise.",
    },
  },
} as const;

export const EVALUATE_RESULT_SCHEMA = {
  $schema: DRAFT,
  $id: "https://unpkg.com/tessera-ml/schema/evaluate-result.schema.json",
  title: "tessera evaluate --json",
  type: "object",
  additionalProperties: false,
  required: [...headerFields, "model", "rows", "scores"],
  properties: {
    ...header,
    command: { const: "evaluate" },
    model: { type: "string", description: "The model's saved name." },
    rows: { type: "integer", minimum: 0, description: "Rows scored (rows without a target are left out)." },
    scores: {
      ...scores,
      description: `The compiled loss and metrics when the model was saved compiled, then ${scores.description}`,
    },
    fairness,
  },
} as const satisfies ResultSchema;

export const PREDICT_RESULT_SCHEMA = {
  $schema: DRAFT,
  $id: "https://unpkg.com/tessera-ml/schema/predict-result.schema.json",
  title: "tessera predict --json",
  type: "object",
  additionalProperties: false,
  required: [...headerFields, "model", "rows", "out"],
  properties: {
    ...header,
    command: { const: "predict" },
    model: { type: "string", description: "The model's saved name." },
    rows: { type: "integer", minimum: 0 },
    out: { type: ["string", "null"], description: "The file --out wrote, or null." },
    predictions: {
      type: "array",
      items: { type: "object" },
      description:
        'Without --out: one record per input row, its columns plus "<target>_predicted" (and "p_<label>" per class).',
    },
  },
} as const satisfies ResultSchema;

const namedValue = {
  type: "object",
  additionalProperties: false,
  required: ["name", "value"],
  properties: { name: { type: "string" }, value: { type: "number" } },
} as const;

export const EXPLAIN_RESULT_SCHEMA = {
  $schema: DRAFT,
  $id: "https://unpkg.com/tessera-ml/schema/explain-result.schema.json",
  title: "tessera explain --json",
  type: "object",
  additionalProperties: false,
  required: [...headerFields, "model", "method", "rows", "features"],
  properties: {
    ...header,
    command: { const: "explain" },
    model: { type: "string", description: "The model's saved name." },
    method: { enum: ["permutation", "shap", "ig"] },
    rows: { type: "integer", minimum: 1, description: "Rows of the data file used." },
    scoring: { type: "string", description: "permutation: the metric scored." },
    baselineScore: {
      type: "number",
      description: "permutation: the score on the unshuffled data (negated when lower is better).",
    },
    features: {
      type: "array",
      description:
        "The top features, most important first: permutation's mean score drop (and its std over repeats), or shap/ig's mean |attribution| over the explained records.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "importance"],
        properties: { name: { type: "string" }, importance: { type: "number" }, std: { type: "number" } },
      },
    },
    records: {
      type: "array",
      description: "shap and ig: one explanation per explained record (the first --rows rows).",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["row", "target", "prediction", "base", "attributions"],
        properties: {
          row: { type: "integer", minimum: 0 },
          target: {
            anyOf: [{ type: "string" }, { type: "integer" }],
            description: "The class label explained (the predicted class), or the target column.",
          },
          prediction: { type: "number", description: "The model's output for the target." },
          base: { type: "number", description: "E[f(background)] (shap) or f(all-zero input) (ig)." },
          attributions: {
            type: "array",
            items: namedValue,
            description: "The top features by |value|; all of them sum to prediction - base.",
          },
        },
      },
    },
  },
} as const satisfies ResultSchema;

/** The result schemas use additionalProperties with a schema, which the spec checker does not need. */
type ResultSchema = Omit<Schema, "additionalProperties" | "properties" | "items"> & {
  readonly additionalProperties?: boolean | ResultSchema;
  readonly properties?: { readonly [key: string]: ResultSchema };
  readonly items?: ResultSchema;
};

/** File name (under schema/) to schema, for the writer script and the freshness test. */
export const RESULT_SCHEMAS = {
  "train-result.schema.json": TRAIN_RESULT_SCHEMA,
  "evaluate-result.schema.json": EVALUATE_RESULT_SCHEMA,
  "predict-result.schema.json": PREDICT_RESULT_SCHEMA,
  "explain-result.schema.json": EXPLAIN_RESULT_SCHEMA,
  "inspect-data-result.schema.json": INSPECT_DATA_RESULT_SCHEMA,
} as const;
