// examples/credit-risk/credit-risk: which loans will go bad? Lending Club loans (modeldata's
// lending_club: 9,857 loans, 517 of them "bad", 5.2 %; see DATA-LICENSE.md). A network scores each
// loan's risk, trained three ways against the imbalance: as it is, with class weights, and on a
// training set rebalanced by SMOTE. They are compared with the lender's own grade (sub_grade as a
// score) on held-out loans by PR AUC (average precision; the base rate is the no-skill level) and ROC
// AUC. Then a decision threshold is chosen on the validation loans by expected cost (a bad loan
// approved costs 5 times a good loan refused) and its cost is reported on the test loans, next to
// approving everyone and refusing at p >= 0.5. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/credit-risk/credit-risk.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

const NUMERIC = [
  "funded_amnt",
  "int_rate",
  "annual_inc",
  "delinq_2yrs",
  "inq_last_6mths",
  "revol_util",
  "acc_now_delinq",
  "open_il_6m",
  "open_il_12m",
  "open_il_24m",
  "total_bal_il",
  "all_util",
  "inq_fi",
  "inq_last_12m",
  "delinq_amnt",
  "num_il_tl",
  "total_il_high_credit_limit",
] as const;
/** Heavy-tailed amounts, read as log(1 + x). */
const LOG_SCALED = new Set([
  "funded_amnt",
  "annual_inc",
  "total_bal_il",
  "total_il_high_credit_limit",
  "delinq_amnt",
]);
const VERIFICATION = ["Not_Verified", "Source_Verified", "Verified"] as const;
export const COSTS = { falsePositive: 1, falseNegative: 5 };

export interface Loans {
  /** (n, width) features, before standardisation. */
  x: Float32Array;
  width: number;
  /** 1 = bad loan. */
  y: number[];
  /** The lender's grade as a number: A1 = 0 ... G5 = 34 (higher is riskier). */
  grade: number[];
}

/** Sub-grade "C4" -> 2 * 5 + 3 = 13. */
export function gradeNumber(subGrade: string): number {
  return (subGrade.charCodeAt(0) - 65) * 5 + Number(subGrade.slice(1)) - 1;
}

export async function loadLoans(path: string): Promise<Loans> {
  const table = await ts.readCsv(path);
  const n = table.numRows;
  const numeric = NUMERIC.map((name) => table.column(name).numbers);
  const term = table.column("term").toArray();
  const verification = table.column("verification_status").toArray();
  const subGrade = table.column("sub_grade").toArray().map(String);
  const emp = table.column("emp_length").toArray().map(String);
  const width = NUMERIC.length + 1 + VERIFICATION.length + 2 + 1;
  const x = new Float32Array(n * width);
  for (let r = 0; r < n; r++) {
    const row: number[] = NUMERIC.map((name, c) => {
      const v = numeric[c]![r]!;
      return LOG_SCALED.has(name) ? Math.log1p(Math.max(0, v)) : v;
    });
    row.push(term[r] === "term_60" ? 1 : 0);
    for (const level of VERIFICATION) row.push(verification[r] === level ? 1 : 0);
    // emp_length: emp_lt_1, emp_1 .. emp_9, emp_ge_10, emp_unk
    const years = emp[r] === "emp_lt_1" ? 0 : emp[r] === "emp_ge_10" ? 10 : Number(emp[r]!.slice(4));
    row.push(Number.isFinite(years) ? years : 0, Number.isFinite(years) ? 0 : 1);
    row.push(gradeNumber(subGrade[r]!));
    x.set(
      row.map((v) => (Number.isFinite(v) ? v : 0)),
      r * width,
    );
  }
  const y = table
    .column("Class")
    .toArray()
    .map((v) => (v === "bad" ? 1 : 0));
  return { x, width, y, grade: subGrade.map(gradeNumber) };
}

export interface RiskScores {
  prAuc: number;
  rocAuc: number;
}

/** PR AUC and ROC AUC of scores against labels, by the library's AUC metric (1,000 thresholds). */
export function riskScores(labels: readonly number[], scores: readonly number[]): RiskScores {
  const y = ts.tensor(labels, { shape: [labels.length, 1] });
  const p = ts.tensor(scores, { shape: [scores.length, 1] });
  const pr = ts.metrics.auc({ curve: "PR", numThresholds: 1000 });
  pr.update(y, p);
  const roc = ts.metrics.auc({ numThresholds: 1000 });
  roc.update(y, p);
  return { prAuc: pr.result(), rocAuc: roc.result() };
}

export interface Decision {
  threshold: number;
  /** Cost per loan on the test loans (FP x 1 + FN x 5, over all test loans). */
  costPerLoan: number;
  approved: number;
  badCaught: number;
}

export interface CreditResult {
  rows: { train: number; validation: number; test: number };
  badRate: number;
  grade: RiskScores;
  plain: RiskScores;
  weighted: RiskScores;
  smote: RiskScores;
  /** For the class-weighted network: threshold from the validation loans' costs. */
  chosen: Decision;
  atHalf: Decision;
  approveAll: Decision;
  fitSeconds: number;
}

function decide(labels: readonly number[], scores: readonly number[], threshold: number): Decision {
  let [fp, fn, approved, caught] = [0, 0, 0, 0];
  labels.forEach((y, i) => {
    const refuse = scores[i]! >= threshold;
    if (!refuse) approved++;
    if (refuse && y === 0) fp++;
    if (!refuse && y === 1) fn++;
    if (refuse && y === 1) caught++;
  });
  const bad = labels.reduce((s, v) => s + v, 0);
  return {
    threshold,
    costPerLoan: (COSTS.falsePositive * fp + COSTS.falseNegative * fn) / labels.length,
    approved: approved / labels.length,
    badCaught: caught / bad,
  };
}

function network(width: number): ts.Sequential {
  return ts.sequential([
    ts.layers.dense({ units: 32, activation: "relu", inputShape: [width] }),
    ts.layers.dropout({ rate: 0.2 }),
    ts.layers.dense({ units: 16, activation: "relu" }),
    ts.layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
}

export async function runCreditRisk(
  loans: Loans,
  options: { epochs?: number; seed?: number } = {},
): Promise<CreditResult> {
  const seed = options.seed ?? 42;
  const epochs = options.epochs ?? 10;
  const n = loans.y.length;
  const rows = Array.from({ length: n }, (_, i) => i);
  const split = ts.trainValTestSplit([rows], { valSize: 0.2, testSize: 0.2, stratify: loans.y, seed });
  const [trainRows] = split.train;
  const [valRows] = split.val;
  const [testRows] = split.test;
  const take = (indices: readonly number[]) => {
    const out = new Float32Array(indices.length * loans.width);
    indices.forEach((i, r) => {
      out.set(loans.x.subarray(i * loans.width, (i + 1) * loans.width), r * loans.width);
    });
    return ts.tensor(out, { shape: [indices.length, loans.width] });
  };
  const scaler = new ts.StandardScaler();
  const xTrain = scaler.fitTransform(take(trainRows));
  const xVal = scaler.transform(take(valRows));
  const xTest = scaler.transform(take(testRows));
  const yTrain = trainRows.map((i) => loans.y[i]!);
  const yVal = valRows.map((i) => loans.y[i]!);
  const yTest = testRows.map((i) => loans.y[i]!);
  const column = (labels: number[]) => ts.tensor(labels, { shape: [labels.length, 1] });
  const bad = yTrain.reduce((s, v) => s + v, 0);
  const started = performance.now();
  const train = async (x: ts.Tensor, y: number[], classWeight?: Record<number, number>) => {
    ts.seed(seed);
    const model = network(loans.width);
    model.compile({ optimizer: ts.optimizers.adam({ learningRate: 1e-3 }), loss: "binary_crossentropy" });
    await model.fit(x, column(y), {
      epochs,
      batchSize: 64,
      shuffle: true,
      verbose: 0,
      ...(classWeight ? { classWeight } : {}),
    });
    return model;
  };
  const predict = (model: ts.Sequential, x: ts.Tensor) => Array.from(model.predict(x, { verbose: 0 }).data);
  const plain = await train(xTrain, yTrain);
  // "balanced" weights: n / (2 n_class)
  const weighted = await train(xTrain, yTrain, {
    0: yTrain.length / (2 * (yTrain.length - bad)),
    1: yTrain.length / (2 * bad),
  });
  const balanced = ts.smote(xTrain, yTrain, { kNeighbors: 5, seed });
  const smoteModel = await train(balanced.x, balanced.y);
  const fitSeconds = (performance.now() - started) / 1000;
  const weightedVal = predict(weighted, xVal);
  const weightedTest = predict(weighted, xTest);
  const chosen = ts.ml.costSensitiveThreshold(yVal, weightedVal, COSTS);
  return {
    rows: { train: trainRows.length, validation: valRows.length, test: testRows.length },
    badRate: bad / yTrain.length,
    grade: riskScores(
      yTest,
      testRows.map((i) => loans.grade[i]! / 34),
    ),
    plain: riskScores(yTest, predict(plain, xTest)),
    weighted: riskScores(yTest, weightedTest),
    smote: riskScores(yTest, predict(smoteModel, xTest)),
    chosen: decide(yTest, weightedTest, chosen.threshold),
    atHalf: decide(yTest, weightedTest, 0.5),
    approveAll: decide(yTest, weightedTest, Number.POSITIVE_INFINITY),
    fitSeconds,
  };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const loans = await loadLoans(join(here, "lending-club.csv"));
  const r = await runCreditRisk(loans);
  console.log(
    `backend ${ts.getBackend()}; ${r.rows.train} training, ${r.rows.validation} validation, ${r.rows.test} test loans; ${(100 * r.badRate).toFixed(2)} % bad`,
  );
  console.log("test loans                         PR AUC   ROC AUC");
  for (const [name, s] of [
    ["lender's sub_grade", r.grade],
    ["network, unweighted", r.plain],
    ["network, class weights", r.weighted],
    ["network, SMOTE", r.smote],
  ] as const) {
    console.log(`${name.padEnd(34)} ${s.prAuc.toFixed(4)}   ${s.rocAuc.toFixed(4)}`);
  }
  console.log(`(no-skill PR AUC = the bad rate, ${r.badRate.toFixed(4)})`);
  console.log(
    "decisions with the class-weighted network; cost: approving a bad loan 5, refusing a good one 1",
  );
  for (const [name, d] of [
    ["approve everyone", r.approveAll],
    ["refuse at p >= 0.5", r.atHalf],
    [`refuse at p >= ${r.chosen.threshold.toFixed(3)} (least cost on validation)`, r.chosen],
  ] as const) {
    console.log(
      `  ${name.padEnd(48)} cost/loan ${d.costPerLoan.toFixed(4)}, approved ${(100 * d.approved).toFixed(1)} %, bad loans caught ${(100 * d.badCaught).toFixed(1)} %`,
    );
  }
  console.log(
    `training ${r.fitSeconds.toFixed(1)} s (three networks); whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
