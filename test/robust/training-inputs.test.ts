// Training input faults (issue 12): NaN or Infinity in the data used to train to NaN weights with
// no error, and fit on zero rows "succeeded". fit/evaluate now refuse both with a ValueError that
// names the array, row and column; `checkFinite: false` opts out of the scan.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../src/core/errors.js";
import type { Model } from "../../src/models/model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { tensor, zeros } from "../../src/tensor/creation.js";
import "../../src/train/model-methods.js";

function model(): Model {
  const m = sequential([layers.dense({ units: 1, inputShape: [3] })]);
  m.compile({ optimizer: "sgd", loss: "mse" });
  return m;
}
const rows = (cells: number[][]) => tensor(cells);
const clean = () =>
  rows([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [1, 0, 1],
  ]);
const target = () => tensor([[1], [2], [3], [4]]);

describe("fit and evaluate refuse non-finite inputs", () => {
  test("NaN in x names the row and column", async () => {
    const x = rows([
      [1, 2, 3],
      [4, 5, 6],
      [7, Number.NaN, 9],
      [1, 0, 1],
    ]);
    await assert.rejects(model().fit(x, target(), { verbose: 0 }), (error: unknown) => {
      assert.ok(error instanceof ValueError);
      assert.match(error.message, /^fit: x holds NaN at row 2, column 1; .*checkFinite: false/);
      return true;
    });
  });

  test("Infinity in y, in sample weights and in validation data", async () => {
    const y = tensor([[1], [2], [Number.POSITIVE_INFINITY], [4]]);
    await assert.rejects(model().fit(clean(), y, { verbose: 0 }), /fit: y holds Infinity at row 2;/);
    await assert.rejects(
      model().fit(clean(), target(), { verbose: 0, sampleWeight: [1, 1, 1, Number.NaN] }),
      /fit: sampleWeight values must be finite/,
    );
    const badX = rows([[1, 2, Number.NEGATIVE_INFINITY]]);
    await assert.rejects(
      model().fit(clean(), target(), { verbose: 0, validationData: [badX, tensor([[1]])] }),
      /fit: validationData: x holds -Infinity at row 0, column 2/,
    );
  });

  test("an iterable names the batch", async () => {
    const batches = {
      *[Symbol.iterator]() {
        yield { x: clean(), y: target() };
        yield { x: rows([[Number.NaN, 0, 0]]), y: tensor([[1]]) };
      },
    };
    await assert.rejects(
      model().fit(batches, { verbose: 0 }),
      /fit: batch 1: x holds NaN at row 0, column 0/,
    );
    await assert.rejects(model().evaluate(batches, { verbose: 0 }), /evaluate: batch 1: x holds NaN/);
  });

  test("evaluate refuses NaN in arrays", async () => {
    const x = rows([
      [1, 2, 3],
      [Number.NaN, 5, 6],
    ]);
    await assert.rejects(
      model().evaluate(x, tensor([[1], [2]]), { verbose: 0 }),
      /evaluate: x holds NaN at row 1, column 0/,
    );
  });

  test("checkFinite: false trains on the data as it is (and the weights go NaN)", async () => {
    const m = model();
    const x = rows([
      [1, 2, 3],
      [Number.NaN, 5, 6],
    ]);
    await m.fit(x, tensor([[1], [2]]), { verbose: 0, checkFinite: false });
    assert.ok(m.getWeights().some((w) => [...w.data].some(Number.isNaN)));
  });

  test("finite data trains as before", async () => {
    const m = model();
    const history = await m.fit(clean(), target(), { verbose: 0, epochs: 2 });
    assert.equal(history.history.loss?.length, 2);
    assert.ok(m.getWeights().every((w) => [...w.data].every(Number.isFinite)));
  });
});

describe("zero rows", () => {
  test("fit on arrays with no rows is an error", async () => {
    await assert.rejects(model().fit(zeros([0, 3]), zeros([0, 1]), { verbose: 0 }), (error: unknown) => {
      assert.ok(error instanceof ValueError);
      assert.match(error.message, /^fit: the data has 0 rows/);
      return true;
    });
    await assert.rejects(
      model().evaluate(zeros([0, 3]), zeros([0, 1]), { verbose: 0 }),
      /evaluate: the data has 0 rows/,
    );
  });

  test("fit on an iterable that yields nothing is an error", async () => {
    const empty = { *[Symbol.iterator]() {} };
    await assert.rejects(model().fit(empty, { verbose: 0 }), /fit: the input yielded no batches/);
  });
});
