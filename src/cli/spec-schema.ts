// cli/spec-schema: the JSON Schema (draft 2020-12) of `tessera train`'s experiment spec. It is the
// one source of truth: parseSpec (cli/spec.ts) validates against it and takes its defaults, and
// schema/spec.schema.json, shipped in the package for editors and other tools, is this object
// written out (scripts/write-spec-schema.ts; a test fails when the file is stale).
import { CARD_SCHEMA } from "./card-schema.js";
import type { Schema } from "./json-schema-check.js";

const nonEmpty = { type: "string", minLength: 1 } as const;
const names = { type: ["array", "null"], items: nonEmpty } as const;

export const SPEC_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://unpkg.com/tessera-ml/schema/spec.schema.json",
  title: "Tessera experiment spec",
  description:
    "What `tessera train <spec.json>` runs: data, split, preprocessing, model, compile and fit options. The output layer is added from the task (1 linear unit, or one softmax unit per class).",
  type: "object",
  additionalProperties: false,
  required: ["data", "model"],
  properties: {
    $schema: { type: "string", description: "This schema's location, for editors." },
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
      description: "Names the model (also in serving URLs). Default: the spec file's name.",
    },
    description: { type: "string" },
    seed: {
      type: "integer",
      minimum: 0,
      default: 42,
      description: "Seeds splits, initializers and shuffling.",
    },
    data: {
      type: "object",
      additionalProperties: false,
      required: ["path", "target"],
      properties: {
        path: { ...nonEmpty, description: "CSV, JSON, NDJSON or Parquet file, relative to the spec file." },
        target: { ...nonEmpty, description: "The column to predict." },
        features: {
          ...names,
          default: null,
          description: "Feature columns (default: all but target and drop).",
        },
        drop: { ...names, default: [], description: "Columns left out." },
        task: {
          enum: ["regression", "classification", null],
          default: null,
          description: "Default: classification for a string or boolean target, else regression.",
        },
      },
    },
    split: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        test: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.2 },
        validation: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.1 },
        stratify: {
          type: ["boolean", "null"],
          default: null,
          description: "Default: stratify by the target for classification.",
        },
      },
    },
    preprocessing: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        numeric: {
          type: "object",
          additionalProperties: false,
          default: {},
          properties: {
            impute: { enum: ["mean", "median", "none"], default: "median" },
            scale: { enum: ["standard", "minmax", "robust", "none"], default: "standard" },
          },
        },
        categorical: {
          type: "object",
          additionalProperties: false,
          default: {},
          properties: {
            impute: { enum: ["most_frequent", "none"], default: "most_frequent" },
            encode: { enum: ["onehot", "ordinal"], default: "onehot" },
          },
        },
      },
    },
    model: {
      type: "object",
      additionalProperties: false,
      required: ["layers"],
      properties: {
        layers: {
          type: "array",
          description: "Hidden layers in order; each names a layer class and gives its options.",
          items: {
            type: "object",
            required: ["type"],
            properties: { type: { ...nonEmpty, description: 'A layer class: "dense", "dropout", ...' } },
            additionalProperties: true,
          },
        },
      },
    },
    compile: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        optimizer: {
          anyOf: [
            nonEmpty,
            {
              type: "object",
              required: ["type"],
              properties: { type: nonEmpty },
              additionalProperties: true,
            },
          ],
          default: "adam",
          description: 'A name ("adam") or {"type": "adam", "learningRate": 0.001, ...}.',
        },
        loss: {
          type: ["string", "null"],
          minLength: 1,
          default: null,
          description: "Default: mse (regression) or sparse_categorical_crossentropy.",
        },
        metrics: { ...names, default: null, description: "Default: [mae] or [accuracy]." },
      },
    },
    fit: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        epochs: { type: "integer", minimum: 1, default: 100 },
        batchSize: { type: "integer", minimum: 1, default: 32 },
        earlyStopping: {
          type: ["object", "null"],
          additionalProperties: false,
          default: null,
          properties: {
            patience: { type: "integer", minimum: 0, default: 10 },
            monitor: { ...nonEmpty, default: "val_loss" },
            minDelta: { type: "number", default: 0 },
            restoreBestWeights: { type: "boolean", default: true },
          },
        },
        checkpointEvery: {
          anyOf: [{ const: "epoch" }, { type: "integer", minimum: 1 }],
          default: "epoch",
          description: '"epoch", or a number of batches between resumable checkpoints.',
        },
        privacy: {
          type: ["object", "null"],
          additionalProperties: false,
          default: null,
          required: ["l2NormClip"],
          description:
            "Differentially private training (DP-SGD): Poisson batches of expected size batchSize, per-example clipping to l2NormClip, Gaussian noise; give noiseMultiplier or targetEpsilon.",
          properties: {
            noiseMultiplier: { type: "number", exclusiveMinimum: 0 },
            targetEpsilon: { type: "number", exclusiveMinimum: 0 },
            l2NormClip: { type: "number", exclusiveMinimum: 0 },
            delta: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 1e-5 },
          },
        },
      },
    },
    card: CARD_SCHEMA,
    output: {
      type: ["string", "null"],
      minLength: 1,
      default: null,
      description: "The run directory, relative to the working directory. Default: runs/<name>.",
    },
  },
} as const satisfies Schema;
