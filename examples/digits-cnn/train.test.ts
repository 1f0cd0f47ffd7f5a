// The digits example's data loading and network (the 40-epoch training run itself is in the
// README: it takes about half a minute on the native backend, too long for the test suite).
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { digitsCnn, loadDigits } from "./train.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "datasets", "digits.csv");

test("loadDigits gives (1797, 8, 8, 1) images in [0, 1] and ten balanced int32 classes", async () => {
  const { x, y } = await loadDigits(csv);
  assert.deepEqual([...x.shape], [1797, 8, 8, 1]);
  assert.equal(y.dtype, "int32");
  assert.ok(x.data.every((v) => v >= 0 && v <= 1));
  assert.ok(x.data.some((v) => v === 1));
  // the first row of the CSV: 0,0,5,13,9,1,0,0 -> /16, labelled 0
  assert.deepEqual(Array.from(x.data.slice(0, 4)), [0, 0, 5 / 16, 13 / 16]);
  const counts = new Array<number>(10).fill(0);
  for (const label of y.data) counts[label]!++;
  assert.ok(
    counts.every((c) => c >= 170 && c <= 190),
    `class counts ${counts}`,
  );
});

test("digitsCnn has the README's 62,250 parameters and gives 10 logits per image", () => {
  const model = digitsCnn();
  assert.equal(model.countParams(), 62_250);
  assert.deepEqual(model.outputShapes, [[null, 10]]);
});
