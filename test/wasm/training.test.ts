// test/wasm/training: training runs on the WebAssembly backend end to end (dense layers with the
// fused GEMM epilogue and its adjoint, an LSTM through the fused sequence kernels, layer norm,
// Adam's fused update through the backend's positional entry) and lands where the reference
// backend lands from the same seed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";

/** Fits a small sequence model for a few epochs on `backend`; returns the losses and final weights. */
async function train(backend: ts.BackendName): Promise<{ losses: number[]; weights: number[] }> {
  const previous = ts.getBackend();
  ts.setBackend(backend);
  try {
    ts.seed(42);
    const model = ts.sequential([
      ts.layers.lstm({ units: 12, inputShape: [5, 3], returnSequences: false }),
      ts.layers.layerNormalization({}),
      ts.layers.dense({ units: 16, activation: "tanh" }),
      ts.layers.dense({ units: 2 }),
    ]);
    model.compile({ optimizer: ts.optimizers.adam({ learningRate: 0.01 }), loss: "mse" });
    const x = ts.randn([64, 5, 3]);
    const y = ts.randn([64, 2]);
    const history = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, shuffle: false });
    const weights = model.getWeights().flatMap((w) => Array.from(w.dataSync() as Float32Array));
    assert.equal(ts.getBackend(), backend);
    return { losses: history.history.loss ?? [], weights };
  } finally {
    ts.setBackend(previous);
  }
}

describe("training on the wasm backend", () => {
  test("an LSTM + layer norm + dense model trains as on the reference backend", async () => {
    assert.ok(
      ts.listBackends().includes("wasm"),
      "the wasm backend did not load; build it with `npm run build:wasm`",
    );
    const reference = await train("reference");
    const wasm = await train("wasm");
    assert.equal(wasm.losses.length, 4);
    assert.ok(wasm.losses[3]! < wasm.losses[0]!, `loss should fall: ${wasm.losses.join(", ")}`);
    for (let i = 0; i < 4; i++)
      assert.ok(
        Math.abs(wasm.losses[i]! - reference.losses[i]!) <= 1e-4 * (1 + reference.losses[i]!),
        `epoch ${i}: wasm ${wasm.losses[i]} vs reference ${reference.losses[i]}`,
      );
    assert.equal(wasm.weights.length, reference.weights.length);
    let worst = 0;
    for (let i = 0; i < wasm.weights.length; i++)
      worst = Math.max(worst, Math.abs(wasm.weights[i]! - reference.weights[i]!));
    assert.ok(worst < 1e-3, `largest weight difference ${worst}`);
  });
});
