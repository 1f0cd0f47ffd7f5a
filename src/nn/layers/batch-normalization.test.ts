import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, tensor } from "../../index.js";

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("BatchNormalization", () => {
  it("passes the layer harness in training and inference mode", () => {
    const spec = {
      inputShape: [5, 3],
      expectedOutputShape: [5, 3],
      expectedParams: 12,
      expectedTrainableParams: 6,
    };
    runLayerTest((dtype) => layers.batchNormalization({ dtype }), {
      ...spec,
      training: true,
      deterministic: true,
    });
    runLayerTest((dtype) => layers.batchNormalization({ dtype }), spec);
    runLayerTest((dtype) => layers.batchNormalization({ axis: 1, dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 12,
      expectedTrainableParams: 6,
      training: true,
    });
  });

  it("normalises with batch statistics in training and updates the moving ones (momentum 0.99)", () => {
    const bn = layers.batchNormalization();
    // feature 0: [1, 3] mean 2 var 1; feature 1: [10, 30] mean 20 var 100 (biased)
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    const y = bn.apply(x, { training: true });
    close(y.at(0, 0), -1 / Math.sqrt(1 + 1e-3));
    close(y.at(1, 0), 1 / Math.sqrt(1 + 1e-3));
    close(y.at(0, 1), -10 / Math.sqrt(100 + 1e-3));
    // moving = 0.99 * initial + 0.01 * batch: mean from 0, variance from 1
    close(bn.movingMean!.at(0), 0.02);
    close(bn.movingMean!.at(1), 0.2);
    close(bn.movingVariance!.at(0), 0.99 + 0.01 * 1);
    close(bn.movingVariance!.at(1), 0.99 + 0.01 * 100, 1e-4);
  });

  it("uses the moving statistics at inference and does not change them", () => {
    const bn = layers.batchNormalization({ epsilon: 0 });
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    bn.apply(x);
    bn.setWeights([tensor([2, 1]), tensor([0.5, 0]), tensor([1, 20]), tensor([4, 25])]);
    const y = bn.apply(x);
    // (x - mean) / sqrt(var) * gamma + beta
    close(y.at(0, 0), ((1 - 1) / 2) * 2 + 0.5);
    close(y.at(1, 0), ((3 - 1) / 2) * 2 + 0.5);
    close(y.at(0, 1), (10 - 20) / 5);
    close(y.at(1, 1), (30 - 20) / 5);
    assert.deepEqual([...bn.movingMean!.data], [1, 20]);
  });

  it("runs in inference mode when frozen, even with training: true", () => {
    const bn = layers.batchNormalization();
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    bn.apply(x);
    bn.trainable = false;
    const y = bn.apply(x, { training: true });
    // moving statistics 0 and 1: y = x / sqrt(1 + eps)
    close(y.at(1, 1), 30 / Math.sqrt(1 + 1e-3), 1e-4);
    assert.deepEqual([...bn.movingMean!.data], [0, 0]);
    assert.equal(bn.trainableWeights.length, 0);
    assert.equal(bn.nonTrainableWeights.length, 4);
  });

  it("names its weights like Keras and keeps moving statistics non-trainable", () => {
    const bn = layers.batchNormalization({ name: "bn" });
    bn.apply(tensor([[1, 2, 3]]));
    assert.deepEqual(
      bn.weightEntries().map((w) => [w.path, w.trainable]),
      [
        ["bn/gamma", true],
        ["bn/beta", true],
        ["bn/moving_mean", false],
        ["bn/moving_variance", false],
      ],
    );
    assert.equal(bn.movingMean!.requiresGrad, false);
  });
});
