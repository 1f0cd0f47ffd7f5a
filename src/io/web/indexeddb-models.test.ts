// The IndexedDB model store where there is no IndexedDB (Node): every call is a ValueError saying
// so, and a bad key is refused before anything is opened. The store itself is tested in Chromium
// (test/browser/web-model-store.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../core/errors.js";
import { sequential } from "../../models/sequential.js";
import * as layers from "../../nn/layers/index.js";
import {
  deleteModelFromIndexedDb,
  listModelsInIndexedDb,
  loadModelFromIndexedDb,
  saveModelToIndexedDb,
} from "./indexeddb-models.js";

test("without IndexedDB the store's calls are ValueErrors; a bad key is refused first", async () => {
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  const noHost = /this host has no IndexedDB/;
  await assert.rejects(
    saveModelToIndexedDb(model, "m"),
    (e: unknown) => e instanceof ValueError && noHost.test(e.message),
  );
  await assert.rejects(loadModelFromIndexedDb("m"), noHost);
  await assert.rejects(listModelsInIndexedDb(), noHost);
  await assert.rejects(deleteModelFromIndexedDb("m"), noHost);
  await assert.rejects(
    saveModelToIndexedDb(model, ""),
    new ValueError('saveModelToIndexedDb: key must be a non-empty string (got "")'),
  );
  await assert.rejects(loadModelFromIndexedDb(3 as never), /key must be a non-empty string \(got 3\)/);
});
