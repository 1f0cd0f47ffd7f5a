// The expected tables below are real Keras 3 outputs (model.summary() printed to a non-terminal,
// where Keras uses 80 - 4 = 76 columns), reproduced here with the same architectures.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  type CallContext,
  input,
  Layer,
  type LayerInputs,
  type LayerShape,
  layers,
  model,
  randn,
  resetLayerNames,
  type SymbolicShape,
  sequential,
  type Tensor,
  ValueError,
} from "../index.js";
import { formatBytes, formatCount } from "./summary.js";

function capture(run: (print: (line: string) => void) => void): string {
  const lines: string[] = [];
  run((line) => lines.push(line));
  return lines.join("\n");
}

/**
 * Stand-in with Conv1D's name, weights and output shape ("same" padding), so that a real Keras
 * summary containing Conv1D layers can be reproduced; the summary never runs it.
 */
class Conv1D extends Layer {
  static override readonly className = "Conv1D";
  constructor(
    readonly filters: number,
    readonly kernelSize: number,
  ) {
    super();
  }
  override build(shape: LayerShape): void {
    const s = this.singleShape(shape);
    this.addWeight("kernel", [this.kernelSize, s[s.length - 1]!, this.filters]);
    this.addWeight("bias", [this.filters], { initializer: "zeros" });
  }
  override computeOutputShape(shape: LayerShape): SymbolicShape {
    const s = this.singleShape(shape);
    return [...s.slice(0, -1), this.filters];
  }
  override call(_inputs: LayerInputs, _context: CallContext): Tensor {
    throw new ValueError("Conv1D stand-in: not for computing");
  }
}

describe("summary", () => {
  let columns: string | undefined;
  beforeEach(() => {
    columns = process.env.COLUMNS;
    process.env.COLUMNS = "80";
    resetLayerNames();
  });
  afterEach(() => {
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
  });

  it("prints a sequential model like Keras 3 (trainable and non-trainable totals)", () => {
    const m = sequential([
      layers.dense({ units: 128, activation: "relu", inputShape: [63] }),
      layers.batchNormalization(),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 64, activation: "relu" }),
      layers.batchNormalization(),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 26, activation: "softmax" }),
    ]);
    const expected = `Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 128)            │         8,192 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 128)            │           512 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 128)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 64)             │         8,256 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_1           │ (None, 64)             │           256 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout_1 (Dropout)             │ (None, 64)             │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (None, 26)             │         1,690 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 18,906 (73.85 KB)
 Trainable params: 18,522 (72.35 KB)
 Non-trainable params: 384 (1.50 KB)`;
    assert.equal(
      capture((p) => m.summary(p)),
      expected,
    );
  });

  it("prints a branching functional model like Keras 3, with Connected to", () => {
    const xInput = input({ shape: [4, 2], name: "x_input" });
    const xTsInput = input({ shape: [1], name: "x_ts_input" });
    const time = layers.dense({ units: 512 }).apply(xTsInput);
    const image = layers.dense({ units: 128 }).apply(xInput);
    const reshapedTime = layers.reshape({ targetShape: [4, 128] }).apply(time);
    const reshapedImage = layers.reshape({ targetShape: [4, 128] }).apply(image);
    let x = layers.multiply().apply([reshapedTime, reshapedImage]);
    x = layers.activation({ activation: "sigmoid" }).apply(new Conv1D(128, 7).apply(x));
    x = layers.activation({ activation: "sigmoid" }).apply(new Conv1D(128, 5).apply(x));
    x = layers.activation({ activation: "sigmoid" }).apply(new Conv1D(128, 3).apply(x));
    x = layers.dense({ units: 128 }).apply(x);
    const direct = layers.dense({ units: 128 }).apply(xInput);
    const sum = layers.add().apply([x, reshapedTime, direct]);
    const out = new Conv1D(2, 1).apply(sum);
    const m = model({ inputs: [xInput, xTsInput], outputs: out });
    const expected = `Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ x_ts_input          │ (None, 1)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ x_input             │ (None, 4, 2)      │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 512)       │      1,024 │ x_ts_input[0][0]  │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 4, 128)    │        384 │ x_input[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ reshape (Reshape)   │ (None, 4, 128)    │          0 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ reshape_1 (Reshape) │ (None, 4, 128)    │          0 │ dense_1[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ multiply (Multiply) │ (None, 4, 128)    │          0 │ reshape[0][0],    │
│                     │                   │            │ reshape_1[0][0]   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv1d (Conv1D)     │ (None, 4, 128)    │    114,816 │ multiply[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ activation          │ (None, 4, 128)    │          0 │ conv1d[0][0]      │
│ (Activation)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv1d_1 (Conv1D)   │ (None, 4, 128)    │     82,048 │ activation[0][0]  │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ activation_1        │ (None, 4, 128)    │          0 │ conv1d_1[0][0]    │
│ (Activation)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv1d_2 (Conv1D)   │ (None, 4, 128)    │     49,280 │ activation_1[0][… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ activation_2        │ (None, 4, 128)    │          0 │ conv1d_2[0][0]    │
│ (Activation)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_2 (Dense)     │ (None, 4, 128)    │     16,512 │ activation_2[0][… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_3 (Dense)     │ (None, 4, 128)    │        384 │ x_input[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 4, 128)    │          0 │ dense_2[0][0],    │
│                     │                   │            │ reshape[0][0],    │
│                     │                   │            │ dense_3[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv1d_3 (Conv1D)   │ (None, 4, 2)      │        258 │ add[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 264,706 (1.01 MB)
 Trainable params: 264,706 (1.01 MB)
 Non-trainable params: 0 (0.00 B)`;
    assert.equal(
      capture((p) => m.summary(p)),
      expected,
    );
  });

  it("prints a chain-shaped functional model without Connected to, input layer included (Keras 3)", () => {
    const x = input({ shape: [13] });
    const y = layers.dense({ units: 1 }).apply(layers.dense({ units: 64, activation: "relu" }).apply(x));
    const m = model({ inputs: x, outputs: y, name: "regressor" });
    // widths at 88 columns: [39, 31, 18] + padding 2 each = 94, reduced by 10 -> [38, 29, 17]
    const expected = `Model: "regressor"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)             │ (None, 13)                  │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_1 (Dense)                      │ (None, 64)                  │             896 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense (Dense)                        │ (None, 1)                   │              65 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 961 (3.75 KB)
 Trainable params: 961 (3.75 KB)
 Non-trainable params: 0 (0.00 B)`;
    process.env.COLUMNS = "200";
    assert.equal(
      capture((p) => m.summary(p)),
      expected,
    );
  });

  it("shows unbuilt layers with ? and 0 (unbuilt) and nested models as one row", () => {
    const lazy = sequential([layers.dense({ units: 4 }), layers.dense({ units: 2 })], { name: "lazy" });
    const text = capture((p) => lazy.summary(p));
    assert.match(text, /│ dense \(Dense\)\s+│ \?\s+│ +0 \(unbuilt\) │/);
    assert.match(text, / Total params: 0 \(0\.00 B\)/);
    const inner = sequential([layers.dense({ units: 3, inputShape: [5] })], { name: "inner" });
    const x = input({ shape: [5] });
    const outer = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(inner.apply(x)) });
    const nested = capture((p) => outer.summary(p));
    assert.match(nested, /│ inner \(Sequential\)\s+│ \(None, 3\)\s+│\s+18 │/);
    assert.match(nested, / Total params: 22 \(88\.00 B\)/);
  });

  it("adds the optimizer's state to the totals once it is built (Keras 3 after fit)", () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    // e.g. Adam: two slots of 8 scalars each plus its iteration counter
    m.optimizerParams = () => ({ count: 17, bytes: 72 });
    const text = capture((p) => m.summary(p));
    assert.match(
      text,
      /\n Total params: 25 \(104\.00 B\)\n Trainable params: 8 \(32\.00 B\)\n Non-trainable params: 0 \(0\.00 B\)\n Optimizer params: 17 \(72\.00 B\)$/,
    );
  });

  it("prints Optimizer params after compile once fit has built the optimizer's state", async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    m.compile({ optimizer: "adam", loss: "mse" });
    assert.equal(m.optimizerParams(), null);
    assert.doesNotMatch(
      capture((p) => m.summary(p)),
      /Optimizer params/,
      "no state before the first step, as in Keras",
    );
    await m.fit(randn([4, 3]), randn([4, 2]), { epochs: 1, verbose: 0 });
    // Adam: two float32 slots (m, v) of 8 scalars each = 64 B, plus the 8-byte iteration counter.
    assert.deepEqual(m.optimizerParams(), { count: 17, bytes: 72 });
    assert.match(
      capture((p) => m.summary(p)),
      /\n Total params: 25 \(104\.00 B\)\n Trainable params: 8 \(32\.00 B\)\n Non-trainable params: 0 \(0\.00 B\)\n Optimizer params: 17 \(72\.00 B\)$/,
    );
  });

  it("lists the layers of nested models with expandNested (Keras's └ prefix)", () => {
    const x = input({ shape: [4] });
    const inner = sequential([layers.dense({ units: 3, inputShape: [4] }), layers.dense({ units: 2 })], {
      name: "inner",
    });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1, name: "head" }).apply(inner.apply(x)) });
    const expected = `Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 4)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ inner (Sequential)              │ (None, 2)              │            23 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ dense (Dense)              │ (None, 3)              │            15 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ dense_1 (Dense)            │ (None, 2)              │             8 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ head (Dense)                    │ (None, 1)              │             3 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 26 (104.00 B)
 Trainable params: 26 (104.00 B)
 Non-trainable params: 0 (0.00 B)`;
    assert.equal(
      capture((p) => m.summary(p, { expandNested: true })),
      expected,
    );
  });

  it("rejects a line too narrow for the columns", () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    assert.throws(() => m.summary(() => {}, { lineLength: 8 }), /insufficient width/);
  });
});

describe("summary number formats", () => {
  it("groups thousands like Python's {:,}", () => {
    assert.equal(formatCount(0), "0");
    assert.equal(formatCount(999), "999");
    assert.equal(formatCount(1153), "1,153");
    assert.equal(formatCount(12345678), "12,345,678");
  });

  it("formats byte sizes like Keras readable_memory_size", () => {
    assert.equal(formatBytes(0), "0.00 B");
    assert.equal(formatBytes(1023), "1023.00 B");
    assert.equal(formatBytes(1024), "1.00 KB");
    assert.equal(formatBytes(1153 * 4), "4.50 KB");
    // 1152 B = 1.125 KB exactly: Python rounds the tie to even ("1.12"), JS toFixed would give "1.13"
    assert.equal(formatBytes(1152), "1.12 KB");
    assert.equal(formatBytes(1056768), "1.01 MB");
    assert.equal(formatBytes(3 * 1024 ** 3), "3.00 GB");
  });
});
