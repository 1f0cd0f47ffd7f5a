// The diabetes example at reduced size (40 epochs instead of 100): on the held-out patients the
// network must rank diabetics well above chance, its calibrated probabilities must beat the base
// rate's Brier score with a small calibration error, and the screening threshold chosen on the
// calibration patients must still catch most diabetics among the test patients.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { diagnose, loadPatients, rocAuc } from "./diagnose.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "pima-diabetes.csv");

test("rocAuc counts ranked pairs, ties as half", () => {
  assert.equal(rocAuc([1, 0, 1, 0], [0.9, 0.1, 0.4, 0.4]), (1 + 1 + 1 + 0.5) / 4);
});

test("loadPatients reads 768 patients, 268 with diabetes, missing values kept", async () => {
  const { table, y } = await loadPatients(csv);
  assert.equal(table.numRows, 768);
  assert.equal(
    y.reduce((s, v) => s + v, 0),
    268,
  );
  assert.ok(Number.isNaN(table.column("insulin").numbers[0]!));
});

test("calibrated network probabilities and a 90 %-recall screening threshold on held-out patients", async () => {
  const r = await diagnose(await loadPatients(csv), { epochs: 40 });
  assert.deepEqual(r.rows, { train: 460, calibration: 154, test: 154 });
  assert.ok(r.network.raw.rocAuc >= 0.75, `AUC ${r.network.raw.rocAuc}`);
  for (const name of ["platt", "isotonic"] as const) {
    const s = r.network[name];
    assert.ok(s.brier < r.baseRate.brier - 0.02, `${name} Brier ${s.brier} vs base rate ${r.baseRate.brier}`);
    assert.ok(s.ece <= 0.12, `${name} ECE ${s.ece}`);
  }
  assert.ok(r.screening.recall >= 0.8, `screening recall ${r.screening.recall}`);
  assert.ok(r.screening.specificity >= 0.3, `screening specificity ${r.screening.specificity}`);
  assert.ok(r.logistic.rocAuc >= 0.8, `logistic AUC ${r.logistic.rocAuc}`);
});
