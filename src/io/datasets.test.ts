// The shipped datasets load by name with their documented sizes; an unknown name is refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../core/errors.js";
import { DATASETS, type DatasetName, loadDataset } from "./datasets.js";

const ROWS: Record<DatasetName, number> = {
  "boston-housing": 506,
  "breast-cancer": 569,
  digits: 1797,
  iris: 150,
  penguins: 344,
  "seattle-weather": 1461,
  sunspots: 309,
};

test("every shipped dataset loads with its row count", async () => {
  for (const name of Object.keys(DATASETS) as DatasetName[]) {
    const table = await loadDataset(name);
    assert.equal(table.numRows, ROWS[name], name);
  }
  assert.ok((await loadDataset("iris")).columnNames.includes("species"));
});

test("an unknown dataset name is a ConfigError listing the names", async () => {
  await assert.rejects(loadDataset("mnist" as DatasetName), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /unknown dataset "mnist" \(expected one of boston-housing, breast-cancer/);
    return true;
  });
});
