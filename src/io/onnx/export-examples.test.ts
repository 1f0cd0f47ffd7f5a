// io/onnx/export-examples.test: the networks of the examples (examples/*), exported to ONNX and
// run in onnxruntime-node against Tessera's forward pass (within 1e-5), and `tessera export` on a
// saved model directory. The examples are built untrained (training is their own tests' job);
// their weights are randomised so that every parameter matters.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { charGpt } from "../../../examples/char-gpt/train.js";
import { digitsCnn } from "../../../examples/digits-cnn/train.js";
import { forecaster, WINDOW } from "../../../examples/sunspots-lstm/train.js";
import { buildModel } from "../../cli/experiment.js";
import { main } from "../../cli/main.js";
import { parseSpec } from "../../cli/spec.js";
import { seed } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import { sequential } from "../../models/sequential.js";
import * as layers from "../../nn/layers/index.js";
import { randint, randn } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { saveModel } from "../save-model.js";
import type { JsonValue } from "../strict-json.js";
import { onnxParity, perturbWeights } from "./onnx-parity.js";

const TOLERANCE = 1e-5;

function specModel(
  example: string,
  features: number,
  task: "regression" | "classification",
  classes: number,
): Model {
  const path = new URL(`../../../examples/${example}/spec.json`, import.meta.url);
  const spec = parseSpec(JSON.parse(readFileSync(path, "utf8")) as JsonValue, path.pathname, example);
  return buildModel(spec, features, task, classes, example);
}

const EXAMPLES: Record<string, () => [Model, Tensor[]]> = {
  "char-gpt": () => [
    charGpt({ vocabularySize: 30, context: 16, width: 16, layers: 2, heads: 2 }),
    [randint(0, 30, [2, 16])],
  ],
  "char-gpt (shorter prompt)": () => [
    charGpt({ vocabularySize: 30, context: 16, width: 16, layers: 1, heads: 4 }),
    [randint(0, 30, [3, 5])],
  ],
  "digits-cnn": () => [digitsCnn(), [randn([4, 8, 8, 1])]],
  "sunspots-lstm": () => [forecaster(WINDOW), [randn([4, WINDOW, 1])]],
  "house-prices": () => [specModel("house-prices", 12, "regression", 0), [randn([5, 12])]],
  iris: () => [specModel("iris", 4, "classification", 3), [randn([5, 4])]],
  quickstart: () => [
    sequential([
      layers.dense({ units: 16, activation: "relu", inputShape: [6] }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 1, activation: "sigmoid" }),
    ]),
    [randn([5, 6])],
  ],
};

describe("exportOnnx on the example networks", () => {
  for (const [name, make] of Object.entries(EXAMPLES)) {
    it(name, async () => {
      seed(3);
      const [m, inputs] = make();
      const { maxAbsDiff } = await onnxParity(perturbWeights(m, 0.1), inputs);
      for (const d of maxAbsDiff) assert.ok(d <= TOLERANCE, `${name}: max |diff| ${d} > ${TOLERANCE}`);
      if (process.env.TESSERA_ONNX_REPORT)
        console.log(`onnx parity example ${name}: max abs diff ${maxAbsDiff[0]!.toExponential(2)}`);
    });
  }
});

describe("tessera export", () => {
  it("writes a saved model as ONNX that onnxruntime runs like Tessera", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-export-"));
    try {
      seed(5);
      const m = perturbWeights(digitsCnn(), 0.1);
      await saveModel(m, join(dir, "model"));
      const out = join(dir, "digits.onnx");
      let stdout = "";
      const io = { out: (t: string) => void (stdout += t), err: () => {}, stdin: async () => "" };
      const code = await main(["export", join(dir, "model"), "--format", "onnx", "--out", out], io.out, io);
      assert.equal(code, 0);
      assert.match(stdout, /wrote .*digits\.onnx \(ONNX opset 17\)/);
      const ort = await import("onnxruntime-node");
      const session = await ort.InferenceSession.create(await readFile(out));
      const x = randn([2, 8, 8, 1]);
      const result = await session.run({
        [session.inputNames[0]!]: new ort.Tensor("float32", x.data as Float32Array, [2, 8, 8, 1]),
      });
      const want = m.apply(x);
      const got = result[session.outputNames[0]!]!.data as Float32Array;
      for (let i = 0; i < want.size; i++) assert.ok(Math.abs(got[i]! - Number(want.data[i])) <= TOLERANCE);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown format with a usage error", async () => {
    let err = "";
    const io = { out: () => {}, err: (t: string) => void (err += t), stdin: async () => "" };
    const code = await main(["export", "nowhere", "--format", "tflite", "--out", "x"], io.out, io);
    assert.equal(code, 2);
    assert.match(err, /--format must be "onnx" or "torch" \(got "tflite"\)/);
  });
});
