// schema/spec.schema.json against an independent validator (ajv, JSON Schema 2020-12, strict
// mode): the file compiles as a schema, and on thousands of generated specs (a valid spec with
// random JSON put at random paths, fields removed, unknown fields added) the CLI's own checker and
// ajv agree on what is valid. Cross-field rules (test + validation < 1, ...) are parseSpec's, not
// the schema's, and are not compared here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import type { JsonObject, JsonValue } from "../io/strict-json.js";
import { checkJson } from "./json-schema-check.js";
import { SPEC_SCHEMA } from "./spec-schema.js";

const shipped = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "schema", "spec.schema.json"), "utf8"),
) as object;
const validate = new Ajv2020.default({ strict: true, allErrors: false }).compile(shipped);

const VALID: JsonObject = {
  name: "iris",
  seed: 1,
  data: { path: "data.csv", target: "species", drop: ["id"], task: "classification" },
  split: { test: 0.2, validation: 0.1, stratify: true },
  preprocessing: { numeric: { impute: "mean", scale: "robust" }, categorical: { encode: "ordinal" } },
  model: {
    layers: [
      { type: "dense", units: 8, activation: "relu" },
      { type: "dropout", rate: 0.1 },
    ],
  },
  compile: { optimizer: { type: "adam", learningRate: 0.01 }, loss: "mse", metrics: ["mae"] },
  fit: { epochs: 5, batchSize: 16, earlyStopping: { patience: 3 }, checkpointEvery: 2 },
  output: "runs/iris",
};

// Every path of VALID, plus one unknown field under each object.
function paths(value: JsonValue, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (typeof value !== "object" || value === null) return [];
  return [
    [...prefix, "unknownField"],
    ...Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]),
  ];
}
const PATHS = paths(VALID);

/** VALID with `value` at `path` (undefined removes the field). */
function mutate(path: (string | number)[], value: JsonValue | undefined): JsonValue {
  const copy = structuredClone(VALID) as JsonValue;
  let node = copy as Record<string | number, JsonValue>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, JsonValue>;
  const last = path[path.length - 1]!;
  if (value === undefined && Array.isArray(node)) node.splice(Number(last), 1);
  else if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const ours = (value: JsonValue): boolean => {
  try {
    checkJson(value, SPEC_SCHEMA, "spec");
    return true;
  } catch {
    return false;
  }
};

test("ajv compiles the shipped schema and accepts the valid base spec", () => {
  assert.equal(validate(VALID), true, JSON.stringify(validate.errors));
  assert.equal(ours(VALID), true);
});

test("the checker and ajv agree on generated specs", () => {
  const interesting = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
    fc.constantFrom<JsonValue | undefined>(
      undefined,
      null,
      0,
      -1,
      1,
      0.5,
      1.5,
      "",
      "epoch",
      "x y",
      "adam",
      [],
      {},
      { type: "sgd" },
      ["a", 1],
    ),
  );
  fc.assert(
    fc.property(fc.constantFrom(...PATHS), interesting, (path, value) => {
      const spec = mutate(path, value);
      const theirs = validate(spec);
      assert.equal(
        ours(spec),
        theirs,
        `${path.join(".")} = ${JSON.stringify(value)}: ajv ${JSON.stringify(validate.errors)}`,
      );
    }),
    { numRuns: 3000, seed: 11 },
  );
});
