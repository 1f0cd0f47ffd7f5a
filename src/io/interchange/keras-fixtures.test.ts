// io/interchange/keras-fixtures.test: more Keras 3 `.keras` files written by Keras 3.15 itself (on
// the torch backend; see test/fixtures/interchange/make-keras-models.py), for io/keras's loadKeras:
// BatchNormalization with moved statistics, Bidirectional LSTM + SimpleRNN, a two-input functional
// model with merges, Embedding + MultiHeadAttention. Each must give Keras's outputs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadKeras } from "../keras/load-keras.js";
import { readSafetensors } from "../safetensors-file.js";

const TOLERANCE = 1e-5;
const fixture = (file: string) =>
  new URL(`../../../test/fixtures/interchange/keras/${file}`, import.meta.url).pathname;

describe("loadKeras on models saved by Keras 3", () => {
  for (const name of ["mlp", "cnn", "recurrent", "bidirectional", "functional", "attention"]) {
    it(name, async () => {
      const model = await loadKeras(fixture(`${name}.keras`));
      const { tensors } = await readSafetensors(fixture(`${name}.io.safetensors`));
      const inputs = [...tensors.keys()]
        .filter((k) => k.startsWith("input_"))
        .sort()
        .map((k) => tensors.get(k)!);
      const got = model.apply(inputs.length === 1 ? inputs[0]! : inputs);
      const want = tensors.get("output")!;
      assert.deepEqual([...got.shape], [...want.shape]);
      let max = 0;
      for (let i = 0; i < want.size; i++)
        max = Math.max(max, Math.abs(Number(got.data[i]) - Number(want.data[i])));
      if (process.env.TESSERA_ONNX_REPORT) console.log(`keras ${name}: max abs diff ${max.toExponential(2)}`);
      assert.ok(max <= TOLERANCE, `${name}: max |diff| ${max}`);
    });
  }
});
