// The fairness example at reduced size (20 epochs instead of 40; the same ten seeds): on the
// held-out rows, both mitigations must shrink the gap in selection rates between home owners and
// non-owners that the baseline shows, at a small cost in accuracy. The gap is the difference of the
// mean selection rates over the seeds (each seed its own split), so test-set noise averages out
// (single seeds vary: thresholds fitted on 264 validation rows can over-correct on the test rows).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "tessera-ml";
import { runSeeds } from "./run.js";

test("reweighing and group thresholds shrink the selection-rate gap on AER CreditCard", async () => {
  const { mean, runs } = await runSeeds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { epochs: 20 });
  assert.deepEqual(runs[0]!.rows, { train: 791, validation: 264, test: 264 });
  const gap = (model: keyof typeof mean) => mean[model].selectionYes - mean[model].selectionNo;
  const before = gap("baseline");
  // Owners are accepted more often: the disparity the mitigations must address.
  assert.ok(before >= 0.05, `baseline gap ${before}`);
  for (const [model, most] of [
    ["reweighed", 0.75],
    ["thresholdsDemographicParity", 0.5],
  ] as const) {
    const after = gap(model);
    assert.ok(Math.abs(after) <= most * before, `${model}: gap ${after} vs baseline ${before}`);
    assert.ok(mean[model].disparateImpact > mean.baseline.disparateImpact, `${model}: disparate impact`);
    assert.ok(
      mean[model].accuracy >= mean.baseline.accuracy - 0.04,
      `${model}: accuracy ${mean[model].accuracy}`,
    );
  }
  // The weights are Kamiran & Calders': w(g, y) = P(g) P(y) / P(g, y) on the training rows.
  const cells = runs[0]!.weights;
  const n = cells.reduce((s, c) => s + c.rows, 0);
  for (const c of cells) {
    const inGroup = cells.filter((d) => d.group === c.group).reduce((s, d) => s + d.rows, 0);
    const withLabel = cells.filter((d) => d.label === c.label).reduce((s, d) => s + d.rows, 0);
    assert.ok(Math.abs(c.weight - (inGroup * withLabel) / (n * c.rows)) < 1e-12);
  }
  assert.equal(typeof ts.fairness.reweighing, "function");
});
