// The server's executor (a saved model directory loaded by loadServable, batches run by runBatch,
// as in an inference worker) answers repeated shapes from an inference plan, with the outputs of
// the eager pass.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { inferencePlanStats, layers, noGrad, randn, seed, sequential } from "../index.js";
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
