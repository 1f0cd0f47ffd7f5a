// Tests of the data toolkit on the real datasets in datasets/. Expected values are derived in
// the test from the raw text with plain string splitting (these files have no quoted fields),
// independently of the CSV reader and the transformers under test.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { readCsv } from "../../io/read-csv.js";
import { OneHotEncoder } from "./encoders.js";
import { SimpleImputer } from "./imputer.js";
import { StandardScaler } from "./scalers.js";

const datasetPath = (name: string) => new URL(`../../../datasets/${name}`, import.meta.url).pathname;

function rawColumns(name: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(datasetPath(name), "utf8").trim().split(/\r?\n/);
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

describe("penguins.csv", () => {
  const raw = rawColumns("penguins.csv");
  const col = (name: string) => raw.rows.map((r) => r[raw.header.indexOf(name)]!);

  it("finds the missing values the file holds", async () => {
    const t = await readCsv(datasetPath("penguins.csv"));
    assert.equal(t.numRows, raw.rows.length);
    for (const name of raw.header) {
      const expected = col(name).filter((v) => v === "NA").length;
      assert.equal(t.column(name).missingCount(), expected, name);
    }
    // The file's own counts, as documented by palmerpenguins: 2 rows without measurements, 11 without sex.
    assert.equal(t.column("bill_length_mm").missingCount(), 2);
    assert.equal(t.column("sex").missingCount(), 11);
    assert.equal(t.column("bill_length_mm").kind, "float");
    assert.equal(t.column("species").kind, "string");
  });

  it("imputes means and the most frequent sex, learned from the data", async () => {
    const t = await readCsv(datasetPath("penguins.csv"));
    const numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    const imputed = new SimpleImputer({ strategy: "mean", columns: numeric }).fitTransform(t);
    for (const name of numeric) {
      const present = col(name)
        .filter((v) => v !== "NA")
        .map(Number);
      const mean = present.reduce((s, v) => s + v, 0) / present.length;
      const column = imputed.column(name);
      assert.equal(column.missingCount(), 0, name);
      col(name).forEach((v, i) => {
        const got = column.get(i) as number;
        if (v === "NA") assert.ok(Math.abs(got - mean) < 1e-9, `${name} row ${i}: ${got} vs ${mean}`);
        else assert.equal(got, Number(v));
      });
    }
    const sex = new SimpleImputer({ strategy: "mostFrequent", columns: ["sex"] })
      .fitTransform(t)
      .column("sex");
    const counts = new Map<string, number>();
    for (const v of col("sex")) if (v !== "NA") counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    assert.equal(sex.missingCount(), 0);
    assert.equal(sex.toArray().filter((v) => v === top).length, counts.get(top)! + 11);
  });

  it("one-hot encodes species with one indicator per row", async () => {
    const t = await readCsv(datasetPath("penguins.csv"));
    const out = new OneHotEncoder({ columns: ["species"] }).fitTransform(t);
    const species = [...new Set(col("species"))].sort();
    assert.deepEqual(species, ["Adelie", "Chinstrap", "Gentoo"]);
    const indicators = species.map((s) => out.column(`species_${s}`).numbers);
    col("species").forEach((s, i) => {
      species.forEach((name, k) => {
        assert.equal(indicators[k]![i], s === name ? 1 : 0);
      });
    });
    assert.deepEqual(
      indicators.map((v) => v.reduce((a, b) => a + b, 0)),
      species.map((s) => col("species").filter((v) => v === s).length),
    );
    assert.ok(!out.has("species"));
  });
});

describe("breast-cancer.csv", () => {
  it("StandardScaler statistics equal a direct computation to 1e-9", async () => {
    const raw = rawColumns("breast-cancer.csv");
    const t = await readCsv(datasetPath("breast-cancer.csv"));
    const features = raw.header.filter((h) => h !== "diagnosis");
    assert.equal(features.length, 30);
    const scaler = new StandardScaler({ columns: features }).fit(t);
    const z = scaler.transform(t);
    features.forEach((name, j) => {
      const values = raw.rows.map((r) => Number(r[raw.header.indexOf(name)]));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      assert.ok(Math.abs(scaler.mean[j]! - mean) <= 1e-9 * Math.max(1, Math.abs(mean)), `${name} mean`);
      assert.ok(Math.abs(scaler.scale[j]! - std) <= 1e-9 * Math.max(1, std), `${name} std`);
      const out = z.column(name).numbers;
      values.forEach((v, i) => {
        assert.ok(Math.abs(out[i]! - (v - mean) / std) <= 1e-9, `${name} row ${i}`);
      });
    });
  });
});
