// test/fuzz: the JSON side of model files: io/strict-json (model.json and safetensors headers),
// validateModelFile (model.json's sections) and preprocessingFromJson (the fitted preprocessing).
// Properties: only typed errors escape on any text and on any mutation of a valid model.json;
// strict JSON parses what JSON.parse parses, except what it documents it refuses (duplicate keys,
// integers beyond 2^53, deep nesting). The "robust" helper adds targets that build the model.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../src/core/errors.js";
import { OneHotEncoder } from "../../src/data/preprocess/encoders.js";
import { ColumnTransformer } from "../../src/data/preprocess/pipeline.js";
import { StandardScaler } from "../../src/data/preprocess/scalers.js";
import { Table } from "../../src/data/table/table.js";
import { validateModelFile } from "../../src/io/model-format.js";
import { preprocessingFromJson } from "../../src/io/preprocessing.js";
import { modelFiles } from "../../src/io/save-model.js";
import { isJsonObject, type JsonValue, parseStrictJson } from "../../src/io/strict-json.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { bytesFrom, fc, fuzz } from "./harness.js";

const decoder = new TextDecoder();

fuzz("parseStrictJson on arbitrary text", bytesFrom('{}[]":,\\ 0123456789.-eE+tfnrualsu', 200), (bytes) => {
  parseStrictJson(decoder.decode(bytes), "f.json");
});

/** Whether `error` is one of the refusals strict JSON documents on top of JSON.parse's. */
function documentedRefusal(error: unknown): boolean {
  return error instanceof FormatError && /duplicate key|beyond 2\^53|nesting deeper/.test(error.message);
}

fuzz(
  "parseStrictJson agrees with JSON.parse",
  fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v, null, 1)),
    fc.string({
      unit: fc.constantFrom("{", "}", '"a"', ":", ",", "1", "[", "]", " ", "\\u0041", "__proto__"),
    }),
  ),
  (text) => {
    let expected: unknown;
    try {
      expected = JSON.parse(text);
    } catch {
      assert.throws(() => parseStrictJson(text, "f.json"), FormatError, "JSON.parse refused it");
      return;
    }
    let got: JsonValue;
    try {
      got = parseStrictJson(text, "f.json");
    } catch (error) {
      assert.ok(documentedRefusal(error), `refused valid JSON: ${String(error)}`);
      return;
    }
    assert.equal(JSON.stringify(got), JSON.stringify(expected));
  },
);

/** A valid model.json text: a small network with fitted preprocessing (one-hot and scaling). */
function validModelJson(): string {
  const table = Table.fromRecords([
    { x: 1, y: 2, c: "a" },
    { x: 3, y: 5, c: "b" },
    { x: 4, y: 1, c: "a" },
  ]);
  const features = new ColumnTransformer([
    ["num", new StandardScaler(), ["x", "y"]],
    ["cat", new OneHotEncoder(), ["c"]],
  ]).fit(table);
  const model = sequential([
    layers.dense({ units: 2, inputShape: [4], activation: "relu" }),
    layers.dense({ units: 1 }),
  ]);
  const { files } = modelFiles(model, { preprocessing: { features, target: null } });
  const text = files["model.json"];
  assert.equal(typeof text, "string");
  return text as string;
}

const VALID = validModelJson();

/** Loads model.json's JSON side: parse, validate, restore preprocessing. */
function load(text: string): void {
  const file = validateModelFile(parseStrictJson(text, "model.json"), "model.json");
  if (file.preprocessing !== null) preprocessingFromJson(file.preprocessing, "model.json");
}

// The valid file must load, or every mutation below would be refused for the same reason.
load(VALID);

type Step = { readonly choice: number; readonly action: "replace" | "delete" | "add"; readonly key: string };
const AWKWARD = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1e308, 2 ** 53 - 1, 1.5, "", "__proto__", [], {}, null, [1e9, 1e9, 1e9]),
);
const STEP = fc.record({
  choice: fc.nat(),
  action: fc.constantFrom("replace", "delete", "add"),
  key: fc.constantFrom("__proto__", "constructor", "toString", "type", "units", "shape", "x"),
});

/** Applies one mutation at a node chosen by walking `depth` random steps down from the root. */
function mutate(root: JsonValue, path: readonly number[], step: Step, value: JsonValue): JsonValue {
  if (path.length === 0 || root === null || typeof root !== "object") {
    if (step.action === "delete") return null;
    if (step.action === "add" && isJsonObject(root)) return { ...root, [step.key]: value };
    return value;
  }
  const keys = Object.keys(root);
  if (keys.length === 0) return step.action === "replace" ? value : root;
  const key = keys[path[0]! % keys.length]!;
  const child = (root as Record<string, JsonValue>)[key]!;
  if (Array.isArray(root)) {
    const copy = [...root];
    if (path.length === 1 && step.action === "delete") copy.splice(Number(key), 1);
    else copy[Number(key)] = mutate(child, path.slice(1), step, value);
    return copy;
  }
  const copy: Record<string, JsonValue> = {};
  for (const k of keys) {
    if (k === key && path.length === 1 && step.action === "delete") continue;
    const v = k === key ? mutate(child, path.slice(1), step, value) : (root as Record<string, JsonValue>)[k]!;
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

fuzz(
  "model.json and preprocessing JSON: any mutation of a valid file",
  fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 7 }), STEP, AWKWARD), {
    minLength: 1,
    maxLength: 3,
  }),
  (mutations) => {
    let json = JSON.parse(VALID) as JsonValue;
    for (const [path, step, value] of mutations) json = mutate(json, path, step, value as JsonValue);
    load(JSON.stringify(json));
  },
);

// Counterexamples this target found, kept as plain tests (both were TypeErrors from
// data/preprocess/transformer.ts checkJSON on parsed model.json content).
test("found: a transformer version that is an object is a typed error, not a TypeError from String()", () => {
  const json = JSON.parse(VALID) as { preprocessing: { features: { version: unknown } } };
  json.preprocessing.features.version = {};
  assert.throws(
    () => load(JSON.stringify(json)),
    (e) => e instanceof FormatError && /unsupported version \{\}/.test(e.message),
  );
});

test("found: a transformer without its state field is a typed error, not a TypeError", () => {
  const json = JSON.parse(VALID) as { preprocessing: { features: { state?: unknown } } };
  delete json.preprocessing.features.state;
  assert.throws(
    () => load(JSON.stringify(json)),
    (e) => e instanceof FormatError && /state must be an object or null/.test(e.message),
  );
});
