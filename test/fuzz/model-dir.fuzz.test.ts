// test/fuzz: the whole model-file path (io/load-model: model.json's fields, the architecture
// rebuilt through the layer registry, the signature and preprocessing checked against it, the
// weights manifest against weights.safetensors, the training config compiled). Properties: any
// edit of a valid directory's model.json (values swapped for awkward ones, keys removed or added,
// prototype-named keys) and any byte flip in its weights loads or fails with a typed error; what
// loads holds no more weight bytes than the file; a model saved with random (valid) save options
// loads back, so save never writes what load refuses. Preprocessing JSON alone is fuzzed through
// transformerFromJSON on arbitrary JSON objects shaped like transformer state.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { ValueError } from "../../src/core/errors.js";
import { ColumnTransformer } from "../../src/data/preprocess/pipeline.js";
import { transformerFromJSON } from "../../src/data/preprocess/registry.js";
import { StandardScaler } from "../../src/data/preprocess/scalers.js";
import { Table } from "../../src/data/table/table.js";
import { loadModel } from "../../src/io/load-model.js";
import { saveModel } from "../../src/io/save-model.js";
import { isJsonObject, type JsonValue } from "../../src/io/strict-json.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import "../../src/train/model-methods.js";
import { assertBounded, fc, fuzz, fuzzAsync } from "./harness.js";

const root = mkdtempSync(join(tmpdir(), "tessera-fuzz-model-"));
after(() => rmSync(root, { recursive: true, force: true }));

function network() {
  const m = sequential([
    layers.dense({ units: 3, inputShape: [2], activation: "relu", name: "hidden" }),
    layers.dense({ units: 2, activation: "softmax", name: "out" }),
  ]);
  m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return m;
}

function fitted() {
  const table = Table.fromRecords([
    { p: 1, q: 2 },
    { p: 3, q: 5 },
    { p: 4, q: 1 },
  ]);
  return new ColumnTransformer([["num", new StandardScaler(), ["p", "q"]]]).fit(table);
}

const source = join(root, "valid");
await saveModel(network(), source, {
  preprocessing: { features: fitted(), target: null },
  columns: [
    { name: "p", type: "number", kind: "float" },
    { name: "q", type: "number", kind: "float" },
  ],
  labels: ["no", "yes"],
  metrics: { accuracy: 0.5 },
});
const VALID_JSON = readFileSync(join(source, "model.json"), "utf8");
const WEIGHTS = readFileSync(join(source, "weights.safetensors"));
await loadModel(source); // the untouched directory loads

/** Every [container, key] of a JSON tree, so an edit can pick any node uniformly. */
function slots(value: JsonValue, out: [Record<string, JsonValue> | JsonValue[], string | number][] = []) {
  if (Array.isArray(value)) {
    value.forEach((child, i) => {
      out.push([value, i]);
      slots(child, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      out.push([value, key]);
      slots(value[key]!, out);
    }
  }
  return out;
}

const AWKWARD = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    -1,
    0,
    1,
    3,
    1e308,
    2 ** 53,
    0.5,
    "",
    "float64",
    "Dense",
    "__proto__",
    [],
    {},
    null,
    [null, 2],
    [1e9, 1e9],
  ),
);
const EDIT = fc.record({
  pick: fc.nat(),
  action: fc.constantFrom("replace", "delete", "add"),
  key: fc.constantFrom("__proto__", "constructor", "toString", "units", "shape", "dtype", "name", "x"),
  value: AWKWARD,
});

let trial = 0;
fuzzAsync(
  "loadModel on edits of a valid directory's model.json and byte flips of its weights",
  fc.tuple(
    fc.array(EDIT, { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat({ max: WEIGHTS.length - 1 }), fc.integer({ min: 0, max: 255 })), {
      maxLength: 2,
    }),
  ),
  async ([edits, flips]) => {
    const json = JSON.parse(VALID_JSON) as JsonValue;
    for (const { value: shared, ...edit } of edits) {
      // A copy per edit: a later edit inside an inserted value must not make the tree cyclic.
      const value = structuredClone(shared) as JsonValue;
      const all = slots(json);
      if (all.length === 0) break;
      const [container, key] = all[edit.pick % all.length]!;
      if (Array.isArray(container)) {
        if (edit.action === "delete") container.splice(key as number, 1);
        else container[key as number] = value;
      } else if (edit.action === "delete") delete container[key as string];
      else if (edit.action === "add") {
        Object.defineProperty(container, edit.key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else container[key as string] = value;
    }
    const weights = Uint8Array.from(WEIGHTS);
    for (const [at, value] of flips) weights[at] = value;
    // A flipped file gets a matching digest, so the flips reach the safetensors checks rather
    // than stopping at the SHA-256 comparison every time.
    const manifest = isJsonObject(json) ? json.weights : undefined;
    if (flips.length > 0 && isJsonObject(manifest))
      manifest.sha256 = createHash("sha256").update(weights).digest("hex");
    const dir = join(root, `case-${trial++ % 4}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    writeFileSync(join(dir, "weights.safetensors"), weights);
    const model = await loadModel(dir);
    let bytes = 0;
    for (const w of model.getWeights()) bytes += w.data.byteLength;
    assertBounded("weight bytes", bytes, weights.length);
  },
);

const NAME = fc.constantFrom("p", "q", "r", "", "__proto__", "constructor");
fuzzAsync(
  "saveModel writes only what loadModel accepts",
  fc.record({
    columns: fc.option(
      fc.array(fc.record({ name: NAME, type: fc.constantFrom("number", "string", "boolean") }), {
        maxLength: 3,
      }),
    ),
    target: fc.option(fc.array(NAME, { maxLength: 2 })),
    labels: fc.option(fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 })),
    preprocessing: fc.boolean(),
  }),
  async (options) => {
    const dir = join(root, `save-${trial++ % 4}`);
    rmSync(dir, { recursive: true, force: true });
    try {
      await saveModel(network(), dir, {
        columns: options.columns as never,
        target: options.target,
        labels: options.labels,
        preprocessing: options.preprocessing ? { features: fitted(), target: null } : null,
      });
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      assert.equal(existsSync(dir), false, `refused (${error.message}) but wrote ${dir}`);
      return; // refused up front: nothing was written
    }
    await loadModel(dir); // anything save wrote must load (a typed error here fails the case)
  },
  { typedErrorsPass: false },
);

const TYPES = fc.constantFrom(
  "StandardScaler",
  "MinMaxScaler",
  "RobustScaler",
  "OneHotEncoder",
  "OrdinalEncoder",
  "LabelEncoder",
  "SimpleImputer",
  "Pipeline",
  "ColumnTransformer",
  "constructor",
  "__proto__",
);
const STATE = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      { type: TYPES, version: fc.constantFrom(1, 2, 0, "1", null), config: tie("node"), state: tie("node") },
      { requiredKeys: ["type"] },
    ),
    fc.dictionary(
      fc.constantFrom(
        "mean",
        "scale",
        "categories",
        "classes",
        "steps",
        "groups",
        "columns",
        "featureNamesIn",
        "min",
      ),
      tie("node"),
      { maxKeys: 3 },
    ),
  ),
})).node;

fuzz("transformerFromJSON on transformer-shaped JSON", STATE, (json) => {
  const loaded = transformerFromJSON(json);
  assert.ok(loaded !== null && typeof loaded === "object");
});
