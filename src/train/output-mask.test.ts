// train output-mask tests: a prediction that carries a Keras mask (Embedding maskZero passed on
// by the layers) leaves its padded steps out of the loss and the metrics, in evaluate and in fit.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../index.js";
import { computeLoss } from "./losses/loss.js";

const TOKENS = [
  [1, 2, 0, 0],
  [3, 4, 2, 0],
];
// padded steps get targets far from any prediction: a leak shows at once
const TARGETS = [
  [0.5, -0.25, 1000, 1000],
  [1.5, 0.75, -0.5, -1000],
];

function maskedModel(): ts.Sequential {
  ts.seed(3);
  const model = ts.sequential([
    ts.input({ shape: [4], dtype: "int32" }),
    ts.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true }),
    ts.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: ts.optimizers.sgd({ learningRate: 0.1 }), loss: "mse", metrics: ["mae"] });
  return model;
}

/** Mean squared and absolute error over the real (non-zero token) steps, from plain predictions. */
function expectedErrors(model: ts.Sequential): { mse: number; mae: number } {
  const pred = model.predict(ts.tensor(TOKENS, { dtype: "int32" })) as ts.Tensor;
  const p = Array.from(pred.data);
  let se = 0;
  let ae = 0;
  let n = 0;
  for (const [b, row] of TOKENS.entries()) {
    for (const [t, token] of row.entries()) {
      if (token === 0) continue;
      const err = p[b * 4 + t]! - TARGETS[b]![t]!;
      se += err * err;
      ae += Math.abs(err);
      n++;
    }
  }
  return { mse: se / n, mae: ae / n };
}

test("evaluate leaves masked steps out of the loss and the metrics", async () => {
  const model = maskedModel();
  const { mse, mae } = expectedErrors(model);
  const x = ts.tensor(TOKENS, { dtype: "int32" });
  const y = ts.tensor(TARGETS).reshape([2, 4, 1]);
  const result = (await model.evaluate(x, y, { verbose: 0, returnDict: true })) as Record<string, number>;
  assert.ok(mse < 50, `the real steps' error is small (got ${mse})`);
  assert.ok(Math.abs(result.loss! - mse) < 1e-5 * Math.max(1, mse), `loss ${result.loss} vs ${mse}`);
  assert.ok(Math.abs(result.mae! - mae) < 1e-5 * Math.max(1, mae), `mae ${result.mae} vs ${mae}`);
});

test("fit's gradient ignores the masked steps' targets", async () => {
  const a = maskedModel();
  const b = maskedModel();
  const x = ts.tensor(TOKENS, { dtype: "int32" });
  const y1 = ts.tensor(TARGETS).reshape([2, 4, 1]);
  // the same real targets, different padding targets: training must not see the difference
  const padded = TARGETS.map((row, i) => row.map((v, t) => (TOKENS[i]![t] === 0 ? -v * 7 : v)));
  const y2 = ts.tensor(padded).reshape([2, 4, 1]);
  await a.fit(x, y1, { epochs: 3, batchSize: 2, verbose: 0 });
  await b.fit(x, y2, { epochs: 3, batchSize: 2, verbose: 0 });
  for (const [i, w] of a.getWeights().entries()) {
    assert.deepEqual(Array.from(w.data), Array.from(b.getWeights()[i]!.data));
  }
});

test("computeLoss reads the mask a prediction carries, and rejects one that does not lead the values", () => {
  const pred = ts.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const yTrue = ts.zeros([2, 3]);
  ts.setMask(
    pred,
    ts.tensor(
      [
        [true, false, true],
        [false, false, true],
      ],
      { dtype: "bool" },
    ),
  );
  const loss = ts.losses.meanAbsoluteError({ reduction: "none" });
  // MAE reduces the last axis: values (2,), which a (2, 3) mask cannot lead
  assert.throws(() => computeLoss(loss, yTrue, pred), /mask must cover the leading axes/);
  const stepPred = pred.reshape([2, 3, 1]);
  ts.setMask(
    stepPred,
    ts.tensor(
      [
        [1, 0, 1],
        [0, 0, 1],
      ],
      { dtype: "bool" },
    ),
  );
  const mean = computeLoss(ts.losses.meanAbsoluteError(), ts.zeros([2, 3, 1]), stepPred);
  assert.ok(Math.abs(mean.item() - (1 + 3 + 6) / 3) < 1e-6, `got ${mean.item()}`);
});

test("per-sample weights combine with the mask in the loss and the metrics", async () => {
  const model = maskedModel();
  const pred = model.predict(ts.tensor(TOKENS, { dtype: "int32" })) as ts.Tensor;
  const p = Array.from(pred.data);
  const weights = [0.25, 2];
  let wse = 0;
  let wae = 0;
  let wsum = 0;
  let valid = 0;
  for (const [b, row] of TOKENS.entries()) {
    for (const [t, token] of row.entries()) {
      if (token === 0) continue;
      const err = p[b * 4 + t]! - TARGETS[b]![t]!;
      wse += weights[b]! * err * err;
      wae += weights[b]! * Math.abs(err);
      wsum += weights[b]!;
      valid++;
    }
  }
  const x = ts.tensor(TOKENS, { dtype: "int32" });
  const y = ts.tensor(TARGETS).reshape([2, 4, 1]);
  const result = (await model.evaluate(x, y, {
    verbose: 0,
    returnDict: true,
    sampleWeight: ts.tensor(weights),
  })) as Record<string, number>;
  // Keras: the loss is the weighted sum over real steps divided by their count, the metric a
  // weighted mean (weights x mask)
  const loss = wse / valid;
  const mae = wae / wsum;
  assert.ok(Math.abs(result.loss! - loss) < 1e-5 * Math.max(1, loss), `loss ${result.loss} vs ${loss}`);
  assert.ok(Math.abs(result.mae! - mae) < 1e-5 * Math.max(1, mae), `mae ${result.mae} vs ${mae}`);
});
