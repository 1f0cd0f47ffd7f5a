import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mean, sub, type Tensor, tensor } from "../../index.js";
import { computeLoss, getLoss, type Loss, losses } from "./index.js";

function close(actual: number, expected: number, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

// per-sample mse: [1, 4, 9]
const yTrue = tensor([[0], [0], [0]]);
const yPred = tensor([[1], [2], [3]]);

describe("computeLoss reductions", () => {
  it("sum_over_batch_size (default) divides the weighted sum by the batch size", () => {
    close(computeLoss(losses.meanSquaredError(), yTrue, yPred).item(), 14 / 3);
    const w = tensor([1, 0, 2]);
    close(computeLoss(losses.meanSquaredError(), yTrue, yPred, w).item(), (1 + 0 + 18) / 3);
    close(computeLoss(losses.meanSquaredError(), yTrue, yPred, tensor([[1], [0], [2]])).item(), 19 / 3);
  });

  it("sum, none and mean_with_sample_weight", () => {
    const w = tensor([1, 0, 2]);
    close(computeLoss(losses.meanSquaredError({ reduction: "sum" }), yTrue, yPred, w).item(), 19);
    const none = computeLoss(losses.meanSquaredError({ reduction: "none" }), yTrue, yPred, w);
    assert.deepEqual(Array.from(none.data), [1, 0, 18]);
    close(
      computeLoss(losses.meanSquaredError({ reduction: "mean_with_sample_weight" }), yTrue, yPred, w).item(),
      19 / 3,
    );
    close(
      computeLoss(
        losses.meanSquaredError({ reduction: "mean_with_sample_weight" }),
        yTrue,
        yPred,
        tensor([1, 1, 2]),
      ).item(),
      (1 + 4 + 18) / 4,
    );
    assert.throws(() => losses.meanSquaredError({ reduction: "avg" as never }), /reduction must be one of/);
  });

  it("per-timestep losses reduce over every entry; weights may be per sample or per entry", () => {
    const t = tensor([
      [[0], [0]],
      [[0], [0]],
    ]);
    const p = tensor([
      [[1], [2]],
      [[3], [4]],
    ]);
    const loss = losses.meanSquaredError();
    assert.deepEqual(loss.call!(t, p).shape, [2, 2]);
    assert.deepEqual(Array.from(loss.perSample(t, p).data), [2.5, 12.5]);
    close(computeLoss(loss, t, p).item(), 30 / 4);
    close(computeLoss(loss, t, p, tensor([1, 0])).item(), 5 / 4);
    close(
      computeLoss(
        loss,
        t,
        p,
        tensor([
          [1, 0],
          [0, 1],
        ]),
      ).item(),
      17 / 4,
    );
    assert.throws(
      () => computeLoss(loss, t, p, tensor([1, 2, 3])),
      /sampleWeight must have shape \[batch\] or \[2,2\]/,
    );
  });

  it("the scalar carries the gradient to yPred", () => {
    const p = tensor([[1], [2], [3]], { dtype: "float64" });
    p.requiresGrad = true;
    computeLoss(losses.meanSquaredError(), yTrue, p).backward();
    assert.deepEqual(
      Array.from(p.grad!.data),
      [1, 2, 3].map((e) => (2 * e) / 3),
    );
  });
});

describe("getLoss", () => {
  it("accepts camelCase, snake_case, class names and short aliases", () => {
    for (const name of ["mse", "MSE", "mean_squared_error", "meanSquaredError", "MeanSquaredError"]) {
      assert.equal(getLoss(name).name, "mean_squared_error");
    }
    assert.equal(
      getLoss("sparse_categorical_crossentropy").getConfig().className,
      "SparseCategoricalCrossentropy",
    );
    assert.equal(getLoss("huber_loss").name, "huber_loss");
    assert.equal(getLoss("kld").name, "kl_divergence");
    assert.throws(() => getLoss("mean_squared_eror"), /getLoss: unknown loss "mean_squared_eror"/);
  });

  it("rebuilds a loss from its config and returns Loss objects unchanged", () => {
    const original = losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    const config = original.getConfig();
    assert.deepEqual(config, {
      className: "CategoricalCrossentropy",
      config: {
        name: "categorical_crossentropy",
        reduction: "sum_over_batch_size",
        fromLogits: true,
        labelSmoothing: 0.1,
        axis: -1,
      },
    });
    assert.deepEqual(getLoss(config).getConfig(), config);
    assert.equal(getLoss(original), original);
  });

  it("wraps a function returning the unreduced loss", () => {
    const custom = getLoss(function meanError(t: Tensor, p: Tensor) {
      return mean(sub(p, t), -1);
    });
    assert.equal(custom.name, "meanError");
    close(
      computeLoss(
        custom,
        tensor([
          [0, 0],
          [1, 1],
        ]),
        tensor([
          [1, 3],
          [1, 2],
        ]),
      ).item(),
      (2 + 0.5) / 2,
    );
  });

  it("accepts a hand-written Loss object", () => {
    const constant: Loss = {
      name: "constant",
      perSample: (_t, p) => p.sum(1).mul(0).add(1),
      getConfig: () => ({ className: "Constant", config: {} }),
    };
    close(computeLoss(getLoss(constant), yTrue, yPred).item(), 1);
  });
});
