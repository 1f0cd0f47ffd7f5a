// io/onnx/export-onnx.test: every exportable layer type in a small model, exported to ONNX and run
// in onnxruntime-node; outputs must match Tessera's own forward pass within 1e-5 (float32). Also
// the errors for what ONNX cannot express, and the file written by exportOnnx.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { seed } from "../../core/random.js";
import { model } from "../../models/functional.js";
import type { Model } from "../../models/model.js";
import { sequential } from "../../models/sequential.js";
import type { Layer } from "../../nn/layer.js";
import { Dot } from "../../nn/layers/dot.js";
import * as layers from "../../nn/layers/index.js";
import { input } from "../../nn/layers/input.js";
import { randint, randn } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { exportOnnx } from "./export-onnx.js";
import { onnxParity, perturbWeights } from "./onnx-parity.js";

/** float32 tolerance of the parity check. */
const TOLERANCE = 1e-5;

/** Randomises every weight a little so that zero biases and unit scales do not hide layout errors. */

function stack(shape: number[], ...ls: Layer[]): Model {
  return perturbWeights(sequential([input({ shape }), ...ls]), 0.3);
}

/** Name -> model and inputs (batch 3, so the dynamic batch axis is exercised with a batch != 1). */
const CASES: Record<string, () => [Model, Tensor[]]> = {
  dense: () => [
    stack([5], layers.dense({ units: 4, activation: "relu" }), layers.dense({ units: 2 })),
    [randn([3, 5])],
  ],
  activations: () => {
    const names = [
      "sigmoid",
      "tanh",
      "softmax",
      "log_softmax",
      "elu",
      "selu",
      "gelu",
      "leaky_relu",
      "softplus",
      "softsign",
      "swish",
      "relu6",
      "hard_sigmoid",
      "hard_swish",
      "mish",
      "exponential",
      "log_sigmoid",
      "tanh_shrink",
    ] as const;
    return [stack([6], ...names.map((a) => layers.dense({ units: 6, activation: a }))), [randn([3, 6])]];
  },
  "dropout+noise+flatten+reshape+permute+repeatVector": () => [
    stack(
      [2, 3, 4],
      layers.dropout({ rate: 0.5 }),
      layers.gaussianNoise({ stddev: 0.1 }),
      layers.permute({ dims: [3, 1, 2] }),
      layers.reshape({ targetShape: [4, 6] }),
      layers.flatten(),
      layers.repeatVector({ n: 2 }),
    ),
    [randn([3, 2, 3, 4])],
  ],
  merges: () => {
    const a = input({ shape: [4] });
    const b = input({ shape: [4] });
    const outs = [
      layers.add(),
      layers.subtract(),
      layers.multiply(),
      layers.average(),
      layers.maximum(),
      layers.minimum(),
    ].map((l) => l.apply([a, b]));
    const y = layers.concatenate().apply(outs);
    return [perturbWeights(model({ inputs: [a, b], outputs: y }), 0.3), [randn([3, 4]), randn([3, 4])]];
  },
  dot: () => {
    const a = input({ shape: [4, 3] });
    const b = input({ shape: [5, 3] });
    const cosine = new Dot({ axes: 2, normalize: true }).apply([a, b]); // (B, 4, 5)
    const u = input({ shape: [6] });
    const v = input({ shape: [6] });
    const score = new Dot({ axes: 1 }).apply([u, v]); // (B, 1)
    return [
      perturbWeights(model({ inputs: [a, b, u, v], outputs: [cosine, score] }), 0.3),
      [randn([3, 4, 3]), randn([3, 5, 3]), randn([3, 6]), randn([3, 6])],
    ];
  },
  conv1d: () => [
    stack(
      [9, 3],
      layers.conv1d({ filters: 4, kernelSize: 3, padding: "causal", dilationRate: 2 }),
      layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, padding: "same", activation: "tanh" }),
      layers.maxPooling1d(),
      layers.averagePooling1d({ poolSize: 2, padding: "same" }),
    ),
    [randn([3, 9, 3])],
  ],
  conv2d: () => [
    stack(
      [7, 6, 3],
      layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", strides: 2 }),
      layers.conv2d({ filters: 4, kernelSize: [2, 3], groups: 2, activation: "relu" }),
    ),
    [randn([3, 7, 6, 3])],
  ],
  "conv2d channels_first": () => [
    stack(
      [3, 6, 5],
      layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: "channels_first" }),
      layers.maxPooling2d({ dataFormat: "channels_first", padding: "same" }),
    ),
    [randn([3, 3, 6, 5])],
  ],
  conv2dTranspose: () => [
    stack(
      [4, 5, 3],
      layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: "same" }),
      layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 3 }),
      layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: "same", outputPadding: 1 }),
    ),
    [randn([3, 4, 5, 3])],
  ],
  "depthwise+separable": () => [
    stack(
      [6, 6, 3],
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: "same" }),
      layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, activation: "relu" }),
    ),
    [randn([3, 6, 6, 3])],
  ],
  pooling: () => [
    stack(
      [8, 7, 2],
      layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }),
      layers.averagePooling2d({ poolSize: 2, padding: "same" }),
      layers.zeroPadding2d({
        padding: [
          [1, 0],
          [2, 1],
        ],
      }),
      layers.cropping2d({
        cropping: [
          [0, 1],
          [1, 0],
        ],
      }),
      layers.upSampling2d({ size: [2, 3] }),
      layers.upSampling2d({ interpolation: "bilinear" }),
      layers.globalAveragePooling2d(),
    ),
    [randn([3, 8, 7, 2])],
  ],
  "global pooling": () => {
    const x = input({ shape: [5, 4] });
    const outs = [layers.globalMaxPooling1d().apply(x), layers.globalAveragePooling1d().apply(x)];
    return [
      perturbWeights(model({ inputs: x, outputs: layers.concatenate().apply(outs) }), 0.3),
      [randn([3, 5, 4])],
    ];
  },
  normalisation: () => [
    stack(
      [5, 8],
      layers.batchNormalization(),
      layers.layerNormalization(),
      layers.layerNormalization({ axis: [1, 2] }),
      layers.rmsNormalization(),
      layers.groupNormalization({ groups: 4 }),
    ),
    [randn([3, 5, 8])],
  ],
  lstm: () => [
    stack(
      [6, 3],
      layers.lstm({ units: 4, returnSequences: true }),
      layers.lstm({ units: 3, goBackwards: true }),
    ),
    [randn([3, 6, 3])],
  ],
  "lstm goBackwards sequences": () => [
    stack([5, 2], layers.lstm({ units: 3, returnSequences: true, goBackwards: true })),
    [randn([3, 5, 2])],
  ],
  gru: () => [
    stack(
      [6, 3],
      layers.gru({ units: 4, returnSequences: true }),
      layers.gru({ units: 3, resetAfter: false }),
    ),
    [randn([3, 6, 3])],
  ],
  simpleRNN: () => [
    stack(
      [6, 3],
      layers.simpleRNN({ units: 4, returnSequences: true }),
      layers.simpleRNN({ units: 3, activation: "relu" }),
    ),
    [randn([3, 6, 3])],
  ],
  bidirectional: () => [
    stack(
      [5, 3],
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }) }),
      layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode: "sum" }),
    ),
    [randn([3, 5, 3])],
  ],
  "lstm returnState": () => {
    const x = input({ shape: [4, 2] });
    const outs = layers.lstm({ units: 3, returnState: true }).applyMulti(x);
    return [perturbWeights(model({ inputs: x, outputs: outs }), 0.3), [randn([3, 4, 2])]];
  },
  timeDistributed: () => [
    stack([4, 5], layers.timeDistributed({ layer: layers.dense({ units: 2, activation: "tanh" }) })),
    [randn([3, 4, 5])],
  ],
  multiHeadAttention: () => {
    const q = input({ shape: [4, 6] });
    const v = input({ shape: [5, 3] });
    const y = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2 }).apply([q, v]);
    const causal = layers.multiHeadAttention({ numHeads: 3, keyDim: 2, useCausalMask: true }).apply(y);
    return [
      perturbWeights(model({ inputs: [q, v], outputs: causal }), 0.3),
      [randn([3, 4, 6]), randn([3, 5, 3])],
    ];
  },
  "embedding+transformer": () => {
    const ids = input({ shape: [6], dtype: "int32" });
    const enc = layers
      .transformerEncoder({ intermediateDim: 8, numHeads: 2 })
      .apply(layers.embedding({ inputDim: 11, outputDim: 4 }).apply(ids));
    const tok = layers
      .tokenAndPositionEmbedding({ vocabularySize: 11, sequenceLength: 8, embeddingDim: 4 })
      .apply(ids);
    const dec = layers
      .transformerDecoder({ intermediateDim: 8, numHeads: 2, normalizeFirst: true })
      .apply([tok, enc]);
    const pos = layers.add().apply([dec, layers.positionEmbedding({ sequenceLength: 6 }).apply(dec)]);
    return [perturbWeights(model({ inputs: ids, outputs: pos }), 0.3), [randint(0, 11, [3, 6])]];
  },
};

describe("exportOnnx parity with onnxruntime-node", () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, async () => {
      seed(7);
      const [m, inputs] = make();
      const { maxAbsDiff } = await onnxParity(m, inputs);
      for (const d of maxAbsDiff) assert.ok(d <= TOLERANCE, `${name}: max |diff| ${d} > ${TOLERANCE}`);
      if (process.env.TESSERA_ONNX_REPORT)
        console.log(
          `onnx parity ${name}: max abs diff ${maxAbsDiff.map((d) => d.toExponential(2)).join(", ")}`,
        );
    });
  }
});

describe("exportOnnx errors and file", () => {
  it("names the layer that cannot be exported", async () => {
    const m = sequential([input({ shape: [4, 2] }), layers.masking(), layers.lstm({ units: 2 })]);
    await assert.rejects(
      exportOnnx(m, join(tmpdir(), "never.onnx")),
      /layer "masking[^"]*" \(Masking\) cannot be exported to ONNX: masks/,
    );
  });

  it("rejects an unbuilt model", async () => {
    await assert.rejects(
      exportOnnx(sequential([layers.dense({ units: 2 })]), join(tmpdir(), "never.onnx")),
      /not built/,
    );
  });

  it("writes a file onnxruntime loads with a dynamic batch axis", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-onnx-"));
    try {
      seed(1);
      const m = stack([3], layers.dense({ units: 2 }));
      const path = join(dir, "m.onnx");
      await exportOnnx(m, path);
      const ort = await import("onnxruntime-node");
      const session = await ort.InferenceSession.create(await readFile(path));
      for (const batch of [1, 5]) {
        const out = await session.run({
          [session.inputNames[0]!]: new ort.Tensor("float32", new Float32Array(batch * 3), [batch, 3]),
        });
        assert.deepEqual(out[session.outputNames[0]!]!.dims, [batch, 2]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
