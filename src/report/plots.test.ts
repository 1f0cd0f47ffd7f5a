// Tests of the ts.plot charts: each renders a standalone SVG whose marks carry the plotted values
// (Vega's per-item aria-label "field: value; ..."), so the tests read back what was drawn.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tensor } from "../tensor/creation.js";
import { History } from "../train/callbacks/history.js";
import * as plot from "./plot.js";

/** The aria-labels of the items of one mark role (e.g. "point", "rect", "bar", "line mark"). */
function itemLabels(svg: string, role: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(
    /<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="([^"]*)"/g,
  )) {
    if (m[2] === role) out.push(m[1]!);
  }
  return out;
}

function assertSvg(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
}

test("learningCurves draws one point per epoch for each metric and split", async () => {
  const history = new History();
  history.onTrainBegin({});
  const losses = [0.9, 0.5, 0.3];
  losses.forEach((loss, e) => {
    history.onEpochEnd(e, { loss, val_loss: loss + 0.1, accuracy: 0.5 + e / 10 });
  });
  const svg = await plot.learningCurves(history);
  assertSvg(svg);
  const points = itemLabels(svg, "point");
  assert.equal(points.length, 9); // loss train + validation, accuracy train, 3 epochs each
  assert.ok(points.includes("epoch: 2; value: 0.5; split: train"), points.join("\n"));
  assert.ok(points.includes("epoch: 3; value: 0.4; split: validation"), points.join("\n"));
  assert.match(svg, />loss</);
  assert.match(svg, />accuracy</);
});

test("learningCurves leaves out a diverged (NaN) value and refuses an empty history", async () => {
  const svg = await plot.learningCurves({ loss: [1, Number.NaN, 0.5] });
  assert.equal(itemLabels(svg, "point").length, 2);
  await assert.rejects(plot.learningCurves({}), /no finite values/);
});

test("compareRuns overlays the runs: one point per run, split and epoch, a legend entry per run", async () => {
  const svg = await plot.compareRuns({
    baseline: { loss: [1, 0.5], val_loss: [1.2, 0.8] },
    wider: { loss: [0.9, 0.4, 0.3] },
  });
  const points = itemLabels(svg, "point");
  assert.equal(points.length, 7);
  assert.ok(points.includes("epoch: 3; value: 0.3; run: wider; split: train"), points.join("\n"));
  assert.match(svg, />baseline</);
  assert.match(svg, />wider</);
  await assert.rejects(plot.compareRuns({}), /non-empty record/);
});

test("confusionMatrix writes each count in its cell with the class names", async () => {
  const svg = await plot.confusionMatrix(
    [
      [5, 1],
      [2, 7],
    ],
    { classNames: ["cat", "dog"] },
  );
  assertSvg(svg);
  const cells = itemLabels(svg, "rect mark");
  assert.deepEqual(cells.sort(), [
    "predicted: cat; actual: cat; count: 5",
    "predicted: cat; actual: dog; count: 2",
    "predicted: dog; actual: cat; count: 1",
    "predicted: dog; actual: dog; count: 7",
  ]);
  await assert.rejects(plot.confusionMatrix(tensor([1, 2, 3])), /must be square/);
});

test("rocCurve and prCurve put the AUC and the average precision in the legend", async () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];
  const roc = await plot.rocCurve(y, s);
  assertSvg(roc);
  assert.match(roc, /positive \(AUC 0\.750\)/);
  const pr = await plot.prCurve(y, s);
  assert.match(pr, /positive \(AP 0\.833\)/);
  await assert.rejects(plot.rocCurve([0, 1, 2], [0.1, 0.2, 0.3]), /yTrue must be 0 or 1 \(got 2 at 2\)/);
  await assert.rejects(plot.rocCurve([0, 1], [0.1]), /same length \(got 2 and 1\)/);
});

test("rocCurve draws one-vs-rest curves for [n, classes] scores", async () => {
  const scores = tensor([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1], { shape: [4, 3] });
  const svg = await plot.rocCurve([0, 1, 2, 0], scores, { classNames: ["a", "b", "c"] });
  assert.match(svg, /a \(AUC 1\.000\)/);
  assert.match(svg, /b \(AUC 1\.000\)/);
  assert.match(svg, /c \(AUC 1\.000\)/);
});

test("calibration plots one point per non-empty bin", async () => {
  const svg = await plot.calibration(
    [0, 0, 0, 0, 1, 1, 1, 1, 1],
    [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1],
    {
      bins: 3,
    },
  );
  const points = itemLabels(svg, "point");
  assert.equal(points.length, 3);
  assert.ok(
    points.some(
      (p) => p.includes("mean predicted probability: 0.525") && p.includes("fraction of positives: 0.5"),
    ),
    points.join("\n"),
  );
});

test("scatter and residuals draw one point per sample with the right values", async () => {
  const actual = [1, 2, 3, 4];
  const predicted = tensor([[1.5], [2], [2.5], [4]]);
  const sc = await plot.scatter(actual, predicted);
  const points = itemLabels(sc, "point");
  assert.equal(points.length, 4);
  assert.ok(points.includes("actual: 1; predicted: 1.5"), points.join("\n"));
  const res = await plot.residuals(actual, predicted);
  const residualPoints = itemLabels(res, "point");
  assert.equal(residualPoints.length, 4);
  assert.ok(
    residualPoints.includes("predicted: 2.5; residual (actual - predicted): 0.5"),
    residualPoints.join("\n"),
  );
  await assert.rejects(plot.scatter([1, 2], [1]), /actual and predicted must have the same length/);
});

test("histogram counts every value once; featureImportances sorts by size", async () => {
  const values = [1, 1, 2, 3, 3, 3, 8, 9];
  const svg = await plot.histogram(values, { bins: 5 });
  const bars = itemLabels(svg, "bar");
  const total = bars.reduce((sum, label) => sum + Number(/count: (\d+)/.exec(label)?.[1] ?? Number.NaN), 0);
  assert.equal(total, values.length);
  const fi = await plot.featureImportances({ small: 0.1, big: -0.9, mid: 0.5 });
  const order = itemLabels(fi, "bar").map((l) => /feature: (\w+)/.exec(l)?.[1]);
  assert.deepEqual(order, ["big", "mid", "small"]);
  await assert.rejects(plot.featureImportances({ a: Number.NaN }), /"a" must be a finite number/);
});
