// data/pii steps: DropColumns, MaskColumns, Generalizer and HmacPseudonymizer fit/transform, JSON
// round trips through the closed registry, and a model saved with a pseudonymising pipeline: the
// key is in no byte of the saved directory, loading without it is a ConfigError, and with it (or
// TESSERA_KEY_<ID>) predictions are the same. The people table is synthetic
// (test/fixtures/pii/people.ts).
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { syntheticPeople } from "../../../test/fixtures/pii/people.js";
import { ConfigError, ValueError } from "../../core/errors.js";
import { loadModelBundle } from "../../io/load-model.js";
import { columnSignatures, tableToFeatures } from "../../io/preprocessing.js";
import { saveModel } from "../../io/save-model.js";
import { sequential } from "../../models/sequential.js";
import * as layers from "../../nn/layers/index.js";
import "../../train/model-methods.js";
import { OrdinalEncoder } from "../preprocess/encoders.js";
import { ColumnTransformer, Pipeline } from "../preprocess/pipeline.js";
import { transformerFromJSON } from "../preprocess/registry.js";
import { Table } from "../table/table.js";
import { Generalizer } from "./generalize.js";
import { HmacPseudonymizer } from "./pseudonymize.js";
import { DropColumns, MaskColumns } from "./redact.js";

const KEY = "k3y-for-tests-0123456789-abcdefXYZ";
const roundTrip = <T>(step: { toJSON(): unknown }) =>
  transformerFromJSON(JSON.parse(JSON.stringify(step.toJSON()))) as T;

test("DropColumns and MaskColumns", () => {
  const people = syntheticPeople();
  const dropped = new DropColumns({ columns: ["name", "email"] }).fitTransform(people);
  assert.deepEqual(
    dropped.columnNames,
    people.columnNames.filter((c) => c !== "name" && c !== "email"),
  );
  assert.throws(() => new DropColumns({ columns: ["nope"] }).fit(people), /no column "nope"/);
  assert.throws(() => new DropColumns({ columns: [] }), ValueError);

  const masked = new MaskColumns({ columns: ["email", "card", "id"] }).fitTransform(people);
  assert.deepEqual(masked.column("email").toArray(), [
    "a**@e******.com",
    "a***@e******.org",
    "g****@e******.net",
    "e*****@e******.com",
  ]);
  assert.equal(masked.get(0, "card"), "**** **** **** 1111");
  assert.equal(masked.get(0, "id"), "*"); // one-character values are fully hidden
  const last2 = roundTrip<MaskColumns>(new MaskColumns({ columns: ["phone"], keepLast: 2 }).fit(people));
  assert.equal(last2.transform(people).get(2, "phone"), "(***) ***-**67");
});

test("Generalizer: bands, edges, date truncation and prefixes", () => {
  const people = syntheticPeople().withColumn(
    "when",
    [0, 1, 2, 3].map((i) => new Date(Date.UTC(1980 + i, 4 + i, 17))),
  );
  const g = new Generalizer({
    rules: {
      age: { bands: 10 },
      score: { edges: [0.3, 0.6] },
      born: { truncate: "month" },
      when: { truncate: "year" },
      zip: { prefix: 3 },
    },
  });
  const out = g.fitTransform(people);
  assert.deepEqual(out.column("age").toArray(), ["30-39", "60-69", "40-49", "30-39"]);
  assert.deepEqual(out.column("score").toArray(), ["[0.3, 0.6)", "0.6+", "0.6+", "<0.3"]);
  assert.deepEqual(out.column("born").toArray(), ["1985-12", "1962-06", "1976-12", "1990-05"]);
  assert.equal(out.column("when").kind, "date");
  assert.deepEqual(
    out.column("when").toArray(),
    [1980, 1981, 1982, 1983].map((y) => new Date(Date.UTC(y, 0, 1))),
  );
  assert.deepEqual(out.column("zip").toArray(), ["902**", "902**", "100**", "100**"]);
  const again = roundTrip<Generalizer>(g);
  assert.deepEqual(again.transform(people).toRecords(), out.toRecords());
  assert.throws(() => new Generalizer({ rules: { age: { bands: 0 } } }), /bands must be > 0/);
  assert.throws(() => new Generalizer({ rules: { age: { edges: [3, 1] } } }), /edges must increase/);
  assert.throws(
    () => new Generalizer({ rules: { name: { bands: 5 } } }).fitTransform(people),
    /"name" must be numeric/,
  );
});

test("HmacPseudonymizer: keyed, consistent, equal to node:crypto's HMAC, key never in its JSON", () => {
  const people = syntheticPeople();
  const p = new HmacPseudonymizer({ columns: ["email", "iban"], key: KEY, keyId: "crm" });
  const out = p.fitTransform(people);
  const expected = createHmac("sha256", KEY).update("ada@example.com").digest("hex").slice(0, 16);
  assert.equal(out.get(0, "email"), expected);
  assert.equal(out.get(0, "iban"), out.get(2, "iban")); // the same IBAN, the same pseudonym
  assert.notEqual(out.get(0, "iban"), out.get(1, "iban"));
  const other = new HmacPseudonymizer({ columns: ["email"], key: `${KEY}!`, keyId: "crm" }).fitTransform(
    people,
  );
  assert.notEqual(other.get(0, "email"), expected);

  const text = JSON.stringify(p.toJSON());
  assert.ok(!text.includes(KEY) && !text.includes(Buffer.from(KEY).toString("hex")));
  const loaded = roundTrip<HmacPseudonymizer>(p);
  assert.equal(loaded.hasKey, false);
  assert.throws(
    () => loaded.transform(people),
    (e: Error) => e instanceof ConfigError && /key "crm" is needed/.test(e.message),
  );
  assert.throws(
    () => loaded.supplyKey("wrong-key-but-long-enough!!"),
    /not the one this pipeline was fitted with/,
  );
  assert.deepEqual(loaded.supplyKey(KEY).transform(people).toRecords(), out.toRecords());
  assert.throws(
    () => new HmacPseudonymizer({ columns: ["email"], key: "short" }),
    /at least 16 random bytes/,
  );
  assert.throws(() => new HmacPseudonymizer({ columns: ["email"], key: KEY, length: 4 }), /8\.\.64/);
});

function fixtureModel() {
  const people = syntheticPeople();
  const features = new ColumnTransformer([
    [
      "who",
      new Pipeline([
        ["pseudo", new HmacPseudonymizer({ columns: ["email"], key: KEY, keyId: "crm" })],
        ["code", new OrdinalEncoder()],
      ]),
      ["email"],
    ],
    [
      "age",
      new Pipeline([
        ["band", new Generalizer({ rules: { age: { bands: 10 } } })],
        ["code", new OrdinalEncoder()],
      ]),
      ["age"],
    ],
    ["num", "passthrough", ["score"]],
  ]);
  features.fit(people);
  const model = sequential([layers.dense({ units: 1, inputShape: [3] })]);
  return { people, features, model };
}

test("a model saved with a pseudonymising pipeline: no key byte on disk, key required to load", async () => {
  const { people, features, model } = fixtureModel();
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-pii-")), "model");
  const preprocessing = { features, target: null };
  await saveModel(model, dir, {
    preprocessing,
    columns: columnSignatures(people, ["email", "age", "score"]),
  });
  const expected = model.predict(tableToFeatures(preprocessing, people)).data;

  const needles = [KEY, Buffer.from(KEY).toString("hex"), Buffer.from(KEY).toString("base64")].map((s) =>
    Buffer.from(s),
  );
  for (const file of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, file));
    for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${file} holds the key`);
  }
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  assert.equal(json.preprocessing.features.config.groups[0].step.config.steps[0].step.config.keyId, "crm");

  await assert.rejects(
    loadModelBundle(dir),
    (e: Error) => e instanceof ConfigError && /key "crm".*TESSERA_KEY_CRM/.test(e.message),
  );
  await assert.rejects(
    loadModelBundle(dir, { keys: { crm: "a wrong key of enough bytes" } }),
    /not the one this pipeline was fitted with/,
  );
  const bundle = await loadModelBundle(dir, { keys: { crm: KEY } });
  assert.deepEqual(bundle.model.predict(tableToFeatures(bundle.preprocessing!, people)).data, expected);

  process.env.TESSERA_KEY_CRM = KEY;
  try {
    const fromEnv = await loadModelBundle(dir);
    assert.deepEqual(fromEnv.model.predict(tableToFeatures(fromEnv.preprocessing!, people)).data, expected);
  } finally {
    delete process.env.TESSERA_KEY_CRM;
  }
  const keyless = await loadModelBundle(dir, { requireKeys: false });
  assert.throws(
    () => tableToFeatures(keyless.preprocessing!, Table.fromRecords(people.toRecords())),
    ConfigError,
  );
});
