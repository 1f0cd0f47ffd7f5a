// Saving models in Debian's Chromium through the browser entry. A saved model directory (with
// fitted preprocessing) is loaded over fetch, saved to IndexedDB, the page reloaded, and the model
// loaded from IndexedDB predicts on raw records exactly what it did before, with the stored
// weights byte for byte the directory's. A save that fails inside its transaction (a fault
// injected into the catalog's put) leaves the stored copy intact. downloadModel's file (caught
// by playwright's download event) loads back in Node and, picked in an <input type=file>, in the
// page, with the same predictions. List and delete.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { getBackend, setBackend } from "../../src/backend/registry.js";
import { ModelPredictor } from "../../src/io/predictor.js";
import { loadModelBundleFromFile } from "../../src/io/web/load-model-file.js";
import { ROWS, saveRecordsModel } from "../fixtures/models/records-model.js";
import { launchChromium, servePage, watch } from "./browser.js";
import { tessera, tesseraPage } from "./tessera-page.js";

const TOLERANCE = 1e-6;

/**
 * Page helpers (plain JS: functions defined inside page.evaluate would reach for the test
 * transpiler's helpers): predictions on ROWS of a bundle from `load`, and a stored record read
 * with the plain IndexedDB API.
 */
const HELPERS = `
globalThis.predictWith = async (load) => {
  const bundle = await load();
  const predictor = new (tessera().ModelPredictor)(bundle);
  const [out] = predictor.predictRecords(ROWS);
  return { values: Array.from(out.data), labels: predictor.labelsOf(out) };
};
const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
globalThis.readStored = async (key) => {
  const db = await done(indexedDB.open("tessera-models"));
  const record = await done(db.transaction("models").objectStore("models").get(key));
  db.close();
  return record;
};`;

interface Prediction {
  values: number[];
  labels: string[] | null;
}

test("IndexedDB save, reload, load; a failed save keeps the old copy; download and load back", {
  timeout: 120_000,
}, async () => {
  const dir = await saveRecordsModel({ seed: 11, epochs: 150, save: { labels: ["big", "small"] } });
  const jsonOnDisk = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Record<string, unknown>;
  const weightsOnDisk = new Uint8Array(readFileSync(join(dir, "weights.safetensors")));
  const files = await tesseraPage('<input type="file" id="model">');
  files.set("/model/model.json", { body: readFileSync(join(dir, "model.json")), type: "application/json" });
  files.set("/model/weights.safetensors", { body: weightsOnDisk, type: "application/octet-stream" });
  files.set("/predict.js", {
    body: `const ROWS = ${JSON.stringify(ROWS)};${HELPERS}`,
    type: "text/javascript",
  });
  const { origin, close } = await servePage(files);
  const browser = await launchChromium();
  const ready = async (page: import("playwright-core").Page) => {
    await page.waitForSelector("body[data-state=ready]", { state: "attached", timeout: 30_000 });
    await page.addScriptTag({ url: "/predict.js" });
  };
  type PageGlobals = {
    predictWith: (load: () => Promise<unknown>) => Promise<Prediction>;
    readStored: (key: string) => Promise<{ files: Record<string, string | Uint8Array> }>;
  };
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${origin}/`);
    await ready(page);

    // Load over fetch, predict, save to IndexedDB, list.
    const first = await page.evaluate(async () => {
      const ts = tessera();
      const bundle = await ts.loadModelBundleFromUrl("model/");
      const before = await (globalThis as unknown as PageGlobals).predictWith(async () => bundle);
      const file = await ts.saveModelToIndexedDb(bundle.model, "records");
      return {
        before,
        platform: file.metadata.platform,
        backend: ts.getBackend(),
        list: await ts.listModelsInIndexedDb(),
      };
    });
    assert.equal(first.platform, "browser");
    assert.deepEqual(
      first.list.map((m) => [m.key, m.sha256]),
      [["records", (jsonOnDisk.weights as { sha256: string }).sha256]],
    );
    assert.equal(first.before.values.length, ROWS.length * 2);

    // A save whose transaction fails half-way (the catalog's put refused): the old copy stays.
    const failed = await page.evaluate(async () => {
      const ts = tessera();
      const other = ts.sequential([ts.layers.dense({ units: 2, activation: "softmax", inputShape: [4] })]);
      type Store = { name: string; put(value: unknown, key: unknown): unknown };
      const proto = (globalThis as unknown as { IDBObjectStore: { prototype: Store } }).IDBObjectStore
        .prototype;
      const put = proto.put;
      proto.put = function (this: Store, value: unknown, key: unknown) {
        if (this.name === "catalog") throw new DOMException("injected failure", "DataError");
        return put.call(this, value, key);
      };
      try {
        await ts.saveModelToIndexedDb(other, "records");
        return "no error";
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        proto.put = put;
      }
    });
    assert.equal(
      failed,
      "TesseraError: saveModelToIndexedDb: the IndexedDB transaction was aborted (DataError: injected failure)",
    );

    // Reload the page: the stored model loads and predicts what it did before, on the same bytes.
    await page.reload();
    await ready(page);
    const second = await page.evaluate(async () => {
      const ts = tessera();
      const after = await (globalThis as unknown as PageGlobals).predictWith(() =>
        ts.loadModelBundleFromIndexedDb("records"),
      );
      const stored = await (globalThis as unknown as PageGlobals).readStored("records");
      return {
        after,
        json: stored.files["model.json"] as string,
        weights: Array.from(stored.files["weights.safetensors"] as Uint8Array),
      };
    });
    assert.deepEqual(second.after, first.before);
    assert.deepEqual(new Uint8Array(second.weights), weightsOnDisk);
    const storedJson = JSON.parse(second.json) as Record<string, unknown>;
    const { metadata: _a, ...stored } = storedJson;
    const { metadata: _b, ...onDisk } = jsonOnDisk;
    assert.deepEqual(stored, onDisk, "model.json as saved in Node, but for its creation metadata");

    // Download: one .zip, caught by playwright, loaded back in Node and picked in the page.
    const [download, offered] = await Promise.all([
      page.waitForEvent("download"),
      page.evaluate(async () => {
        const ts = tessera();
        return ts.downloadModel(await ts.loadModelFromIndexedDb("records"), "records");
      }),
    ]);
    assert.equal(download.suggestedFilename(), "records.zip");
    const path = await download.path();
    const zip = readFileSync(path);
    assert.equal(offered.bytes, zip.length);
    const before = getBackend();
    setBackend(first.backend as Parameters<typeof setBackend>[0]);
    try {
      const predictor = new ModelPredictor(await loadModelBundleFromFile(new File([zip], "records.zip")));
      const [out] = predictor.predictRecords(ROWS);
      assert.ok(out !== undefined);
      Array.from(out.data, Number).forEach((v, i) => {
        const want = first.before.values[i]!;
        assert.ok(Math.abs(v - want) <= TOLERANCE, `output ${i}: Node ${v}, page ${want}`);
      });
      assert.deepEqual(predictor.labelsOf(out), first.before.labels);
    } finally {
      setBackend(before);
    }
    await page.setInputFiles("#model", path);
    const picked = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { files: Blob[] } } })
        .document;
      return (globalThis as unknown as PageGlobals).predictWith(() =>
        tessera().loadModelBundleFromFile(doc.querySelector("#model").files),
      );
    });
    assert.deepEqual(picked, first.before);

    // Delete: gone from the list, and loading it names the key.
    const deleted = await page.evaluate(async () => {
      const ts = tessera();
      const removed = [
        await ts.deleteModelFromIndexedDb("records"),
        await ts.deleteModelFromIndexedDb("records"),
      ];
      const missing = await ts.loadModelFromIndexedDb("records").then(
        () => "no error",
        (e: Error) => `${e.name}: ${e.message}`,
      );
      return { removed, list: await ts.listModelsInIndexedDb(), missing };
    });
    assert.deepEqual(deleted.removed, [true, false]);
    assert.deepEqual(deleted.list, []);
    assert.equal(
      deleted.missing,
      'ValueError: loadModelFromIndexedDb: no model under key "records" in IndexedDB database "tessera-models" (it holds none)',
    );
    assert.deepEqual(problems.errors, []);
    assert.ok(problems.requests.every((url) => url.startsWith(`${origin}/`)));
  } finally {
    await browser.close();
    close();
  }
});
