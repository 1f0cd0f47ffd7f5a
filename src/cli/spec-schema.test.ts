// The spec's JSON Schema: the shipped file is the schema parseSpec uses, every example spec passes
// it, the defaults parseSpec fills come from it, and the checker's wording and keyword semantics
// (draft 2020-12: type-specific keywords ignore other types, anyOf, defaults) on small schemas.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError } from "../core/errors.js";
import type { JsonValue } from "../io/strict-json.js";
import { checkJson, describeSchema, type Schema } from "./json-schema-check.js";
import { RESULT_SCHEMAS } from "./result-schemas.js";
import { parseSpec } from "./spec.js";
import { SPEC_SCHEMA } from "./spec-schema.js";

const ROOT = join(import.meta.dirname, "..", "..");
const problem = (value: JsonValue, schema: Schema): string => {
  try {
    checkJson(value, schema, "f");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  return "valid";
};

describe("schema/spec.schema.json", () => {
  test("schema/*.schema.json are the sources written out (run scripts/write-spec-schema.ts after a change)", () => {
    for (const [file, schema] of Object.entries({ "spec.schema.json": SPEC_SCHEMA, ...RESULT_SCHEMAS })) {
      const shipped = JSON.parse(readFileSync(join(ROOT, "schema", file), "utf8"));
      assert.deepEqual(shipped, JSON.parse(JSON.stringify(schema)), file);
      assert.equal(shipped.$schema, "https://json-schema.org/draft/2020-12/schema");
    }
  });

  test("every example's spec.json passes, with the schema's defaults filled in", () => {
    const examples = readdirSync(join(ROOT, "examples")).filter((name) => {
      try {
        return readdirSync(join(ROOT, "examples", name)).includes("spec.json");
      } catch {
        return false;
      }
    });
    assert.ok(examples.length >= 2, examples.join(", "));
    for (const name of examples) {
      const path = join(ROOT, "examples", name, "spec.json");
      const spec = parseSpec(JSON.parse(readFileSync(path, "utf8")), path, name);
      assert.equal(spec.fit.checkpointEvery, SPEC_SCHEMA.properties.fit.properties.checkpointEvery.default);
      assert.ok(spec.model.layers.length > 0, name);
    }
  });

  test("parseSpec's defaults are the schema's", () => {
    const spec = parseSpec({ data: { path: "d.csv", target: "y" }, model: { layers: [] } }, "s.json", "n");
    const p = SPEC_SCHEMA.properties;
    assert.equal(spec.seed, p.seed.default);
    assert.equal(spec.split.test, p.split.properties.test.default);
    assert.equal(spec.fit.epochs, p.fit.properties.epochs.default);
    assert.equal(spec.compile.optimizer, p.compile.properties.optimizer.default);
    assert.equal(
      spec.preprocessing.numeric.scale,
      p.preprocessing.properties.numeric.properties.scale.default,
    );
  });

  test("the checks a schema cannot express", () => {
    const base = { data: { path: "d.csv", target: "y" }, model: { layers: [] } };
    assert.throws(
      () => parseSpec(base, "s.json", "my spec"),
      /s\.json: name: the file name "my spec" cannot name/,
    );
    assert.throws(
      () => parseSpec({ ...base, fit: { earlyStopping: {} }, split: { validation: 0 } }, "s.json", "n"),
      /fit\.earlyStopping\.monitor: watches "val_loss"/,
    );
    const es = parseSpec({ ...base, fit: { earlyStopping: {} } }, "s.json", "n").fit.earlyStopping;
    assert.deepEqual(es, { patience: 10, monitor: "val_loss", minDelta: 0, restoreBestWeights: true });
  });

  test('anyOf fields: a name or an object for the optimizer, "epoch" or a count for checkpoints', () => {
    const base = { data: { path: "d.csv", target: "y" }, model: { layers: [] } };
    const opt = (optimizer: JsonValue) => problem({ ...base, compile: { optimizer } }, SPEC_SCHEMA);
    assert.equal(opt("sgd"), "valid");
    assert.equal(opt({ type: "adam", learningRate: 0.1 }), "valid");
    assert.equal(opt({ learningRate: 0.1 }), "f: compile.optimizer.type: is required");
    assert.equal(opt(3), 'f: compile.optimizer: must be a non-empty string or an object with "type" (got 3)');
    const every = (checkpointEvery: JsonValue) => problem({ ...base, fit: { checkpointEvery } }, SPEC_SCHEMA);
    assert.equal(every(50), "valid");
    assert.equal(every("batch"), 'f: fit.checkpointEvery: must be "epoch" or an integer >= 1 (got "batch")');
    assert.equal(every(0), 'f: fit.checkpointEvery: must be "epoch" or an integer >= 1 (got 0)');
  });
});

describe("checkJson: the JSON Schema subset", () => {
  test("type-specific keywords apply to their type only; nullable types", () => {
    const s: Schema = { type: ["string", "null", "integer"], minLength: 2, minimum: 3 };
    assert.equal(problem("ab", s), "valid");
    assert.equal(problem(null, s), "valid");
    assert.equal(problem(5, s), "valid");
    assert.equal(
      problem("a", s),
      'f: (root): must be a string of 2+ characters or null or an integer >= 3 (got "a")',
    );
    assert.equal(
      problem(2, s),
      "f: (root): must be a string of 2+ characters or null or an integer >= 3 (got 2)",
    );
    assert.equal(
      problem(2.5, s),
      "f: (root): must be a string of 2+ characters or null or an integer >= 3 (got 2.5)",
    );
    assert.equal(
      problem(true, s),
      "f: (root): must be a string of 2+ characters or null or an integer >= 3 (got true)",
    );
  });

  test("bounds in words", () => {
    assert.equal(describeSchema({ type: "number", exclusiveMinimum: 0, maximum: 1 }), "a number in (0, 1]");
    assert.equal(describeSchema({ type: "number", exclusiveMaximum: 5 }), "a number < 5");
    assert.equal(
      describeSchema({ type: "array", items: { type: "string", minLength: 1 } }),
      "an array of non-empty strings",
    );
    assert.equal(
      problem(1, { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }),
      "f: (root): must be a number in (0, 1) (got 1)",
    );
  });

  test("objects: unknown fields, required fields, defaults filled and checked, paths into arrays", () => {
    const s: Schema = {
      type: "object",
      additionalProperties: false,
      required: ["a"],
      properties: {
        a: { type: "array", items: { type: "object", properties: { n: { type: "integer", default: 7 } } } },
        b: { type: "object", default: {}, properties: { c: { enum: ["x", "y"], default: "x" } } },
      },
    };
    assert.deepEqual(checkJson({ a: [{}, { n: 2, extra: true }] }, s, "f"), {
      a: [{ n: 7 }, { n: 2, extra: true }],
      b: { c: "x" },
    });
    assert.equal(problem({ a: [], z: 1 }, s), "f: z: unknown field (expected one of a, b)");
    assert.equal(problem({}, s), "f: a: is required");
    assert.equal(problem({ a: [{ n: "2" }] }, s), 'f: a[0].n: must be an integer (got "2")');
    assert.equal(problem({ a: [], b: { c: "z" } }, s), 'f: b.c: must be one of "x", "y" (got "z")');
    // A default is copied, never shared between results.
    const first = checkJson({ a: [] }, s, "f") as { b: { c: string } };
    first.b.c = "changed";
    assert.deepEqual((checkJson({ a: [] }, s, "f") as { b: object }).b, { c: "x" });
  });

  test("a keyword outside the subset is refused, so the schema cannot outgrow the checker silently", () => {
    assert.throws(() => checkJson(1, { oneOf: [] } as unknown as Schema, "f"), /unsupported keyword "oneOf"/);
  });
});
