// Browser test: the threaded WebAssembly backend in Chromium. A page served cross-origin isolated
// (COOP same-origin + COEP require-corp from the loopback server) gets wasm/tessera-threads.wasm
// through useWasm("/wasm/tessera.wasm"): 2 threads, a probe job that completes only when a Web
// Worker helper runs beside the page's thread, the helper's task counter, and a GEMM and a conv
// gradient equal on 1 and 2 threads. The same page served without those headers has no
// SharedArrayBuffer: it falls back to tessera.wasm on 1 thread and prints one line saying why.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium, type PageFiles, servePage, watch } from "./browser.js";
import { bundleForPage } from "./tessera-page.js";

const ROOT = resolve(import.meta.dirname, "../..");
const ISOLATED = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** The page's own globals: the entry and the wasm loader's internals (one bundle, one module graph). */
type Internals = typeof import("../../src/backend/wasm/loader.js");
type Tessera = typeof import("../../src/browser.js");
function tessera(): Tessera {
  throw new Error("runs in the page");
}
function internals(): Internals {
  throw new Error("runs in the page");
}

/** The page: the browser entry and the wasm loader's internals, and both modules. */
async function pageFiles(): Promise<PageFiles> {
  const js = await bundleForPage(
    [
      'import * as ts from "tessera-ml";',
      'import * as loader from "./src/backend/wasm/loader.ts";',
      "globalThis.tessera = () => ts;",
      "globalThis.internals = () => loader;",
      'document.body.dataset.state = "ready";',
    ].join("\n"),
  );
  const wasm = "application/wasm";
  const html =
    '<!doctype html><link rel="icon" href="data:,"><body><script type="module" src="/main.js"></script></body>';
  return new Map([
    ["/", { body: html, type: "text/html" }],
    ["/main.js", { body: js, type: "text/javascript" }],
    ["/wasm/tessera.wasm", { body: readFileSync(resolve(ROOT, "wasm/tessera.wasm")), type: wasm }],
    [
      "/wasm/tessera-threads.wasm",
      { body: readFileSync(resolve(ROOT, "wasm/tessera-threads.wasm")), type: wasm },
    ],
  ]);
}

let browser: Browser;
let files: PageFiles;
before(async () => {
  [browser, files] = await Promise.all([launchChromium(), pageFiles()]);
});
after(async () => {
  await browser?.close();
});

test("a cross-origin-isolated page runs the wasm backend on 2 threads (a Web Worker helper)", async () => {
  const server = await servePage(files, { headers: ISOLATED });
  const page = await browser.newPage();
  const problems = watch(page);
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForSelector("body[data-state=ready]", { state: "attached" });
    const result = await page.evaluate(async () => {
      const ts = tessera();
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
      const described = await ts.useWasm("/wasm/tessera.wasm");
      ts.setNumThreads(2);
      const backend = internals().loadedWasmBackend();
      const threads = backend?.threads;
      if (threads === undefined) return { isolated, described, note: internals().wasmThreadsNote() };
      const running = await threads.ready();
      const before = threads.tasksPerThread();
      const probe = threads.probe(2, 1_000_000_000);
      const after = threads.tasksPerThread();
      // a GEMM and a conv gradient on 1 and on 2 threads
      const x = ts.reshape(
        ts.tensor(Array.from({ length: 4 * 12 * 12 * 6 }, (_, i) => Math.sin(i))),
        [4, 12, 12, 6],
      );
      const w = ts.reshape(
        ts.tensor(Array.from({ length: 3 * 3 * 6 * 8 }, (_, i) => Math.cos(i))),
        [3, 3, 6, 8],
      );
      const a = ts.reshape(
        ts.tensor(Array.from({ length: 200 * 180 }, (_, i) => Math.sin(i * 0.37))),
        [200, 180],
      );
      // (no named functions in here: tsx would wrap them in a helper the page does not have)
      const runs: number[][][] = [];
      for (const count of [1, 2]) {
        ts.setNumThreads(count);
        const dx = ts.grad((input: typeof x) => ts.sum(ts.square(ts.conv2d(input, w, { padding: "same" }))))(
          x,
        );
        runs.push([Array.from(ts.matmul(a, ts.transpose(a)).data), Array.from(dx.data)]);
      }
      const [one, two] = [runs[0]!, runs[1]!];
      // a figure for the report (not asserted: the machine may be shared): GEMM 512, best of 5
      const m = ts.reshape(ts.tensor(Array.from({ length: 512 * 512 }, (_, i) => Math.sin(i))), [512, 512]);
      const gemmMs: number[] = [];
      for (const count of [1, 2]) {
        ts.setNumThreads(count);
        let best = Number.POSITIVE_INFINITY;
        for (let rep = 0; rep < 5; rep++) {
          const t0 = performance.now();
          ts.matmul(m, m).data;
          best = Math.min(best, performance.now() - t0);
        }
        gemmMs.push(best);
      }
      return {
        isolated,
        described,
        threads: ts.getNumThreads(),
        describedAfter: ts.describeBackend(),
        running,
        probe,
        helperTasks: (after[1] ?? 0) - (before[1] ?? 0),
        callerTasks: (after[0] ?? 0) - (before[0] ?? 0),
        same: JSON.stringify(one) === JSON.stringify(two),
        size: one[0]!.length + one[1]!.length,
        gemmMs,
      };
    });
    assert.equal(result.isolated, true, "the headers make the page cross-origin isolated");
    assert.ok("probe" in result, `the threaded module did not load: ${JSON.stringify(result)}`);
    assert.match(result.described, /^wasm \(simd128, \d+ threads?\)$/);
    assert.equal(result.threads, 2);
    assert.equal(result.describedAfter, "wasm (simd128, 2 threads)");
    assert.equal(result.running, 1, "the Web Worker helper started");
    assert.equal(result.probe, 2, "two threads ran the probe's tasks at once");
    assert.deepEqual([result.callerTasks, result.helperTasks], [1, 1]);
    assert.equal(result.same, true, "GEMM and conv2d's input gradient: 2 threads equal 1 bit for bit");
    assert.equal(result.size, 200 * 200 + 4 * 12 * 12 * 6);
    assert.ok(
      problems.requests.every(
        (url) => url.startsWith(server.origin) || url.startsWith("blob:") || url.startsWith("data:"),
      ),
    );
    assert.deepEqual(problems.errors, []);
    const [oneMs, twoMs] = result.gemmMs ?? [];
    console.log(
      `isolated page: ${result.describedAfter}; GEMM 512 float32 ${oneMs?.toFixed(1)} ms on 1 thread, ${twoMs?.toFixed(1)} ms on 2 (${((2 * 512 ** 3) / ((twoMs ?? 1) * 1e6)).toFixed(1)} GFLOP/s)`,
    );
  } finally {
    await page.close();
    server.close();
  }
});

test("without cross-origin isolation the page falls back to one thread, saying why once", async () => {
  const server = await servePage(files);
  const page = await browser.newPage();
  const problems = watch(page);
  const warnings: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("wasm backend runs on 1 thread")) warnings.push(message.text());
  });
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForSelector("body[data-state=ready]", { state: "attached" });
    const result = await page.evaluate(async () => {
      const ts = tessera();
      const described = await ts.useWasm("/wasm/tessera.wasm");
      ts.setNumThreads(2); // no helpers to run them: stays 1
      const sum = Array.from(ts.add(ts.ones([3]), ts.ones([3])).data);
      ts.matmul(ts.ones([8, 8]), ts.ones([8, 8])).data;
      return {
        isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated,
        described,
        threads: ts.getNumThreads(),
        note: internals().wasmThreadsNote(),
        sum,
      };
    });
    assert.equal(result.isolated, false);
    assert.equal(result.described, "wasm (simd128, 1 thread)");
    assert.equal(result.threads, 1);
    assert.match(result.note ?? "", /not cross-origin isolated/);
    assert.deepEqual(result.sum, [2, 2, 2]);
    assert.equal(warnings.length, 1, `one line: ${JSON.stringify(warnings)}`);
    assert.match(
      warnings[0]!,
      /^tessera: the wasm backend runs on 1 thread: the page is not cross-origin isolated/,
    );
    // the threaded module is not even fetched
    assert.ok(!problems.requests.some((url) => url.endsWith("tessera-threads.wasm")));
    assert.deepEqual(problems.errors, []);
  } finally {
    await page.close();
    server.close();
  }
});
