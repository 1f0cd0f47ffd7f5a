// The credit-risk example at reduced size (3 epochs per network instead of 10): on the held-out
// loans every score must find bad loans well above the no-skill level, and the threshold chosen by
// expected cost on the validation loans must cost less on the test loans than refusing at p >= 0.5.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gradeNumber, loadLoans, riskScores, runCreditRisk } from "./credit-risk.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "lending-club.csv");

test("gradeNumber orders the lender's sub-grades A1 < ... < G5", () => {
  assert.deepEqual(["A1", "A5", "B1", "C4", "G5"].map(gradeNumber), [0, 4, 5, 13, 34]);
});

test("riskScores: a perfect ranking has PR and ROC AUC near 1, a reversed one near 0", () => {
  const labels = [0, 0, 0, 1, 1];
  const good = riskScores(labels, [0.1, 0.2, 0.3, 0.8, 0.9]);
  assert.ok(good.prAuc > 0.99 && good.rocAuc > 0.99, JSON.stringify(good));
  const bad = riskScores(labels, [0.9, 0.8, 0.7, 0.2, 0.1]);
  assert.ok(bad.rocAuc < 0.01, JSON.stringify(bad));
});

test("loadLoans reads 9,857 loans, 517 bad, without missing features", async () => {
  const loans = await loadLoans(csv);
  assert.equal(loans.y.length, 9857);
  assert.equal(
    loans.y.reduce((s, v) => s + v, 0),
    517,
  );
  assert.equal(loans.x.length, 9857 * loans.width);
  assert.ok(loans.x.every(Number.isFinite));
  assert.equal(loans.grade[0], gradeNumber("C4"));
});

test("bad loans are found above chance, and the cost-chosen threshold beats p >= 0.5", async () => {
  const r = await runCreditRisk(await loadLoans(csv), { epochs: 3 });
  assert.deepEqual(r.rows, { train: 5913, validation: 1972, test: 1972 });
  for (const name of ["grade", "plain", "weighted", "smote"] as const) {
    assert.ok(r[name].prAuc >= 2 * r.badRate, `${name} PR AUC ${r[name].prAuc} vs bad rate ${r.badRate}`);
    assert.ok(r[name].rocAuc >= 0.62, `${name} ROC AUC ${r[name].rocAuc}`);
  }
  assert.ok(
    r.chosen.costPerLoan < r.atHalf.costPerLoan,
    `${r.chosen.costPerLoan} vs ${r.atHalf.costPerLoan}`,
  );
  assert.ok(r.chosen.costPerLoan <= 1.05 * r.approveAll.costPerLoan, `${r.chosen.costPerLoan}`);
});
