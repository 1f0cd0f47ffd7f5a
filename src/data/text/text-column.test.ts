import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTransformer } from "../preprocess/pipeline.js";
import { transformerFromJSON } from "../preprocess/registry.js";
import { StandardScaler } from "../preprocess/scalers.js";
import { Table } from "../table/table.js";
import { TextColumnVectorizer } from "./text-column.js";
import { TextVectorizer } from "./text-vectorizer.js";

const reviews = Table.fromColumns({
  review: ["Great film!", "terrible film", "great, great acting", null],
  stars: [5, 1, 4, 3],
});

test("TextColumnVectorizer replaces the text column with the vectorizer's columns", () => {
  const step = new TextColumnVectorizer({ column: "review", outputMode: "count" }).fit(reviews);
  const direct = new TextVectorizer({ outputMode: "count" }).adapt([
    "Great film!",
    "terrible film",
    "great, great acting",
    "",
  ]);
  const out = step.transform(reviews);
  const width = direct.vocabularySize();
  assert.deepEqual(out.columnNames, [...Array.from({ length: width }, (_, j) => `review_${j}`), "stars"]);
  assert.deepEqual(step.featureNamesOut(), out.columnNames);
  const expected = direct
    .transform(["Great film!", "terrible film", "great, great acting", ""])
    .toArray() as number[][];
  for (let j = 0; j < width; j++) {
    assert.deepEqual(
      out.column(`review_${j}`).toArray(),
      expected.map((row) => row[j]),
    );
  }
  assert.deepEqual(out.column("stars").toArray(), [5, 1, 4, 3]);
  assert.throws(() => new TextColumnVectorizer({ outputMode: "int" }), /needs outputSequenceLength/);
  assert.throws(() => new TextColumnVectorizer({ outputMode: "count" }).fit(reviews), /name the text column/);
  assert.throws(
    () => new TextColumnVectorizer({ column: "stars", outputMode: "count" }).fit(reviews.select(["stars"])),
    /holds int values, not text/,
  );
});

test("TextColumnVectorizer works in a ColumnTransformer and round-trips through the registry", () => {
  const ct = new ColumnTransformer([
    ["text", new TextColumnVectorizer({ outputMode: "int", outputSequenceLength: 3 }), ["review"]],
    ["num", new StandardScaler(), ["stars"]],
  ]);
  const x = ct.fitTransform(reviews);
  assert.deepEqual(x.shape, [4, 4]);
  // Vocabulary: great (3), film (2), then acting, terrible by reversed code-point order: terrible > acting.
  assert.deepEqual(
    (x.toArray() as number[][]).map((row) => row.slice(0, 3)),
    [
      [2, 3, 0],
      [4, 3, 0],
      [2, 2, 5],
      [0, 0, 0],
    ],
  );
  const again = transformerFromJSON(JSON.parse(JSON.stringify(ct.toJSON())));
  assert.ok(again instanceof ColumnTransformer);
  assert.deepEqual(again.transform(reviews).toArray(), x.toArray());
  const lone = transformerFromJSON(
    new TextColumnVectorizer({ column: "review", outputMode: "tf_idf" }).fit(reviews).toJSON(),
  );
  assert.ok(lone instanceof TextColumnVectorizer);
  assert.equal(lone.textColumn, "review");
  const unfitted = TextColumnVectorizer.fromJSON(
    new TextColumnVectorizer({ outputMode: "multi_hot", maxTokens: 9 }).toJSON(),
  );
  assert.equal(unfitted.fitted, false);
  assert.equal(unfitted.vectorizer.maxTokens, 9);
});
