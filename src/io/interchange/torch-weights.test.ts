// io/interchange/torch-weights.test: PyTorch-compatible weights. torch.nn modules' own weights
// (written by PyTorch 2.13 in test/fixtures/interchange/torch, see make-torch-weights.py) load into
// the equivalent Tessera models and give torch's outputs; exporting them gives back exactly
// torch's state_dict (names, shapes, values). The other direction (Tessera's export loaded by
// torch.nn with strict load_state_dict) is checked by that script, on the files in ../tessera.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { TORCH_MODELS, torchModel } from "../../../test/fixtures/interchange/torch-models.js";
import { main } from "../../cli/main.js";
import { FormatError, ShapeError, ValueError } from "../../core/errors.js";
import { sequential } from "../../models/sequential.js";
import * as layers from "../../nn/layers/index.js";
import { input } from "../../nn/layers/input.js";
import { add } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { maxAbsDiff } from "../onnx/onnx-parity.js";
import { readSafetensors } from "../safetensors-file.js";
import { saveModel } from "../save-model.js";
import {
  exportTorchWeights,
  importTorchWeights,
  loadTorchStateDict,
  torchStateDict,
} from "./torch-weights.js";

const TOLERANCE = 1e-5;
const fixture = (name: string) =>
  new URL(`../../../test/fixtures/interchange/torch/${name}.safetensors`, import.meta.url).pathname;

async function torchFile(name: string) {
  const { tensors } = await readSafetensors(fixture(name));
  const state = new Map(
    [...tensors].filter(([k]) => k.startsWith("state.")).map(([k, v]) => [k.slice(6), v]),
  );
  return { state, input: tensors.get("input")!, output: tensors.get("output")! };
}

describe("torch.nn weights into Tessera", () => {
  for (const name of Object.keys(TORCH_MODELS)) {
    it(`${name}: torch's weights give torch's output, and export back to torch's state_dict`, async () => {
      const [model] = torchModel(name);
      const { state, input: x, output } = await torchFile(name);
      loadTorchStateDict(model, state);
      const d = maxAbsDiff(model.apply(x), output);
      if (process.env.TESSERA_ONNX_REPORT)
        console.log(`torch weights ${name}: max abs diff ${d.toExponential(2)}`);
      assert.ok(d <= TOLERANCE, `${name}: max |diff| ${d}`);
      const again = torchStateDict(model);
      assert.deepEqual([...again.keys()].sort(), [...state.keys()].sort());
      for (const [key, value] of state) {
        // LSTM / RNN: Keras's one bias is torch's two summed, exported as (sum, 0)
        const pair = key.replace("bias_hh_", "bias_ih_");
        if (/\.(lstm|bi)\.bias_(ih|hh)_/.test(`.${key}`)) {
          const other = key === pair ? key.replace("bias_ih_", "bias_hh_") : pair;
          const sum = (m: ReadonlyMap<string, Tensor>) => add(m.get(key)!, m.get(other)!);
          assert.ok(maxAbsDiff(sum(again), sum(state)) <= 1e-6, key);
        } else assert.equal(maxAbsDiff(again.get(key)!, value), 0, key);
      }
    });
  }
});

describe("torch weight files", () => {
  it("round-trips through exportTorchWeights and importTorchWeights", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-torch-"));
    try {
      const [a, x] = torchModel("recurrent");
      const [b] = torchModel("recurrent");
      loadTorchStateDict(a, (await torchFile("recurrent")).state);
      await exportTorchWeights(a, join(dir, "w.safetensors"));
      await importTorchWeights(b, join(dir, "w.safetensors"));
      assert.equal(maxAbsDiff(a.apply(x), b.apply(x)), 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("tessera export --format torch writes the state_dict of a saved model", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-torch-"));
    try {
      const [model] = torchModel("cnn");
      await saveModel(model, join(dir, "model"));
      let stdout = "";
      const io = { out: (t: string) => void (stdout += t), err: () => {}, stdin: async () => "" };
      const out = join(dir, "cnn.safetensors");
      assert.equal(
        await main(["export", join(dir, "model"), "--format", "torch", "--out", out], io.out, io),
        0,
      );
      assert.match(stdout, /PyTorch state_dict/);
      const { tensors } = await readSafetensors(out);
      const want = torchStateDict(model);
      assert.deepEqual([...tensors.keys()].sort(), [...want.keys()].sort());
      for (const [key, value] of want) assert.equal(maxAbsDiff(tensors.get(key)!, value), 0, key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names missing, unexpected and misshapen entries", async () => {
    const [model] = torchModel("mlp");
    const { state } = await torchFile("mlp");
    const missing = new Map(state);
    missing.delete("fc2.bias");
    assert.throws(
      () => loadTorchStateDict(model, missing),
      (e) => e instanceof FormatError && /missing fc2\.bias/.test(e.message),
    );
    const extra = new Map(state).set("fc3.weight", state.get("fc2.bias")!);
    assert.throws(() => loadTorchStateDict(model, extra), /unexpected fc3\.weight/);
    loadTorchStateDict(model, extra, { strict: false });
    const wrong = new Map(state).set("fc1.weight", state.get("fc2.weight")!);
    assert.throws(
      () => loadTorchStateDict(model, wrong),
      (e) => e instanceof ShapeError && /fc1\.weight has shape \[3,8\] where \[8,5\]/.test(e.message),
    );
  });

  it("refuses a layer torch has no module for", () => {
    const m = sequential([input({ shape: [4, 2] }), layers.gru({ units: 2, resetAfter: false, name: "g" })]);
    assert.throws(
      () => torchStateDict(m),
      (e) =>
        e instanceof ValueError &&
        /layer "g" \(GRU\) has no torch\.nn equivalent: resetAfter: false/.test(e.message),
    );
  });
});
