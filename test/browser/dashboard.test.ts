// The live dashboard as a person sees it, in Debian's Chromium: a real fit runs in a child process
// (fixtures/dashboard-run.ts); the page's charts gain points while it trains; the epoch table
// equals the fit's history; closing the page frees its stream, and a reopened page replays the
// whole run; the run comparison shows the run folders. Screenshots go to test-artifacts/.
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { launchChromium, screenshot, watch } from "./browser.js";

const EPOCHS = 12;

/** The child's stdout lines, awaited by prefix. */
function lineReader(child: ChildProcessWithoutNullStreams): (prefix: string) => Promise<string> {
  const seen: string[] = [];
  const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const index = waiting.findIndex((w) => line.startsWith(w.prefix));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line.slice(waiting[index]?.prefix.length ?? 0));
    else seen.push(line);
  });
  return (prefix) =>
    new Promise((resolve, reject) => {
      const earlier = seen.find((line) => line.startsWith(prefix));
      if (earlier !== undefined) return resolve(earlier.slice(prefix.length));
      waiting.push({ prefix, resolve: (line) => resolve(line.slice(prefix.length)) });
      child.once("exit", (code) =>
        reject(new Error(`dashboard-run exited (${code}) before printing ${prefix}`)),
      );
    });
}

const epochPoints = (page: Page) => page.locator('#epoch-chart path[aria-roledescription="point"]').count();
// The page's globals as this (DOM-less) tsconfig sees them inside page.evaluate.
interface PageGlobals {
  dashboardState: { batches: unknown[]; end: unknown };
  document: { querySelectorAll(selector: string): Iterable<{ dataset: Record<string, string | undefined> }> };
}
const batchCount = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).dashboardState.batches.length);
const ended = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).dashboardState.end !== null);

async function tableValues(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const out: Record<string, number[]> = {};
    for (const td of (globalThis as unknown as PageGlobals).document.querySelectorAll(
      "#epoch-table tbody td",
    )) {
      const name = td.dataset.name!;
      (out[name] ??= []).push(Number(td.dataset.value));
    }
    return out;
  });
}

async function clients(url: string): Promise<number> {
  return ((await (await fetch(`${url}api/status`)).json()) as { clients: number }).clients;
}

async function until(condition: () => Promise<boolean>, what: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out after ${seconds} s waiting for ${what}`);
}

test("the dashboard follows a real fit in Chromium, survives a reopen and compares runs", {
  timeout: 180_000,
}, async () => {
  const runsDir = mkdtempSync(join(tmpdir(), "tessera-dashboard-runs-"));
  for (const [name, losses] of [
    ["baseline", [1.2, 0.8, 0.6, 0.5]],
    ["wider", [1.1, 0.6, 0.4, 0.3]],
  ] as const) {
    mkdirSync(join(runsDir, name));
    writeFileSync(
      join(runsDir, name, "history.json"),
      JSON.stringify({ epochs: losses.map((loss, i) => ({ epoch: i + 1, loss, val_loss: loss + 0.1 })) }),
    );
  }
  const child = spawn(process.execPath, [
    "--import",
    "tsx",
    join(import.meta.dirname, "fixtures/dashboard-run.ts"),
    runsDir,
    String(EPOCHS),
  ]);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const next = lineReader(child);
  const browser = await launchChromium();
  try {
    const url = (await next("URL ")).trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watch(page);
    await page.goto(url);
    await until(async () => (await page.textContent("#connection")) === "live", "the stream to open");
    child.stdin.write("go\n");

    // Mid-training (the fixture holds epoch 2 until told): epoch 1's points and batches are drawn.
    await until(
      async () => (await epochPoints(page)) === 4,
      "epoch 1's points (train and validation loss and accuracy)",
    );
    const early = {
      points: await epochPoints(page),
      batches: await batchCount(page),
      ended: await ended(page),
    };
    assert.deepEqual(early, { points: 4, batches: 52, ended: false });
    assert.equal(await page.textContent("#stat-epoch"), `1 / ${EPOCHS}`);
    const midShot = await screenshot(page, "dashboard-mid-training");
    // One more epoch: the charts grow by one epoch, the batch curve by one epoch of batches.
    child.stdin.write("next\n");
    await until(async () => (await epochPoints(page)) === 8, "epoch 2's points");
    await until(async () => (await batchCount(page)) === 104, "epoch 2's batches");
    assert.equal(await ended(page), false);
    child.stdin.write("run\n");

    const history = JSON.parse(await next("HISTORY ")) as Record<string, number[]>;
    await until(() => ended(page), "the end of the run");
    // One point per logged value: loss, accuracy (train and validation); learning_rate has its own chart.
    const points = Object.entries(history).reduce(
      (n, [name, values]) => n + (name === "learning_rate" ? 0 : values.length),
      0,
    );
    assert.equal(points, EPOCHS * 4);
    await until(async () => (await epochPoints(page)) === points, `${points} epoch points`);
    const table = await tableValues(page);
    for (const name of ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"]) {
      assert.deepEqual(table[name], history[name], `epoch table column ${name} equals the history`);
    }
    assert.deepEqual(
      table.epoch,
      Array.from({ length: EPOCHS }, (_, i) => i + 1),
    );
    assert.equal(await page.textContent("#stat-epoch"), `${EPOCHS} / ${EPOCHS}`);
    assert.match((await page.textContent("#model-summary")) ?? "", /Total params: 5,443/);
    assert.match((await page.textContent("#system-table")) ?? "", /backend.*memory \(rss\).*MiB/s);
    // The learning rate halves at epoch 6 and 11 (the schedule in the fixture).
    assert.equal(await page.locator('#lr-chart path[aria-roledescription="point"]').count(), EPOCHS);
    // Run comparison: the runs overlaid in one chart, then one learning-curve chart per run folder.
    await until(async () => (await page.locator("#runs-compare img").count()) === 3, "the run comparison");
    const loaded = await page.$$eval("#runs-compare img", (imgs) =>
      imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
    );
    assert.deepEqual(loaded, [true, true, true]);
    const endShot = await screenshot(page, "dashboard-end");
    assert.deepEqual(problems.errors, []);
    assert.ok(
      problems.requests.every((r) => r.startsWith(url)),
      `only the dashboard's own origin: ${problems.requests.join(", ")}`,
    );

    // Close the page: the server drops its stream. Reopen: the whole run is replayed.
    assert.equal(await clients(url), 1);
    await page.close();
    await until(async () => (await clients(url)) === 0, "the closed page's stream to be dropped", 10);
    const again = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const againProblems = watch(again);
    await again.goto(url);
    await until(async () => (await epochPoints(again)) === points, "the replayed epochs");
    assert.deepEqual((await tableValues(again)).loss, history.loss);
    assert.equal(await clients(url), 1);
    assert.deepEqual(againProblems.errors, []);
    console.log(`screenshots: ${midShot}, ${endShot}`);
  } finally {
    await browser.close();
    child.stdin.write("exit\n");
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(null);
      else child.once("exit", resolve);
    });
    rmSync(runsDir, { recursive: true, force: true });
    if (child.exitCode !== 0) console.error(stderr);
  }
});
