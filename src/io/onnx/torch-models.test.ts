// io/onnx/torch-models.test: ONNX files exported from PyTorch 2.13 (torch.onnx.export) of an MLP,
// a CNN, an LSTM/GRU stack and a transformer encoder, loaded with loadOnnx and compared with the
// output PyTorch computed. The fixtures and the script that made them are in
// test/fixtures/onnx/ (make-torch-fixtures.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeTensor } from "./import/onnx-values.js";
import { loadOnnx } from "./load-onnx.js";

/** float32 through a different order of operations than PyTorch's kernels. */
const TOLERANCE = 1e-5;
const dir = new URL("../../../test/fixtures/onnx/torch/", import.meta.url);
const read = (file: string) => decodeTensor(new Uint8Array(readFileSync(new URL(file, dir))), file);

describe("loadOnnx on models exported from PyTorch", () => {
  for (const name of ["mlp", "cnn", "lstm", "transformer"]) {
    it(name, async () => {
      const model = await loadOnnx(new URL(`${name}.onnx`, dir).pathname);
      const want = read(`${name}.output.pb`);
      const got = model.predict(read(`${name}.input.pb`));
      assert.deepEqual(got.shape, want.shape);
      let max = 0;
      for (let i = 0; i < want.size; i++)
        max = Math.max(max, Math.abs(Number(got.data[i]) - Number(want.data[i])));
      if (process.env.TESSERA_ONNX_REPORT) console.log(`torch ${name}: max abs diff ${max.toExponential(2)}`);
      assert.ok(max <= TOLERANCE, `${name}: max |diff| ${max}`);
    });
  }
});
