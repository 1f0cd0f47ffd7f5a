// examples/browser-iris in Debian's Chromium: its main.ts is bundled with esbuild for a browser
// ("tessera-ml" resolved to the browser entry, src/browser.ts), served with index.html, the iris
// CSV and wasm/tessera.wasm from a loopback server; the page trains on the reference backend and
// then on wasm, and its tables show both runs' test accuracy and the predictions. No console
// error, no request outside the server. Screenshot: test-artifacts/browser-iris.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { launchChromium, type PageFiles, screenshot, servePage, watch } from "./browser.js";
import { bundleForPage } from "./tessera-page.js";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLE = resolve(ROOT, "examples/browser-iris");
/** The least test accuracy each run must reach (30 test rows; a 4-16-3 network after 40 epochs gets 0.9-1.0). */
const ACCURACY_FLOOR = 0.85;

/** The page's files by URL path. */
async function pageFiles(): Promise<PageFiles> {
  const js = await bundleForPage({ entry: resolve(EXAMPLE, "main.ts") });
  return new Map([
    ["/", { body: readFileSync(resolve(EXAMPLE, "index.html"), "utf8"), type: "text/html" }],
    ["/main.js", { body: js, type: "text/javascript" }],
    ["/iris.csv", { body: readFileSync(resolve(ROOT, "datasets/iris.csv"), "utf8"), type: "text/csv" }],
    ["/tessera.wasm", { body: readFileSync(resolve(ROOT, "wasm/tessera.wasm")), type: "application/wasm" }],
  ]);
}

test("examples/browser-iris trains in Chromium on the reference and wasm backends", {
  timeout: 60_000,
}, async () => {
  const files = await pageFiles();
  const { origin, close } = await servePage(files);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const problems = watch(page);
    await page.goto(`${origin}/`);
    await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 45_000 });
    const status = await page.locator("#status").textContent();
    const results = await page.$$eval("#results tr", (rows) =>
      rows
        .slice(1)
        .map((tr) =>
          Array.from(
            tr.querySelectorAll("td"),
            (td) => (td as { textContent: string | null }).textContent ?? "",
          ),
        ),
    );
    const predictions = await page.$$eval("#predictions tr", (rows) =>
      rows
        .slice(1)
        .map((tr) =>
          Array.from(
            tr.querySelectorAll("td"),
            (td) => (td as { textContent: string | null }).textContent ?? "",
          ),
        ),
    );
    const shot = await screenshot(page, "browser-iris");
    console.log(`browser-iris: ${status}; ${results.map((r) => r.join(" ")).join("; ")}; screenshot ${shot}`);

    assert.deepEqual(problems.errors, []);
    assert.deepEqual(
      problems.requests.filter((url) => !url.startsWith(`${origin}/`)),
      [],
      "requests outside the page's server",
    );
    assert.match(status ?? "", /^trained on reference and wasm \(simd128, 1 thread\)$/);
    assert.equal(results.length, 2);
    assert.equal(results[0]?.[0], "reference");
    assert.match(results[1]?.[0] ?? "", /^wasm /);
    for (const [backend, accuracy, loss] of results) {
      assert.ok(
        Number(accuracy) >= ACCURACY_FLOOR,
        `${backend}: test accuracy ${accuracy} < ${ACCURACY_FLOOR}`,
      );
      assert.ok(Number(loss) > 0 && Number(loss) < 0.5, `${backend}: final training loss ${loss}`);
    }
    // The same seed on both backends: the accuracies agree closely (float32 sums may differ in order).
    assert.ok(Math.abs(Number(results[0]?.[1]) - Number(results[1]?.[1])) <= 0.07);
    assert.equal(predictions.length, 10);
    const species = new Set(["setosa", "versicolor", "virginica"]);
    for (const [, truth, predicted] of predictions) {
      assert.ok(species.has(truth ?? "") && species.has(predicted ?? ""), `${truth} / ${predicted}`);
    }
    const agree = predictions.filter(([, truth, predicted]) => truth === predicted).length;
    assert.ok(agree >= 8, `${agree} of the 10 shown predictions are right`);
  } finally {
    await browser.close();
    close();
  }
});
