// The dashboard server on a real loopback port: replay on connect, live messages, closed
// connections leave the client set (no leak), run folders compared, loopback by default.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { until } from "../../../test/helpers/until.js";
import type { DashboardMessage } from "./messages.js";
import { DashboardServer } from "./server.js";

const system = { backend: "reference", rss: 1, heapUsed: 1 };
const runMessage: DashboardMessage = {
  type: "run",
  run: 1,
  name: "r",
  epochs: 2,
  steps: 3,
  summary: "s",
  system,
  startedAt: 0,
};

/** Opens the event stream and collects parsed messages; `close()` drops the connection. */
function openStream(
  url: string,
): Promise<{ messages: DashboardMessage[]; response: IncomingMessage; close: () => void }> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}events`, (response) => {
      const messages: DashboardMessage[] = [];
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("data: ")) messages.push(JSON.parse(block.slice(6)) as DashboardMessage);
          end = buffer.indexOf("\n\n");
        }
      });
      response.on("error", () => {});
      resolve({ messages, response, close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}

async function fetchText(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

test("a late page gets the run replayed, then live messages; closed streams leave no client behind", async () => {
  const server = new DashboardServer();
  const url = await server.start();
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    server.publish(runMessage);
    server.publish({ type: "batches", run: 1, rows: [[0, 0, 1, 0.1, { loss: 2 }]] });
    const first = await openStream(url);
    await until(() => first.messages.length === 2, "the replay");
    assert.deepEqual(
      first.messages.map((m) => m.type),
      ["run", "batches"],
    );
    const epoch: DashboardMessage = {
      type: "epoch",
      run: 1,
      epoch: 0,
      logs: { loss: 1.5 },
      seconds: 0.2,
      samplesPerSecond: null,
      batchesPerSecond: 5,
      learningRate: 0.1,
      system,
    };
    server.publish(epoch);
    await until(() => first.messages.length === 3, "the live epoch");
    assert.deepEqual(first.messages[2], epoch);
    // Many pages open and close (a browser reloading): every closed one leaves the set.
    const streams = await Promise.all(Array.from({ length: 20 }, () => openStream(url)));
    await until(() => server.clientCount === 21, "21 clients");
    for (const s of streams) s.close();
    first.close();
    await until(() => server.clientCount === 0, "every closed stream dropped");
    server.publish({ type: "end", run: 1, epochs: 1, seconds: 1 }); // writes to no one, throws nothing
    // A page opened now replays the whole run, the end included.
    const again = await openStream(url);
    await until(() => again.messages.length === 4, "the full replay");
    assert.deepEqual(
      again.messages.map((m) => m.type),
      ["run", "batches", "epoch", "end"],
    );
    const status = JSON.parse((await fetchText(`${url}api/status`)).body) as { clients: number };
    assert.equal(status.clients, 1);
    again.close();
  } finally {
    await server.close();
  }
});

test("the page, its script and the vega builds are served; unknown paths are 404, non-GET 405", async () => {
  const server = new DashboardServer();
  const url = await server.start();
  try {
    const page = await fetchText(url);
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="\/vendor\/vega.js"><\/script>/);
    assert.doesNotMatch(page.body, /https?:\/\//);
    const vega = await fetchText(`${url}vendor/vega.js`);
    assert.match(vega.body.slice(0, 400), /\.vega=/);
    const script = await fetchText(`${url}dashboard.js`);
    assert.match(script.body, /new EventSource\("\/events"\)/);
    assert.equal((await fetchText(`${url}nope`)).status, 404);
    assert.equal((await fetch(url, { method: "POST" })).status, 405);
  } finally {
    await server.close();
  }
});

test("run folders with a history.json are listed and drawn as learning curves", async () => {
  const runsDir = mkdtempSync(join(tmpdir(), "tessera-runs-"));
  const server = new DashboardServer({ runsDir });
  const url = await server.start();
  try {
    for (const [name, losses] of [
      ["b-run", [1, 0.5]],
      ["a-run", [2, 1, 0.7]],
    ] as const) {
      mkdirSync(join(runsDir, name));
      writeFileSync(
        join(runsDir, name, "history.json"),
        JSON.stringify({ epochs: losses.map((loss, i) => ({ epoch: i + 1, loss })) }),
      );
    }
    mkdirSync(join(runsDir, "not-a-run"));
    assert.deepEqual(JSON.parse((await fetchText(`${url}api/runs`)).body), ["a-run", "b-run"]);
    const svg = await fetchText(`${url}api/runs/a-run/curves.svg`);
    assert.equal(svg.type, "image/svg+xml");
    assert.equal((svg.body.match(/aria-roledescription="point"/g) ?? []).length, 3);
    assert.match(svg.body, />a-run</);
    assert.equal((await fetchText(`${url}api/runs/not-a-run/curves.svg`)).status, 404);
    const overlay = await fetchText(`${url}api/compare.svg?runs=a-run,b-run,not-a-run`);
    assert.equal((overlay.body.match(/aria-roledescription="point"/g) ?? []).length, 5);
    assert.match(overlay.body, /run: b-run/);
    assert.equal((await fetchText(`${url}api/compare.svg?runs=..`)).status, 404);
    assert.equal((await fetchText(`${url}api/runs/..%2F..%2Fetc/curves.svg`)).status, 404);
  } finally {
    await server.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
});

test("a page that stops reading is dropped once its queue passes the limit, not buffered forever", async () => {
  const server = new DashboardServer();
  const url = await server.start();
  try {
    const stalled = await openStream(url);
    stalled.response.pause(); // reads nothing more: the kernel buffers fill, then the server's queue
    await until(() => server.clientCount === 1, "the stalled client");
    const big = "x".repeat(64 * 1024);
    for (let i = 0; i < 400 && server.clientCount > 0; i++) {
      server.publish({
        type: "run",
        run: i,
        name: big,
        epochs: 1,
        steps: 1,
        summary: "",
        system,
        startedAt: 0,
      });
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(server.clientCount, 0);
    assert.equal(server.droppedStalled, 1);
    stalled.close();
  } finally {
    await server.close();
  }
});

test("a bad port is refused", () => {
  assert.throws(
    () => new DashboardServer({ port: 70000 }),
    /port must be an integer from 0 to 65535 \(got 70000\)/,
  );
});
