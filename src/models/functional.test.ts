import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../test/helpers/layer-harness.js";
import {
  add,
  backward,
  deserializeLayer,
  Functional,
  input,
  layers,
  model,
  noGrad,
  randn,
  ShapeError,
  sequential,
  sum,
  tensor,
  ValueError,
} from "../index.js";

describe("functional model", () => {
  it("runs several inputs and outputs", () => {
    const a = input({ shape: [3], name: "a" });
    const b = input({ shape: [2], name: "b" });
    const da = layers.dense({ units: 4, name: "da" });
    const joined = layers.concatenate().apply([da.apply(a), b]);
    const out1 = layers.dense({ units: 1, name: "out1" }).apply(joined);
    const out2 = layers.dense({ units: 2, activation: "softmax", name: "out2" }).apply(joined);
    const m = model({ inputs: [a, b], outputs: [out1, out2] });
    assert.deepEqual(m.inputNames, ["a", "b"]);
    assert.deepEqual(m.outputNames, ["out1", "out2"]);
    assert.deepEqual(m.outputShapes, [
      [null, 1],
      [null, 2],
    ]);
    const xa = randn([5, 3]);
    const xb = randn([5, 2]);
    const [y1, y2] = m.applyMulti([xa, xb]);
    assert.deepEqual(y1!.shape, [5, 1]);
    assert.deepEqual(y2!.shape, [5, 2]);
    // same values as calling the layers by hand
    const j = layers.concatenate().apply([da.apply(xa), xb]);
    assert.deepEqual([...y1!.data], [...m.getLayer("out1").apply(j).data]);
    assert.throws(() => m.apply([xa, xb]), /has 2 outputs; use applyMulti/);
    assert.throws(() => m.applyMulti([xa]), /expected 2 input tensor\(s\) \(got 1\)/);
    assert.throws(() => m.applyMulti([randn([5, 4]), xb]), ShapeError);
  });

  it("shares a layer used twice: one set of weights, gradients from both uses", () => {
    const x1 = input({ shape: [2] });
    const x2 = input({ shape: [2] });
    const shared = layers.dense({ units: 1, useBias: false, name: "shared" });
    const m = model({ inputs: [x1, x2], outputs: layers.add().apply([shared.apply(x1), shared.apply(x2)]) });
    assert.equal(m.weights.length, 1);
    assert.equal(m.countParams(), 2);
    const y = m.apply([tensor([[1, 2]]), tensor([[3, 4]])]);
    backward(sum(y));
    // y = (x1 + x2) . w, so dy/dw = x1 + x2
    assert.deepEqual([...shared.kernel!.grad!.data], [4, 6]);
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    // the add layer is connected to both calls of the shared layer: nodes 0 and 1
    const addRow = lines.findIndex((l) => l.startsWith("│ add (Add)"));
    assert.match(lines[addRow]!, /│ shared\[0\]\[0\],\s+│$/);
    assert.match(lines[addRow + 1]!, /│ shared\[1\]\[0\]\s+│$/);
  });

  it("nests models: a model is a layer, its weights are shared with the outer model", () => {
    const inner = sequential(
      [layers.dense({ units: 3, activation: "relu", inputShape: [4] }), layers.dense({ units: 2 })],
      { name: "encoder" },
    );
    const x = input({ shape: [4] });
    const z = inner.apply(x);
    assert.deepEqual(z.shape, [null, 2]);
    const outer = model({ inputs: x, outputs: layers.dense({ units: 1, name: "head" }).apply(z) });
    assert.equal(outer.countParams(), 4 * 3 + 3 + 3 * 2 + 2 + 3);
    assert.equal(outer.weights[0], inner.weights[0]);
    const data = randn([3, 4]);
    assert.deepEqual([...outer.apply(data).data], [...outer.getLayer("head").apply(inner.apply(data)).data]);
    inner.trainable = false;
    assert.equal(outer.trainableWeights.length, 2);
    // a functional model nested in a functional model
    const y = input({ shape: [4] });
    const twice = model({ inputs: y, outputs: outer.apply(y) });
    assert.equal(twice.countParams(), outer.countParams());
  });

  it("propagates the training flag to inner layers", () => {
    const x = input({ shape: [50] });
    const m = model({ inputs: x, outputs: layers.dropout({ rate: 0.5, seed: 1 }).apply(x) });
    const ones = tensor(new Float32Array(50).fill(1), { shape: [1, 50] });
    assert.deepEqual([...m.apply(ones).data], [...ones.data]);
    const trained = m.apply(ones, { training: true });
    assert.ok(trained.data.some((v) => v === 0) && trained.data.some((v) => v === 2));
  });

  it("reports disconnected graphs, duplicate names and non-input inputs", () => {
    const a = input({ shape: [2] });
    const b = input({ shape: [2] });
    const y = layers.add().apply([a, b]);
    assert.throws(() => model({ inputs: a, outputs: y }), /graph disconnected/);
    const h = layers.dense({ units: 2, name: "same" }).apply(a);
    const o = layers.dense({ units: 2, name: "same" }).apply(h);
    assert.throws(() => model({ inputs: a, outputs: o }), /the name "same" is used 2 times/);
    assert.throws(() => model({ inputs: h, outputs: o }), /inputs must come from input\(\)/);
    assert.throws(() => model({ inputs: a, outputs: [] }), ValueError);
  });

  it("round-trips its config (shared layer, nested model, two outputs) to the same outputs", () => {
    const x = input({ shape: [3] });
    const inner = sequential([layers.dense({ units: 4, inputShape: [3] })], { name: "inner" });
    const shared = layers.dense({ units: 4, activation: "tanh" });
    const h = shared.apply(shared.apply(inner.apply(x)));
    const m = model({ inputs: x, outputs: [layers.dense({ units: 1 }).apply(h), h], name: "graph" });
    const config = JSON.parse(JSON.stringify({ className: m.className, config: m.getConfig() }));
    const again = deserializeLayer(config) as Functional;
    assert.ok(again instanceof Functional);
    assert.equal(again.name, "graph");
    assert.deepEqual(
      again.weightEntries().map((w) => w.path),
      m.weightEntries().map((w) => w.path),
    );
    again.setWeights(m.getWeights());
    const data = randn([2, 3]);
    const want = noGrad(() => m.applyMulti(data));
    const got = noGrad(() => again.applyMulti(data));
    assert.equal(got.length, 2);
    for (let i = 0; i < 2; i++) assert.deepEqual([...got[i]!.data], [...want[i]!.data]);
    assert.deepEqual(again.getConfig(), m.getConfig());
  });

  it("rejects configs that cannot be replayed", () => {
    const x = input({ shape: [2] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1, name: "d" }).apply(x) });
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    config.layers[1].inboundNodes[0].inputs[0][0] = "missing";
    assert.throws(
      () => deserializeLayer({ className: "Functional", config }),
      /cannot replay the calls of layer "d"/,
    );
  });

  it("collects regularization losses from every layer and applies constraints", () => {
    const x = input({ shape: [2] });
    const d = layers.dense({ units: 2, kernelRegularizer: "l2", kernelConstraint: "non_neg" });
    const m = model({
      inputs: x,
      outputs: layers.dense({ units: 1, kernelRegularizer: "l1" }).apply(d.apply(x)),
    });
    assert.equal(m.losses.length, 2);
    d.setWeights([
      tensor([
        [-1, 1],
        [1, 1],
      ]),
      tensor([0, 0]),
    ]);
    m.applyConstraints();
    assert.deepEqual([...d.kernel!.data], [0, 1, 1, 1]);
    const total = m.regularizationLoss();
    const expected = add(m.losses[0]!, m.losses[1]!).item();
    assert.ok(Math.abs(total.item() - expected) < 1e-7);
  });

  it("passes the layer harness as a layer (two inputs)", () => {
    runLayerTest(
      (dtype) => {
        const a = input({ shape: [3] });
        const b = input({ shape: [3] });
        const h = layers
          .multiply({ dtype })
          .apply([layers.dense({ units: 3, activation: "sigmoid", dtype }).apply(a), b]);
        return model({ inputs: [a, b], outputs: layers.dense({ units: 2, dtype }).apply(h) });
      },
      {
        inputShape: [
          [2, 3],
          [2, 3],
        ],
        expectedOutputShape: [2, 2],
        expectedParams: 12 + 8,
      },
    );
  });
});
