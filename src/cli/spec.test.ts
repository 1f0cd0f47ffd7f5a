import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../core/errors.js";
import { parseSpec } from "./spec.js";

const minimal = { data: { path: "d.csv", target: "y" }, model: { layers: [{ type: "dense", units: 4 }] } };

test("a minimal spec gets the documented defaults", () => {
  const spec = parseSpec(minimal, "s.json", "fallback-name");
  assert.equal(spec.name, "fallback-name");
  assert.equal(spec.seed, 42);
  assert.deepEqual(spec.split, { test: 0.2, validation: 0.1, stratify: null });
  assert.deepEqual(spec.preprocessing, {
    numeric: { impute: "median", scale: "standard" },
    categorical: { impute: "most_frequent", encode: "onehot" },
  });
  assert.deepEqual(spec.model.layers, [{ type: "dense", options: { units: 4 } }]);
  assert.deepEqual(spec.compile, { optimizer: "adam", loss: null, metrics: null });
  assert.deepEqual(spec.fit, {
    epochs: 100,
    batchSize: 32,
    earlyStopping: null,
    checkpointEvery: "epoch",
    privacy: null,
  });
  assert.equal(spec.output, null);
  assert.deepEqual(spec.data, { path: "d.csv", target: "y", features: null, drop: [], task: null });
});

test("errors name the file and the field path", () => {
  const cases: [object, RegExp][] = [
    [{}, /^s\.json: data: is required/],
    [[1, 2], /^s\.json: \(root\): must be an object with "data", "model" \(got \[1,2\]\)$/],
    [{ ...minimal, data: { path: "d.csv" } }, /data\.target: is required/],
    [
      { ...minimal, data: { ...minimal.data, drop: ["a", 3] } },
      /data\.drop\[1\]: must be a non-empty string/,
    ],
    [
      { ...minimal, data: { ...minimal.data, task: "ranking" } },
      /data\.task: must be one of "regression", "classification"/,
    ],
    [{ ...minimal, model: { layers: [{ units: 3 }] } }, /model\.layers\[0\]\.type: is required/],
    [{ ...minimal, fit: { batchSize: 2.5 } }, /fit\.batchSize: must be an integer >= 1 \(got 2\.5\)/],
    [
      { ...minimal, fit: { earlyStopping: { patience: 3 } }, split: { validation: 0 } },
      /fit\.earlyStopping\.monitor: watches "val_loss" but split\.validation is 0/,
    ],
    [{ ...minimal, split: { test: 1 } }, /split\.test: must be a number in \(0, 1\) \(got 1\)/],
    [{ ...minimal, name: "a b" }, /name: must match \/\^\[A-Za-z0-9\]\[A-Za-z0-9._-\]\*\$\/ \(got "a b"\)/],
    [
      { ...minimal, preprocessing: { numeric: { scale: "zscore" } } },
      /preprocessing\.numeric\.scale: must be one of/,
    ],
    [{ ...minimal, extra: 1 }, /extra: unknown field/],
  ];
  for (const [json, message] of cases) {
    assert.throws(
      () => parseSpec(json as never, "s.json", "n"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, message);
        return true;
      },
      JSON.stringify(json),
    );
  }
});
