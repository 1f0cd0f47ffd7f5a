// `tessera serve --ui <model>` end to end: a dense network trained by `tessera train` on
// examples/browser/digits-spec.json, the demo page built by scripts/build-ui.mjs into a temporary
// dir (TESSERA_UI_DIR), the real CLI in a child process on 127.0.0.1. Over HTTP: / redirects to
// /ui/, the page, the wasm module and config.json (the served model with its labels) come back,
// other paths stay 404. In Chromium: the page loads from the server, cross-origin isolated, on the
// wasm backend (the threaded module fetched), a drawn
// "1" is read as 1 by the served model through the server's /v1 route and again by the same model
// loaded over fetch from /ui/models/digits/. SIGTERM stops the server with exit code 0.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundleUi } from "../../scripts/build-ui.mjs";
import { runMain } from "../e2e/fixtures/run-main.js";
import { launchChromium, screenshot } from "./browser.js";
import { ONE, openDemoPage, predictionAfter } from "./demo-page.js";

const ROOT = join(import.meta.dirname, "..", "..");
const ENTRY = join(ROOT, "src", "cli", "entry.ts");
const TSX = import.meta.resolve("tsx");

test("tessera serve --ui serves the demo page, and the page uses the served model", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-serve-ui-"));
  const trained = await runMain([
    "train",
    join(ROOT, "examples", "browser", "digits-spec.json"),
    "--out",
    join(dir, "run"),
    "--epochs",
    "15",
    "--verbose",
    "0",
  ]);
  assert.equal(trained.code, 0, trained.err);
  const ui = join(dir, "ui");
  mkdirSync(ui);
  await bundleUi(ui);

  const child = spawn(
    process.execPath,
    ["--import", TSX, ENTRY, "serve", "--ui", "--port", "0", join(dir, "run", "model")],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TESSERA_UI_DIR: ui } },
  );
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
      if (url !== undefined && /ready: /.test(err)) resolve(url);
    });
    void exited.then((code) => reject(new Error(`tessera serve exited ${code}: ${err}`)));
  });
  const browser = await launchChromium();
  try {
    const origin = await ready;
    assert.match(err, new RegExp(`demo page at ${origin}/ui/`));
    const root = await fetch(`${origin}/`, { redirect: "manual" });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get("location"), "/ui/");
    const wasm = await fetch(`${origin}/ui/tessera.wasm`);
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    assert.ok((await wasm.arrayBuffer()).byteLength > 100_000);
    const config = (await (await fetch(`${origin}/ui/config.json`)).json()) as {
      models: { name: string; url: string; labels: string[] }[];
    };
    assert.deepEqual(config.models, [
      { name: "digits", url: "models/digits/", labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] },
    ]);
    for (const path of [
      "/package.json",
      "/ui/models/digits/spec.json",
      "/ui/models/other/model.json",
      "/ui/nothing.js",
    ])
      assert.equal((await fetch(`${origin}${path}`)).status, 404, path);

    const { page, problems } = await openDemoPage(browser, `${origin}/`);
    assert.equal(page.url(), `${origin}/ui/`);
    assert.equal(await page.getAttribute("body", "data-backend"), "wasm");
    // Served cross-origin isolated: the page has shared memory, and useWasm fetched the threaded module.
    assert.equal(
      await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
      true,
    );
    assert.ok(problems.requests.includes(`${origin}/ui/tessera-threads.wasm`), problems.requests.join(" "));
    const backend = (await page.locator("#backend").textContent()) ?? "";
    assert.match(backend, /^page: wasm \(simd128, \d+ threads?\)$/);
    // The served model, through POST /v1/models/digits:predict.
    await page.click("#served button");
    assert.equal(await page.getAttribute("body", "data-model"), "digits on the server");
    const onServer = await predictionAfter(page, ONE);
    assert.ok(problems.requests.includes(`${origin}/v1/models/digits:predict`));
    // The same model loaded in the page over fetch from the server (the URL the page filled in).
    assert.equal(await page.inputValue("#model-url"), "models/digits/");
    await page.click("#load");
    await page.waitForFunction(() =>
      /^loaded /.test(
        (
          globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }
        ).document.getElementById("load-status").textContent,
      ),
    );
    const inPage = await predictionAfter(page, ONE);
    const shot = await screenshot(page, "serve-ui");
    console.log(
      `serve --ui: ${backend}; drawn 1 -> ${onServer} on the server, ${inPage} loaded in the page; screenshot ${shot}`,
    );
    assert.equal(onServer, "1");
    assert.equal(inPage, "1");
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(
      // (the wasm backend's thread workers start from blob: URLs of this origin)
      problems.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`)),
      [],
    );
  } finally {
    await browser.close();
    child.kill("SIGTERM");
  }
  assert.equal(await exited, 0, err);
  assert.match(err, /tessera serve: stopped/);
});
