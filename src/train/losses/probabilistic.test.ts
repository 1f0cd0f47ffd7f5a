import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Tensor, tensor } from "../../index.js";
import { computeLoss, getLoss, losses } from "./index.js";

const TOL = 1e-6;

function close(actual: number, expected: number, tol = TOL): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

function closeAll(actual: Tensor, expected: number[], tol = TOL): void {
  assert.equal(actual.size, expected.length);
  for (let i = 0; i < expected.length; i++) close(actual.data[i]!, expected[i]!, tol);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe("binaryCrossentropy", () => {
  const t = [[1], [0], [1]];
  const p = [[0.9], [0.2], [0.6]];

  it("on probabilities: mean of -(t log p + (1 - t) log(1 - p))", () => {
    const loss = losses.binaryCrossentropy();
    const values = loss.perSample(tensor(t), tensor(p));
    closeAll(values, [-Math.log(0.9), -Math.log(0.8), -Math.log(0.6)]);
    const expected = (-Math.log(0.9) - Math.log(0.8) - Math.log(0.6)) / 3;
    close(computeLoss(loss, tensor(t), tensor(p)).item(), expected);
  });

  it("from logits equals the probability form at sigmoid(x) and stays finite for large logits", () => {
    const logits = [[2.5], [-1], [40]];
    const loss = losses.binaryCrossentropy({ fromLogits: true });
    const values = loss.perSample(tensor(t, { dtype: "float64" }), tensor(logits, { dtype: "float64" }));
    closeAll(values, [-Math.log(sigmoid(2.5)), -Math.log(1 - sigmoid(-1)), Math.log1p(Math.exp(-40))], 1e-12);
    const extreme = loss.perSample(tensor([[0]]), tensor([[100]]));
    close(extreme.item(), 100, 1e-4); // -log(1 - sigmoid(100)) = 100 + log(1 + e^-100)
  });

  it("label smoothing moves targets toward 0.5", () => {
    const loss = losses.binaryCrossentropy({ label_smoothing: 0.2 });
    const value = loss.perSample(tensor([[1]]), tensor([[0.7]])).item();
    const smoothed = 1 * 0.8 + 0.1; // 0.9
    close(value, -(smoothed * Math.log(0.7) + (1 - smoothed) * Math.log(0.3)));
  });

  it("averages the last axis for multi-label outputs and accepts [B] targets for [B, 1] outputs", () => {
    const loss = losses.binaryCrossentropy();
    const v = loss.perSample(tensor([[1, 0]]), tensor([[0.5, 0.25]])).item();
    close(v, (-Math.log(0.5) - Math.log(0.75)) / 2);
    const flat = loss.perSample(tensor([1, 0]), tensor([[0.9], [0.2]]));
    closeAll(flat, [-Math.log(0.9), -Math.log(0.8)]);
    const int = loss.perSample(tensor([1, 0], { dtype: "int32" }), tensor([0.9, 0.2]));
    closeAll(int, [-Math.log(0.9), -Math.log(0.8)]);
  });

  it("gradient from logits is (sigmoid(x) - t) / batch", () => {
    const x = tensor([[0.3], [-2]], { dtype: "float64" });
    x.requiresGrad = true;
    computeLoss(losses.binaryCrossentropy({ fromLogits: true }), tensor([[1], [0]]), x).backward();
    closeAll(x.grad!, [(sigmoid(0.3) - 1) / 2, (sigmoid(-2) - 0) / 2], 1e-12);
  });
});

describe("categoricalCrossentropy", () => {
  it("on probabilities: -sum(t log p), renormalizing p", () => {
    const loss = losses.categoricalCrossentropy();
    const values = loss.perSample(
      tensor([
        [0, 1, 0],
        [1, 0, 0],
      ]),
      tensor([
        [0.1, 0.7, 0.2],
        [0.2, 0.2, 0.4],
      ]),
    );
    // the second row sums to 0.8, so p[0] becomes 0.25
    closeAll(values, [-Math.log(0.7), -Math.log(0.25)]);
  });

  it("from logits uses log-softmax and survives huge logits", () => {
    const loss = losses.categoricalCrossentropy({ fromLogits: true });
    const logits = [1, 2, 3];
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    close(loss.perSample(tensor([[0, 0, 1]]), tensor([logits])).item(), lse - 3);
    close(loss.perSample(tensor([[1, 0]]), tensor([[1000, 0]])).item(), 0);
    close(loss.perSample(tensor([[0, 1]]), tensor([[1000, 0]])).item(), 1000, 1e-3);
  });

  it("label smoothing spreads s / numClasses to every class", () => {
    const loss = losses.categoricalCrossentropy({ labelSmoothing: 0.3 });
    const p = [0.5, 0.3, 0.2];
    const t = [0.1, 0.8, 0.1]; // [0, 1, 0] * 0.7 + 0.1
    const expected = -t.reduce((acc, ti, i) => acc + ti * Math.log(p[i]!), 0);
    close(loss.perSample(tensor([[0, 1, 0]]), tensor([p])).item(), expected);
  });

  it("says to use the sparse loss for integer labels", () => {
    assert.throws(
      () =>
        losses.categoricalCrossentropy().perSample(
          tensor([0, 1]),
          tensor([
            [0.5, 0.5],
            [0.5, 0.5],
          ]),
        ),
      /use sparseCategoricalCrossentropy for integer labels/,
    );
  });

  it("gradient from logits is softmax - t (over batch size)", () => {
    const x = tensor([[1, 2, 3]], { dtype: "float64" });
    x.requiresGrad = true;
    computeLoss(losses.categoricalCrossentropy({ fromLogits: true }), tensor([[0, 1, 0]]), x).backward();
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    closeAll(x.grad!, [Math.exp(1) / z, Math.exp(2) / z - 1, Math.exp(3) / z], 1e-12);
  });
});

describe("sparseCategoricalCrossentropy", () => {
  const probs = [
    [0.1, 0.7, 0.2],
    [0.5, 0.25, 0.25],
  ];
  const expected = [-Math.log(0.7), -Math.log(0.25)];

  it("takes int32 or integral float labels of shape [B] or [B, 1]", () => {
    const loss = losses.sparseCategoricalCrossentropy();
    closeAll(loss.perSample(tensor([1, 2], { dtype: "int32" }), tensor(probs)), expected);
    closeAll(loss.perSample(tensor([[1], [2]]), tensor(probs)), expected);
    closeAll(loss.perSample(tensor([1, 2], { dtype: "float64" }), tensor(probs)), expected);
  });

  it("from logits matches the categorical loss on one-hot targets", () => {
    const logits = tensor([
      [2, -1, 0.5],
      [0, 3, 1],
    ]);
    const sparse = losses
      .sparseCategoricalCrossentropy({ from_logits: true })
      .perSample(tensor([0, 2]), logits);
    const dense = losses.categoricalCrossentropy({ fromLogits: true }).perSample(
      tensor([
        [1, 0, 0],
        [0, 0, 1],
      ]),
      logits,
    );
    closeAll(sparse, Array.from(dense.data));
  });

  it("rejects fractional and out-of-range labels", () => {
    const loss = losses.sparseCategoricalCrossentropy();
    assert.throws(
      () => loss.perSample(tensor([0.5, 1]), tensor(probs)),
      /labels must be integers \(got 0.5\)/,
    );
    assert.throws(
      () => loss.perSample(tensor([3, 1], { dtype: "int32" }), tensor(probs)),
      /label 3 is out of range/,
    );
    assert.throws(
      () => loss.perSample(tensor([0, 1, 1]), tensor(probs)),
      /labels must have shape \[2\] or \[2,1\]/,
    );
  });

  it("ignoreClass drops those samples from the sum and from the count", () => {
    const loss = losses.sparseCategoricalCrossentropy({ ignoreClass: -1 });
    const three = tensor([...probs, [0.2, 0.2, 0.6]]);
    const value = computeLoss(loss, tensor([1, -1, 2], { dtype: "int32" }), three).item();
    close(value, (-Math.log(0.7) - Math.log(0.6)) / 2);
  });
});

describe("kullbackLeiblerDivergence and poisson", () => {
  it("kld = sum(t log(t / p)) with clipping", () => {
    const loss = getLoss("kld");
    const v = loss.perSample(tensor([[0.5, 0.5, 0]]), tensor([[0.25, 0.25, 0.5]])).item();
    // the zero target is clipped to 1e-7: 1e-7 * log(1e-7 / 0.5)
    close(v, 0.5 * Math.log(2) * 2 + 1e-7 * Math.log(1e-7 / 0.5));
  });

  it("poisson = mean(p - t log(p + eps))", () => {
    const v = losses
      .poisson()
      .perSample(tensor([[1, 3]]), tensor([[2, 0.5]]))
      .item();
    close(v, (2 - 1 * Math.log(2 + 1e-7) + (0.5 - 3 * Math.log(0.5 + 1e-7))) / 2);
  });
});
