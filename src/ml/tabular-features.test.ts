// Tests of ml/tabular-features and ml/tabular-trial-data: free-text columns are TF-IDF vectorised
// (not dropped) and carry the signal into zero-config training and a saved TabularModel;
// identifier-like strings are dropped; the per-split preprocessing sees only the training rows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Generator } from "../core/random.js";
import { Table } from "../data/table/table.js";
import { autoTrain } from "./auto-train.js";
import { featureColumns } from "./tabular-features.js";
import { TabularModel } from "./tabular-model.js";
import { tabularTrialData } from "./tabular-trial-data.js";

/** Reviews whose words give the label away; a noise number, a category and an id beside them. */
function reviews(n: number, seed: number, last?: string): Table {
  const rng = new Generator(seed);
  const good = ["great", "lovely", "excellent", "superb", "wonderful"];
  const bad = ["awful", "boring", "terrible", "dull", "poor"];
  const filler = ["the", "film", "was", "really", "quite", "plot", "acting", "and"];
  const pickFrom = (words: string[]) => words[rng.int(0, words.length)]!;
  const records = Array.from({ length: n }, (_, i) => {
    const positive = rng.uniform(0, 1) < 0.5;
    const words = [pickFrom(filler), pickFrom(positive ? good : bad), pickFrom(filler), pickFrom(filler)];
    return {
      review: words.join(" "),
      noise: rng.uniform(0, 1),
      channel: pickFrom(["web", "shop"]),
      id: `u${i}x${rng.int(0, 1e6)}`,
      label: positive ? "pos" : "neg",
    };
  });
  if (last !== undefined) records[n - 1]!.review = last;
  return Table.fromRecords(records);
}

describe("zero-config text columns", () => {
  it("vectorises free text, drops identifiers, and learns from the words", () => {
    const table = reviews(160, 1);
    const columns = featureColumns(table, "label");
    assert.deepEqual(columns, {
      numeric: ["noise"],
      categorical: ["channel"],
      text: ["review"],
      dropped: ["id"],
    });
    // Only the first candidate (logistic regression) runs within a tiny budget.
    const result = autoTrain(table, { target: "label", cv: 3, timeBudgetSeconds: 1e-6 });
    assert.equal(result.leaderboard[0]!.model, "logistic-regression");
    assert.ok(result.leaderboard[0]!.meanScore! > 0.95, `accuracy ${result.leaderboard[0]!.meanScore}`);
    const saved = TabularModel.fromJSON(JSON.parse(JSON.stringify(result.best.toJSON())));
    const rows = [
      { review: "the acting was superb", noise: 0.5, channel: "web", id: "new" },
      { review: "a dull and boring plot", noise: 0.5, channel: "shop", id: "new" },
    ];
    assert.deepEqual(saved.predict(rows), ["pos", "neg"]);
    assert.deepEqual(saved.predict(rows), result.best.predict(rows));
  });

  it("fits each split's preprocessing on its training rows only", () => {
    const table = reviews(40, 2, "an unforgettable cinematographic masterpiece");
    const data = tabularTrialData(table, { numeric: ["noise"], categorical: [], text: ["review"] });
    const train = Array.from({ length: 30 }, (_, i) => i);
    const test = Array.from({ length: 10 }, (_, i) => 30 + i);
    const { xTrain, xTest } = data.split(train, test);
    // The scaler's mean is the training rows' mean: column 0 sums to 0 over them, not over all rows.
    let sum = 0;
    for (let r = 0; r < xTrain.rows; r++) sum += xTrain.data[r * xTrain.cols]!;
    assert.ok(Math.abs(sum) < 1e-9, `training column mean ${sum / xTrain.rows}`);
    const noise = table.column("noise").toArray() as number[];
    const mean = noise.slice(0, 30).reduce((a, b) => a + b, 0) / 30;
    const sd = Math.sqrt(noise.slice(0, 30).reduce((a, b) => a + (b - mean) ** 2, 0) / 30);
    assert.ok(Math.abs(xTest.data[0]! - (noise[30]! - mean) / sd) < 1e-9);
    // The vocabulary is the training rows' words (plus the out-of-vocabulary slot): the words only
    // in the last (test) row get no column.
    const words = new Set(
      (table.column("review").toArray() as string[]).slice(0, 30).flatMap((text) => text.split(" ")),
    );
    assert.equal(xTrain.cols, 1 + words.size + 1);
    assert.equal(xTest.cols, xTrain.cols);
    assert.equal(data.split(train, test), data.split(train, test), "a fold's features are cached");
  });
});
