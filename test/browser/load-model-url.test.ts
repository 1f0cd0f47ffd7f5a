// loadModelBundleFromUrl in Debian's Chromium: a model with fitted preprocessing is trained and
// saved here, its directory served beside a page whose script (bundled with esbuild, "tessera-ml"
// resolved to src/browser.ts) loads it over fetch and predicts on raw records with ModelPredictor.
// The page's outputs match loadModel's in Node on the same (reference) backend, its labels are
// equal, and a missing directory is a FormatError naming the URL in the page too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { getBackend, setBackend } from "../../src/backend/registry.js";
import { loadModelBundle } from "../../src/io/load-model.js";
import { ModelPredictor } from "../../src/io/predictor.js";
import { ROWS, saveRecordsModel } from "../fixtures/models/records-model.js";
import { launchChromium, type PageFiles, servePage, watch } from "./browser.js";
import { bundleForPage } from "./tessera-page.js";

/** The page's script: loads the served model, predicts on the records, then tries a missing one. */
const SCRIPT = `
import * as ts from "tessera-ml";
const body = document.body;
try {
  const bundle = await ts.loadModelBundleFromUrl("model/");
  const predictor = new ts.ModelPredictor(bundle);
  const [out] = predictor.predictRecords(${JSON.stringify(ROWS)});
  let missing = "no error";
  await ts.loadModelFromUrl("missing/").catch((e) => { missing = e.name + ": " + e.message; });
  body.dataset.result = JSON.stringify({
    values: Array.from(out.data), labels: predictor.labelsOf(out), backend: ts.getBackend(), missing,
  });
  body.dataset.state = "done";
} catch (e) {
  body.dataset.result = String(e && e.stack || e);
  body.dataset.state = "error";
}
`;

test("a saved model directory loads over fetch in Chromium and predicts on raw records", {
  timeout: 60_000,
}, async () => {
  const dir = await saveRecordsModel({ seed: 11, epochs: 150, save: { labels: ["big", "small"] } });
  const js = await bundleForPage(SCRIPT);
  const files: PageFiles = new Map([
    [
      "/",
      {
        body: '<!doctype html><link rel="icon" href="data:,"><script type="module" src="main.js"></script>',
        type: "text/html",
      },
    ],
    ["/main.js", { body: js, type: "text/javascript" }],
    ["/model/model.json", { body: readFileSync(join(dir, "model.json")), type: "application/json" }],
    [
      "/model/weights.safetensors",
      { body: readFileSync(join(dir, "weights.safetensors")), type: "application/octet-stream" },
    ],
  ]);
  const { origin, close } = await servePage(files);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${origin}/`);
    await page.waitForSelector("body[data-state=done], body[data-state=error]", {
      timeout: 45_000,
      state: "attached",
    });
    const state = await page.getAttribute("body", "data-state");
    const text = (await page.getAttribute("body", "data-result")) ?? "";
    assert.equal(state, "done", text);
    const result = JSON.parse(text) as {
      values: number[];
      labels: string[] | null;
      backend: string;
      missing: string;
    };
    console.log(`browser load-model-url: ${result.backend}, labels ${result.labels?.join(",")}`);

    // Node, on the page's backend: the same model directory read from disk.
    const before = getBackend();
    setBackend(result.backend as Parameters<typeof setBackend>[0]);
    try {
      const predictor = new ModelPredictor(await loadModelBundle(dir));
      const [expected] = predictor.predictRecords(ROWS);
      assert.ok(expected !== undefined);
      assert.equal(result.values.length, expected.size);
      const want = Array.from(expected.data, Number);
      result.values.forEach((v, i) => {
        assert.ok(Math.abs(v - want[i]!) <= 1e-6, `output ${i}: page ${v}, Node ${want[i]}`);
      });
      assert.deepEqual(result.labels, predictor.labelsOf(expected));
    } finally {
      setBackend(before);
    }
    assert.equal(
      result.missing,
      `FormatError: ${origin}/missing/model.json: HTTP 404 Not Found (the model description); is this a Tessera model directory?`,
    );
    // The only errors Chromium reports are about that 404.
    assert.deepEqual(
      problems.errors.filter((e) => !e.includes("status of 404") && !e.includes(`${origin}/missing/`)),
      [],
    );
    assert.ok(problems.requests.every((url) => url.startsWith(`${origin}/`)));
  } finally {
    await browser.close();
    close();
  }
});
