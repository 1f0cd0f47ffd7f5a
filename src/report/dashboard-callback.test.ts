// ts.callbacks.dashboard in a real fit: the server (in its worker thread) streams the run, every
// batch and every epoch; the epoch logs equal the History; close() stops the worker.
import assert from "node:assert/strict";
import { get } from "node:http";
import { test } from "node:test";
import { tinyRegressionData, tinyRegressor } from "../../test/helpers/tiny-regression.js";
import { callbacks, layers, optimizers, sequential, tensor } from "../index.js";
import type { DashboardMessage, EpochMessage } from "./dashboard/messages.js";
import { dashboard } from "./dashboard-callback.js";

function collect(url: string, until: (messages: DashboardMessage[]) => boolean): Promise<DashboardMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: DashboardMessage[] = [];
    const request = get(`${url}events`, (response) => {
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("data: ")) messages.push(JSON.parse(block.slice(6)) as DashboardMessage);
        }
        if (until(messages)) {
          request.destroy();
          resolve(messages);
        }
      });
    });
    request.on("error", reject);
  });
}

test("the dashboard streams every batch and epoch of a fit, equal to the history", async () => {
  const model = tinyRegressor(4, "relu", optimizers.sgd({ learningRate: 0.05 }));
  const { x, y } = tinyRegressionData(8);
  const board = dashboard({ name: "tiny", batchSize: 2, batchIntervalMs: 0 });
  try {
    assert.throws(() => dashboard({ batchIntervalMs: -1 }), /batchIntervalMs must be a number >= 0/);
    const url = await board.start();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(board.url, url);
    const streamed = collect(url, (m) => m.some((message) => message.type === "end"));
    // Give the stream time to open before the (synchronous) epochs run.
    await new Promise((r) => setTimeout(r, 200));
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [board],
    });
    const messages = await streamed;
    const run = messages.find((m) => m.type === "run");
    assert.ok(run !== undefined && run.name === "tiny" && run.epochs === 3 && run.steps === 3);
    assert.match(run.summary, /Total params: 17/);
    const rows = messages.flatMap((m) => (m.type === "batches" ? m.rows : []));
    assert.deepEqual(
      rows.map((r) => r[2]),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ); // 3 batches x 3 epochs, global steps
    const epochs = messages.filter((m): m is EpochMessage => m.type === "epoch");
    assert.deepEqual(
      epochs.map((e) => e.logs.loss),
      history.history.loss,
    );
    assert.deepEqual(
      epochs.map((e) => e.logs.val_mae),
      history.history.val_mae,
    );
    // The last batch of an epoch logs the epoch's running mean, which is the epoch's training loss.
    assert.deepEqual(
      rows.filter((r) => r[1] === 2).map((r) => r[4].loss),
      history.history.loss,
    );
    for (const e of epochs) {
      assert.equal(e.learningRate, 0.05);
      assert.ok(e.seconds > 0 && e.batchesPerSecond > 0);
      assert.ok(Math.abs(e.samplesPerSecond! - e.batchesPerSecond * 2) < 1e-9);
      assert.ok(e.system.rss > 0 && e.system.backend.length > 0);
    }
  } finally {
    await board.close();
  }
});

test("fit starts a dashboard nobody started and knows its URL before the first epoch", async () => {
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: "mse" });
  const board = dashboard();
  const seen: (string | null)[] = [];
  const peek = callbacks.lambdaCallback({ onEpochBegin: () => seen.push(board.url) });
  try {
    await model.fit(tensor([[1], [2]]), tensor([[2], [4]]), {
      epochs: 1,
      verbose: 0,
      callbacks: [board, peek],
    });
    assert.equal(seen.length, 1);
    assert.match(seen[0] ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = (await (await fetch(`${seen[0]}api/status`)).json()) as { clients: number };
    assert.equal(status.clients, 0);
  } finally {
    await board.close();
  }
});

test("a port already in use is a clear error, and close() still ends the worker", async () => {
  const first = dashboard();
  const url = await first.start();
  const second = dashboard({ port: Number(new URL(url).port) });
  try {
    await assert.rejects(second.start(), /dashboard: cannot listen \(.*EADDRINUSE/);
  } finally {
    await second.close();
    await first.close();
  }
});
