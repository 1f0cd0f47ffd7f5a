// io/onnx/load-onnx.test: ONNX import for inference. Models exported by exportOnnx come back and
// predict as the original does; an unsupported operator is named with its node; corrupt bytes are
// a FormatError, never a crash (checked on random and truncated input).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { charGpt } from "../../../examples/char-gpt/train.js";
import { FormatError } from "../../core/errors.js";
import { seed } from "../../core/random.js";
import type { Model } from "../../models/model.js";
import { sequential } from "../../models/sequential.js";
import * as layers from "../../nn/layers/index.js";
import { input } from "../../nn/layers/input.js";
import { randint, randn } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { modelToOnnx } from "./export-onnx.js";
import { OnnxGraph } from "./graph-builder.js";
import { loadOnnx, parseOnnx } from "./load-onnx.js";
import { maxAbsDiff, perturbWeights } from "./onnx-parity.js";
import { OnnxDataType } from "./onnx-proto.js";

const TOLERANCE = 1e-5;

const ROUND_TRIPS: Record<string, () => [Model, Tensor]> = {
  mlp: () => [
    sequential([
      input({ shape: [5] }),
      layers.dense({ units: 8, activation: "gelu" }),
      layers.dense({ units: 3, activation: "softmax" }),
    ]),
    randn([4, 5]),
  ],
  cnn: () => [
    sequential([
      input({ shape: [8, 8, 2] }),
      layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", strides: 2 }),
      layers.batchNormalization(),
      layers.maxPooling2d({ padding: "same" }),
      layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: "same" }),
      layers.averagePooling2d({ padding: "same" }),
      layers.upSampling2d({ interpolation: "bilinear" }),
      layers.globalAveragePooling2d(),
    ]),
    randn([3, 8, 8, 2]),
  ],
  recurrent: () => [
    sequential([
      input({ shape: [6, 3] }),
      layers.bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true }) }),
      layers.gru({ units: 3, returnSequences: true, goBackwards: true }),
      layers.simpleRNN({ units: 2 }),
    ]),
    randn([2, 6, 3]),
  ],
  "char-gpt": () => [
    charGpt({ vocabularySize: 20, context: 8, width: 8, layers: 1, heads: 2 }),
    randint(0, 20, [2, 8]),
  ],
};

describe("loadOnnx on models exportOnnx wrote", () => {
  for (const [name, make] of Object.entries(ROUND_TRIPS)) {
    it(name, () => {
      seed(11);
      const [m, x] = make();
      perturbWeights(m, 0.2);
      const imported = parseOnnx(modelToOnnx(m), name);
      const d = maxAbsDiff(imported.predict(x), m.apply(x));
      assert.ok(d <= TOLERANCE, `${name}: max |diff| ${d}`);
    });
  }

  it("reads a file and describes its inputs and outputs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-onnx-"));
    try {
      const m = sequential([
        input({ shape: [3], name: "features" }),
        layers.dense({ units: 2, name: "scores" }),
      ]);
      await writeFile(join(dir, "m.onnx"), modelToOnnx(m));
      const loaded = await loadOnnx(join(dir, "m.onnx"));
      assert.deepEqual(loaded.inputs, [{ name: "features", dtype: "float32", shape: [null, 3] }]);
      assert.equal(loaded.outputs[0]!.name, "scores");
      assert.equal(loaded.opset, 17);
      assert.equal(loaded.producer, "tessera-ml");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("loadOnnx errors", () => {
  it("names an unsupported operator and its node", () => {
    const g = new OnnxGraph();
    const x = g.input("x", OnnxDataType.FLOAT, [2, 2]);
    g.output(g.node("GridSample", [x, x], {}, 1, "mix")[0]!, "y", OnnxDataType.FLOAT, [2, 2]);
    assert.throws(
      () => parseOnnx(g.encode("g", ""), "m.onnx"),
      /m\.onnx: node 0 "mix\/GridSample#node" \(GridSample\): unsupported ONNX operator GridSample/,
    );
  });

  it("rejects a value used before it is produced", () => {
    const g = new OnnxGraph();
    g.input("x", OnnxDataType.FLOAT, [1]);
    g.output(g.op("Relu", ["nowhere"]), "y", OnnxDataType.FLOAT, [1]);
    assert.throws(
      () => parseOnnx(g.encode("g", ""), "m.onnx"),
      /input "nowhere" is not produced before this node/,
    );
  });

  it("gives the same result on every run (attributes are not changed by a run)", () => {
    const g = new OnnxGraph();
    const x = g.input("x", OnnxDataType.FLOAT, [1, 1, 5, 5]);
    const pooled = g.op("MaxPool", [x], {
      kernel_shape: [2, 2],
      strides: [2, 2],
      ceil_mode: 1,
      pads: [0, 0, 0, 0],
    });
    g.output(pooled, "y", OnnxDataType.FLOAT, [1, 1, 3, 3]);
    const m = parseOnnx(g.encode("g", ""), "pool.onnx");
    const input = randn([1, 1, 5, 5]);
    const first = m.predict(input);
    assert.deepEqual([...first.shape], [1, 1, 3, 3]);
    assert.equal(maxAbsDiff(m.predict(input), first), 0);
  });

  it("refuses a graph that asks for a huge tensor", () => {
    const g = new OnnxGraph();
    const x = g.input("x", OnnxDataType.FLOAT, [1]);
    const big = g.op("ConstantOfShape", [g.ints([1 << 20, 1 << 20])]);
    g.output(g.op("Add", [big, x]), "y", OnnxDataType.FLOAT, [null]);
    const m = parseOnnx(g.encode("g", ""), "big.onnx");
    assert.throws(
      () => m.predict(new Tensor(Float32Array.of(1), [1])),
      /refusing to create a tensor of shape \[1048576,1048576\]/,
    );
  });

  it("rejects corrupt, truncated and random bytes with a FormatError", () => {
    const good = modelToOnnx(sequential([input({ shape: [3] }), layers.dense({ units: 2 })]));
    for (const cut of [1, 7, Math.floor(good.length / 2), good.length - 3]) {
      assert.throws(() => parseOnnx(good.subarray(0, cut), "cut.onnx"), FormatError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          parseOnnx(bytes, "random.onnx");
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
