// The server's executor (a saved model directory loaded by loadServable, batches run by runBatch,
// as in an inference worker) answers repeated shapes from an inference plan, with the outputs of
// the eager pass; a running server counts the replays of its worker threads in /metrics.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { inferencePlanStats, layers, noGrad, randn, seed, sequential, startServer } from "../index.js";
import { runBatch } from "./inference-worker.js";
import { loadServable } from "./model-servable.js";

test("loadServable + runBatch replay a plan once a batch shape repeats", async () => {
  seed(11);
  const model = sequential([
    layers.dense({ units: 8, activation: "relu", inputShape: [6] }),
    layers.dense({ units: 3, activation: "softmax" }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), "tessera-plan-serve-"));
  try {
    await model.save(dir);
    const servable = await loadServable(dir);
    const before = inferencePlanStats();
    for (let call = 0; call < 4; call++) {
      const x = randn([2, 6]);
      const want = noGrad(() => model.apply(x, { training: false })).data;
      const [result] = await runBatch(servable, [
        { kind: "tensors", inputs: [x.data.slice(0, 6)], rows: 1 },
        { kind: "tensors", inputs: [x.data.slice(6)], rows: 1 },
      ]);
      assert.ok(result?.ok, "the batch ran");
      assert.deepEqual(Array.from(result.outputs[0]!), Array.from(want.slice(0, 3)), `call ${call + 1}`);
    }
    const after = inferencePlanStats();
    assert.equal(after.plans - before.plans, 1, "one plan for batches of two rows");
    assert.equal(after.replays - before.replays, 2, "calls 3 and 4 replayed it");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a running server's workers replay plans, counted in /metrics", async () => {
  seed(12);
  const model = sequential([
    layers.dense({ units: 3, activation: "relu", inputShape: [4] }),
    layers.dense({ units: 2 }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), "tessera-plan-serve-"));
  await model.save(dir);
  const server = await startServer({ models: [{ dir, name: "planned" }], port: 0, host: "127.0.0.1" });
  try {
    await server.ready;
    for (let call = 0; call < 5; call++) {
      const x = randn([1, 4]);
      const response = await fetch(`${server.url}/v1/models/planned:predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ instances: [Array.from(x.data)] }),
      });
      assert.equal(response.status, 200);
      const { predictions } = (await response.json()) as { predictions: number[][] };
      const want = noGrad(() => model.apply(x, { training: false })).data;
      for (const [i, v] of predictions[0]!.entries())
        assert.ok(Math.abs(v - want[i]!) < 1e-6, `call ${call + 1} output ${i}`);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const line = metrics
      .split("\n")
      .find((l) => l.startsWith('tessera_inference_plan_replays_total{model="planned"}'));
    assert.ok(line !== undefined, "the replay counter is exported");
    assert.equal(Number(line.split(" ").at(-1)), 3, "calls 3, 4 and 5 replayed the worker's plan");
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
