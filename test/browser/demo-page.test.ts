// The digits demo page (examples/browser) in Debian's Chromium, bundled by scripts/build-ui.mjs's
// bundleUi() and served with tessera.wasm and datasets/digits.csv from a loopback server: the page
// and its Web Worker both run on the wasm backend; the digits CNN trains in the worker for EPOCHS
// epochs and reaches ACCURACY_FLOOR on the 360 held-out images; a main-thread timer keeps ticking
// while it trains; Cancel stops a long run; a "1" and a "7" drawn on the canvas with mouse strokes are classified as such.
// No console error, no request outside the server. Screenshot: test-artifacts/demo-page.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundleUi } from "../../scripts/build-ui.mjs";
import { launchChromium, type PageFiles, screenshot, servePage } from "./browser.js";
import { ONE, openDemoPage, predictionAfter, SEVEN } from "./demo-page.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** Epochs trained in the test (the page's default is 10). */
const EPOCHS = 6;
/**
 * The least test accuracy after EPOCHS epochs: 6 epochs gave 0.983 in Node on wasm (seed 42) and
 * 0.97-0.98 in Chromium; the floor leaves room for float-order differences.
 */
const ACCURACY_FLOOR = 0.93;
/** The longest the main thread may stall while the worker trains (its timer ticks every 50 ms). */
const LONGEST_GAP_MS = 750;

const TYPES: Record<string, string> = { html: "text/html", js: "text/javascript" };

/** The page's files by URL path: the bundles, index.html, the wasm module and the digits CSV. */
async function demoPageFiles(): Promise<PageFiles> {
  const bundled = (await bundleUi()) as Map<string, Uint8Array>;
  const files: PageFiles = new Map();
  for (const [name, body] of bundled) {
    const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
    files.set(name === "index.html" ? "/" : `/${name}`, { body, type });
  }
  files.set("/tessera.wasm", {
    body: readFileSync(resolve(ROOT, "wasm/tessera.wasm")),
    type: "application/wasm",
  });
  files.set("/digits.csv", { body: readFileSync(resolve(ROOT, "datasets/digits.csv")), type: "text/csv" });
  files.set("/config.json", { body: '{"models": []}', type: "application/json" });
  return files;
}

test("the digits demo trains in a Web Worker on wasm, stays responsive and reads drawn digits", {
  timeout: 120_000,
}, async () => {
  const { origin, close } = await servePage(await demoPageFiles());
  const browser = await launchChromium();
  try {
    const { page, problems } = await openDemoPage(browser, `${origin}/`);
    // The page and its worker show the backend they run on.
    assert.equal(await page.getAttribute("body", "data-backend"), "wasm");
    assert.match((await page.locator("#backend").textContent()) ?? "", /^page: wasm \(simd128/);
    assert.match((await page.locator("#worker-backend").textContent()) ?? "", /^worker: wasm \(simd128/);

    const ticksBefore = Number(await page.getAttribute("#ticks", "data-ticks"));
    const started = Date.now();
    await page.fill("#epochs", String(EPOCHS));
    await page.click("#train");
    await page.waitForSelector("body[data-state=training]");
    // While the worker trains, the page answers: the chart fills in and the timer keeps ticking.
    await page.waitForSelector("#accuracy-chart polyline", { timeout: 60_000 });
    await page.waitForSelector("body[data-state=trained], body[data-state=error]", { timeout: 90_000 });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(
      await page.getAttribute("body", "data-state"),
      "trained",
      (await page.locator("#error").textContent()) ?? "",
    );
    const ticks = Number(await page.getAttribute("#ticks", "data-ticks")) - ticksBefore;
    const longestGap = Number(await page.getAttribute("#ticks", "data-longest-gap"));
    const accuracy = Number(await page.getAttribute("#result", "data-accuracy"));
    const result = await page.locator("#result").textContent();
    assert.equal(await page.getAttribute("#result", "data-epochs"), String(EPOCHS));
    assert.ok(accuracy >= ACCURACY_FLOOR, `test accuracy ${accuracy} < ${ACCURACY_FLOOR}`);
    assert.ok(longestGap > 0 && longestGap < LONGEST_GAP_MS, `the main thread stalled ${longestGap} ms`);
    // At least half the ticks a free main thread would have had over the training.
    assert.ok(ticks >= (seconds * 1000) / 50 / 2, `${ticks} timer ticks in ${seconds.toFixed(1)} s`);
    assert.equal(await page.locator("#accuracy-chart svg text.series").count(), 2);

    const one = await predictionAfter(page, ONE);
    const seven = await predictionAfter(page, SEVEN);
    const shot = await screenshot(page, "demo-page");
    // Cancel: a long run stops after a batch of its first epochs, and says so.
    await page.fill("#epochs", "100");
    await page.click("#train");
    await page.waitForSelector("#loss-chart circle", { timeout: 30_000 });
    await page.click("#cancel");
    await page.waitForSelector("body[data-state=trained]", { timeout: 30_000 });
    const cancelled = (await page.locator("#result").textContent()) ?? "";
    assert.match(cancelled, /^cancelled after \d+ epochs/);
    assert.ok(Number(await page.getAttribute("#result", "data-epochs")) < 100, cancelled);

    console.log(
      `demo page: ${result}; ${ticks} ticks in ${seconds.toFixed(1)} s, longest main-thread gap ${longestGap} ms; drew 1 -> ${one}, 7 -> ${seven}; then ${cancelled}; screenshot ${shot}`,
    );
    assert.equal(one, "1");
    assert.equal(seven, "7");
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(
      problems.requests.filter((url) => !url.startsWith(`${origin}/`)),
      [],
      "requests outside the page's server",
    );
  } finally {
    await browser.close();
    close();
  }
});
