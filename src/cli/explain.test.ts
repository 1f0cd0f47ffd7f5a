// Tests of `tessera explain`: a saved classifier whose weights read only column "a" (through a
// fitted StandardScaler and label encoder) is explained by permutation, Kernel SHAP and integrated
// gradients; column "b" must get exactly nothing, "a" must lead, and per-record values must add up.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  A_SCALE,
  EXPLAIN_ROWS,
  saveExplainModel,
  writeExplainCsv,
} from "../../test/e2e/fixtures/explain-model.js";
import { assertResultSchema } from "../../test/e2e/fixtures/result-schema.js";
import { main } from "./main.js";

const root = mkdtempSync(join(tmpdir(), "tessera-explain-"));
after(() => rmSync(root, { recursive: true, force: true }));
const modelDir = join(root, "model");
const dataPath = join(root, "data.csv");
const unlabelled = join(root, "unlabelled.csv");

before(async () => {
  await saveExplainModel(modelDir);
  writeExplainCsv(dataPath, true);
  writeExplainCsv(unlabelled, false);
});

async function explain(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["explain", ...args], undefined, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    stdin: async () => "",
  });
  return { code, out, err };
}

interface Explained {
  method: string;
  rows: number;
  baselineScore?: number;
  features: { name: string; importance: number; std?: number }[];
  records?: {
    row: number;
    target: string;
    prediction: number;
    base: number;
    attributions: { name: string; value: number }[];
  }[];
}

describe("tessera explain", () => {
  test("permutation: a carries the accuracy, b none", async () => {
    const r = await explain(modelDir, dataPath, "--json", "--repeats", "3");
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /permutation importance of 2 features on 40 rows/);
    const result = JSON.parse(r.out) as Explained;
    assertResultSchema("explain", result);
    assert.equal(result.baselineScore, 1);
    assert.deepEqual(
      result.features.map((f) => f.name),
      ["a", "b"],
    );
    assert.ok(result.features[0]!.importance > 0.2);
    assert.deepEqual([result.features[1]!.importance, result.features[1]!.std], [0, 0]);
    const text = await explain(modelDir, dataPath, "--top", "1");
    assert.match(
      text.out,
      /^permutation importance on 40 rows \(accuracy 1, 5 repeats\)\n {2}1\. a\s+0\.\d+ \+\/- /,
    );
    assert.doesNotMatch(text.out, /\bb\b/);
    // --encoded: the scaled model inputs, named by the preprocessing; the same importances
    const encoded = JSON.parse(
      (await explain(modelDir, dataPath, "--json", "--repeats", "3", "--encoded")).out,
    ) as Explained;
    assert.deepEqual(
      encoded.features.map((f) => [f.name, f.importance]),
      [
        ["num__a", result.features[0]!.importance],
        ["num__b", 0],
      ],
    );
  });

  for (const method of ["shap", "ig"]) {
    test(`${method}: per-record values add up to prediction - base, b gets 0`, async () => {
      const r = await explain(modelDir, unlabelled, "--method", method, "--rows", "4", "--json");
      assert.equal(r.code, 0, r.err);
      const result = JSON.parse(r.out) as Explained;
      assertResultSchema("explain", result);
      assert.equal(result.records!.length, 4);
      const [a, b] = method === "shap" ? ["a", "b"] : ["num__a", "num__b"];
      assert.equal(result.features[0]!.name, a);
      assert.ok(Math.abs(result.features[1]!.importance) < 1e-6);
      for (const record of result.records!) {
        assert.equal(record.target, "no"); // the first rows have a < 0
        const sum = record.attributions.reduce((s, a) => s + a.value, 0);
        assert.ok(
          Math.abs(sum - (record.prediction - record.base)) <
            0.01 * Math.abs(record.prediction - record.base) + 1e-4,
        );
        assert.ok(Math.abs(record.attributions.find((x) => x.name === b)!.value) < 1e-6);
      }
    });
  }

  test("ig --baseline mean: the base is the model at the data's mean input", async () => {
    // the first 10 rows: mean a = -15, so a' = -15 / sd and p(no) = 1 / (1 + exp(4 a'))
    const path = join(root, "first-rows.csv");
    writeFileSync(
      path,
      `a,b\n${EXPLAIN_ROWS.slice(0, 10)
        .map((row) => `${row.a},${row.b}`)
        .join("\n")}\n`,
    );
    const r = await explain(modelDir, path, "--method", "ig", "--baseline", "mean", "--rows", "2", "--json");
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /2 rows, 50 steps, mean baseline/);
    const expected = 1 / (1 + Math.exp((4 * -15) / A_SCALE));
    for (const record of (JSON.parse(r.out) as Explained).records!)
      assert.ok(Math.abs(record.base - expected) < 1e-5, `${record.base} vs ${expected}`);
    const zero = JSON.parse(
      (await explain(modelDir, path, "--method", "ig", "--rows", "1", "--json")).out,
    ) as Explained;
    assert.ok(Math.abs(zero.records![0]!.base - 0.5) < 1e-6);
    const bad = await explain(modelDir, unlabelled, "--method", "ig", "--baseline", "median");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--baseline must be zero or mean \(got "median"\)/);
  });

  test("text output for shap names each record's class", async () => {
    const r = await explain(modelDir, unlabelled, "--method", "shap", "--rows", "2");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Kernel SHAP on 2 of 40 rows/);
    assert.match(r.out, /\nrow 0: no = 0\.\d+ \(base 0\.\d+\): a \+0\.\d+, b [+-]?0\n/);
  });

  test("errors: no target column for permutation, unknown method, missing arguments", async () => {
    const noTarget = await explain(modelDir, unlabelled);
    assert.equal(noTarget.code, 1);
    assert.match(
      noTarget.err,
      /permutation importance needs the target column "label"; use --method shap or ig/,
    );
    const badMethod = await explain(modelDir, dataPath, "--method", "lime");
    assert.equal(badMethod.code, 2);
    assert.match(badMethod.err, /--method must be permutation, shap or ig \(got "lime"\)/);
    assert.equal((await explain(modelDir)).code, 2);
  });
});
