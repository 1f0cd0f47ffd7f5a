import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../../index.js";
import { getLoss } from "../losses/index.js";
import { Accuracy, getMetric, metrics } from "./index.js";

describe("binaryAccuracy", () => {
  it("thresholds predictions at 0.5 and counts matches", () => {
    const m = metrics.binaryAccuracy();
    m.update(tensor([[1], [0], [1], [0]]), tensor([[0.9], [0.6], [0.4], [0.1]]));
    assert.equal(m.result(), 2 / 4);
    m.update(tensor([1, 1]), tensor([[0.7], [0.8]])); // [B] labels with [B, 1] predictions
    assert.equal(m.result(), 4 / 6);
    m.reset();
    assert.equal(m.result(), 0);
    assert.equal(m.name, "binary_accuracy");
  });

  it("honours threshold and sample weights", () => {
    const m = metrics.binaryAccuracy({ threshold: 0.7 });
    // matches: 0.9 -> 1 (yes), 0.6 -> 0 (yes, label 0), 0.65 -> 0 (no, label 1)
    m.update(tensor([1, 0, 1]), tensor([0.9, 0.6, 0.65]), tensor([1, 2, 3]));
    assert.equal(m.result(), (1 * 1 + 2 * 1 + 3 * 0) / 6);
  });
});

describe("categorical and sparse categorical accuracy", () => {
  const probs = tensor([
    [0.1, 0.7, 0.2],
    [0.5, 0.3, 0.2],
    [0.2, 0.2, 0.6],
  ]);

  it("categorical compares argmaxes", () => {
    const m = metrics.categoricalAccuracy();
    m.update(
      tensor([
        [0, 1, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
      probs,
    );
    assert.equal(m.result(), 2 / 3);
  });

  it("sparse takes int32 or float labels, [B] or [B, 1]", () => {
    const m = metrics.sparseCategoricalAccuracy();
    m.update(tensor([1, 1, 2], { dtype: "int32" }), probs);
    assert.equal(m.result(), 2 / 3);
    m.update(tensor([[1], [0], [2]]), probs);
    assert.equal(m.result(), 5 / 6);
    assert.throws(() => m.update(tensor([1, 1]), probs), /labels must have shape \[3\]/);
  });

  it("top-k counts the label among the k best (ties included)", () => {
    const m = metrics.topKCategoricalAccuracy({ k: 2 });
    m.update(
      tensor([
        [0, 0, 1], // score 0.2, one higher (0.7) -> in top 2
        [0, 0, 1], // score 0.2, two higher -> out
        [1, 0, 0], // score 0.2 tied with 0.2, one higher (0.6) -> in
      ]),
      probs,
    );
    assert.equal(m.result(), 2 / 3);
    const sparse = metrics.sparseTopKCategoricalAccuracy({ k: 1 });
    sparse.update(tensor([1, 0, 0], { dtype: "int32" }), probs);
    assert.equal(sparse.result(), 2 / 3);
  });
});

describe('"accuracy"', () => {
  it("picks the kind from the shapes of the first batch (Keras 3)", () => {
    const binary = new Accuracy();
    binary.update(tensor([[1], [0]]), tensor([[0.8], [0.3]]));
    assert.equal(binary.resolvedKind, "binary");
    assert.equal(binary.result(), 1);

    const sparse = new Accuracy();
    sparse.update(
      tensor([2, 0]),
      tensor([
        [0.1, 0.2, 0.7],
        [0.3, 0.6, 0.1],
      ]),
    );
    assert.equal(sparse.resolvedKind, "sparse");
    assert.equal(sparse.result(), 0.5);

    const flat = new Accuracy();
    flat.update(tensor([1, 0, 1]), tensor([0.8, 0.3, 0.2]));
    assert.equal(flat.resolvedKind, "binary");
    assert.equal(flat.result(), 2 / 3);

    const categorical = new Accuracy();
    categorical.update(tensor([[0, 0, 1]]), tensor([[0.1, 0.2, 0.7]]));
    assert.equal(categorical.resolvedKind, "categorical");
  });

  it("getMetric keeps the spelling as the name and reads the loss", () => {
    const acc = getMetric("acc", { loss: getLoss("sparse_categorical_crossentropy") }) as Accuracy;
    assert.equal(acc.name, "acc");
    assert.equal(acc.resolvedKind, "sparse");
    const bin = getMetric("accuracy", { outputShape: [null as unknown as number, 1] }) as Accuracy;
    assert.equal(bin.resolvedKind, "binary");
    const multiLabel = getMetric("accuracy", { loss: getLoss("binary_crossentropy") }) as Accuracy;
    assert.equal(multiLabel.resolvedKind, "binary");
  });
});

describe("mean and getMetric", () => {
  it("mean is a weighted running mean of values", () => {
    const loss = metrics.mean({ name: "loss" });
    loss.update(0.5, 32);
    loss.update(0.2, 16);
    assert.equal(loss.result(), (0.5 * 32 + 0.2 * 16) / 48);
    loss.update(tensor([1, 3]));
    assert.equal(loss.result(), (0.5 * 32 + 0.2 * 16 + 4) / 50);
    assert.equal(loss.name, "loss");
  });

  it("resolves names, loss names and functions", () => {
    assert.equal(getMetric("mae").name, "mae");
    const bce = getMetric("binary_crossentropy");
    bce.update(tensor([[1], [0]]), tensor([[0.5], [0.5]]));
    assert.ok(Math.abs(bce.result() - Math.log(2)) < 1e-6);
    const custom = getMetric(function absError(t, p) {
      return p.sub(t).abs();
    });
    custom.update(tensor([[1], [2]]), tensor([[2], [2]]));
    assert.equal(custom.name, "absError");
    assert.equal(custom.result(), 0.5);
    assert.throws(() => getMetric("precission"), /getMetric: unknown metric "precission"/);
  });
});
