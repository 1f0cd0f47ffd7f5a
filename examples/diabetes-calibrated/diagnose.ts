// examples/diabetes-calibrated/diagnose: diabetes diagnosis from a clinical table (the Pima Indians
// diabetes data, 768 women, mlbench's PimaIndiansDiabetes2 with its missing values; see
// DATA-LICENSE.md) with probabilities a clinician can read as risks. A small network is trained on
// 60 % of the patients; its probabilities are calibrated on 20 % (Platt scaling and isotonic
// regression) and everything is judged once on the last 20 %: ROC AUC, Brier score and expected
// calibration error, and a screening threshold chosen on the calibration patients to catch at least
// 90 % of diabetics, with what it costs in precision and specificity on the test patients. Logistic
// regression and the base rate are the references. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/diabetes-calibrated/diagnose.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

export const FEATURES = ["pregnant", "glucose", "pressure", "triceps", "insulin", "mass", "pedigree", "age"];
const TARGET_RECALL = 0.9;

export interface Patients {
  table: ts.Table;
  /** 1 = diabetes ("pos"). */
  y: number[];
}

export async function loadPatients(path: string): Promise<Patients> {
  const table = await ts.readCsv(path);
  const y = table
    .column("diabetes")
    .toArray()
    .map((v) => (v === "pos" ? 1 : 0));
  return { table, y };
}

export interface Scores {
  rocAuc: number;
  brier: number;
  ece: number;
}

export interface ScreeningPoint {
  threshold: number;
  recall: number;
  precision: number;
  specificity: number;
  /** Patients flagged for a follow-up test, of the test patients. */
  flagged: number;
}

export interface DiagnosisResult {
  rows: { train: number; calibration: number; test: number };
  prevalence: number;
  network: { raw: Scores; platt: Scores; isotonic: Scores };
  logistic: Scores;
  baseRate: Scores;
  /** The isotonic-calibrated network's threshold for recall >= 0.9 on the calibration patients, applied to the test patients. */
  screening: ScreeningPoint;
  reliability: ts.ml.ReliabilityCurve;
  fitSeconds: number;
}

/** ROC AUC by ranks: the probability that a random diabetic scores above a random non-diabetic. */
export function rocAuc(labels: readonly number[], scores: ArrayLike<number>): number {
  let pairs = 0;
  let wins = 0;
  labels.forEach((yi, i) => {
    if (yi !== 1) return;
    labels.forEach((yj, j) => {
      if (yj !== 0) return;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i]! === scores[j]! ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

function judge(labels: number[], probabilities: ArrayLike<number>): Scores {
  return {
    rocAuc: rocAuc(labels, probabilities),
    brier: ts.ml.brierScore(labels, probabilities),
    ece: ts.ml.reliabilityCurve(labels, probabilities, { bins: 5, strategy: "quantile" })
      .expectedCalibrationError,
  };
}

/** Median imputation and standardisation fitted on the training patients. */
function features(train: ts.Table, others: ts.Table[]): ts.Tensor[] {
  const imputer = new ts.SimpleImputer({ strategy: "median", columns: FEATURES }).fit(train);
  const scaler = new ts.StandardScaler({ columns: FEATURES }).fit(imputer.transform(train));
  return [train, ...others].map((t) => scaler.transform(imputer.transform(t)).toTensor(FEATURES));
}

export async function diagnose(
  patients: Patients,
  options: { epochs?: number; seed?: number; learningRate?: number; dropout?: number } = {},
): Promise<DiagnosisResult> {
  const seed = options.seed ?? 42;
  ts.seed(seed);
  const { table, y } = patients;
  const split = ts.trainValTestSplit([table, y], { valSize: 0.2, testSize: 0.2, stratify: y, seed });
  const [trainTable, trainY] = split.train;
  const [calTable, calY] = split.val;
  const [testTable, testY] = split.test;
  const [xTrain, xCal, xTest] = features(trainTable, [calTable, testTable]) as [
    ts.Tensor,
    ts.Tensor,
    ts.Tensor,
  ];
  const model = ts.sequential([
    ts.layers.dense({ units: 32, activation: "relu", inputShape: [FEATURES.length] }),
    ts.layers.dropout({ rate: options.dropout ?? 0.3 }),
    ts.layers.dense({ units: 16, activation: "relu" }),
    ts.layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: options.learningRate ?? 1e-3 }),
    loss: "binary_crossentropy",
  });
  const started = performance.now();
  await model.fit(xTrain, ts.tensor(trainY, { shape: [trainY.length, 1] }), {
    epochs: options.epochs ?? 100,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const probabilities = (x: ts.Tensor) => Array.from(model.predict(x, { verbose: 0 }).data);
  const [calRaw, testRaw] = [probabilities(xCal), probabilities(xTest)];
  const platt = new ts.ml.PlattCalibrator().fit(calRaw, calY);
  const isotonic = new ts.ml.IsotonicCalibrator().fit(calRaw, calY);
  const testIsotonic = Array.from(isotonic.predict(testRaw));
  const logistic = new ts.ml.LogisticRegression().fit(xTrain, trainY);
  const logisticProba = logistic.predictProba(xTest).data;
  const positive = logistic.classes.indexOf(1);
  const logisticTest = testY.map((_, i) => logisticProba[i * 2 + positive]!);
  const prevalence = trainY.reduce((s, v) => s + v, 0) / trainY.length;
  // the screening threshold comes from the calibration patients, never from the test ones
  const chosen = ts.ml.precisionAtRecall(calY, Array.from(isotonic.predict(calRaw)), TARGET_RECALL);
  let [tp, fp, fn, tn] = [0, 0, 0, 0];
  testY.forEach((label, i) => {
    const flagged = testIsotonic[i]! >= chosen.threshold;
    if (label === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  });
  return {
    rows: { train: trainY.length, calibration: calY.length, test: testY.length },
    prevalence,
    network: {
      raw: judge(testY, testRaw),
      platt: judge(testY, Array.from(platt.predict(testRaw))),
      isotonic: judge(testY, testIsotonic),
    },
    logistic: judge(testY, logisticTest),
    baseRate: { ...judge(testY, new Array<number>(testY.length).fill(prevalence)), rocAuc: 0.5 },
    screening: {
      threshold: chosen.threshold,
      recall: tp / (tp + fn),
      precision: tp / (tp + fp),
      specificity: tn / (tn + fp),
      flagged: (tp + fp) / testY.length,
    },
    reliability: ts.ml.reliabilityCurve(testY, testRaw, { bins: 5, strategy: "quantile" }),
    fitSeconds,
  };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const patients = await loadPatients(join(here, "pima-diabetes.csv"));
  const r = await diagnose(patients);
  console.log(
    `backend ${ts.getBackend()}; ${r.rows.train} training, ${r.rows.calibration} calibration, ${r.rows.test} test patients; prevalence ${(100 * r.prevalence).toFixed(1)} %`,
  );
  console.log("test patients                 ROC AUC  Brier   ECE (5 quantile bins)");
  for (const [name, s] of [
    ["base rate", r.baseRate],
    ["logistic regression", r.logistic],
    ["network, raw", r.network.raw],
    ["network + Platt", r.network.platt],
    ["network + isotonic", r.network.isotonic],
  ] as const) {
    console.log(`${name.padEnd(28)}  ${s.rocAuc.toFixed(3)}    ${s.brier.toFixed(4)}  ${s.ece.toFixed(4)}`);
  }
  const c = r.reliability;
  console.log("raw network's reliability on the test patients (mean predicted -> observed, count):");
  c.meanPredicted.forEach((p, i) => {
    console.log(`  ${p.toFixed(3)} -> ${c.fractionOfPositives[i]!.toFixed(3)}  (${c.counts[i]})`);
  });
  const s = r.screening;
  console.log(
    `screening threshold ${s.threshold.toFixed(3)} (recall >= ${TARGET_RECALL} on the calibration patients); on the test patients: ` +
      `recall ${s.recall.toFixed(3)}, precision ${s.precision.toFixed(3)}, specificity ${s.specificity.toFixed(3)}, ${(100 * s.flagged).toFixed(1)} % flagged`,
  );
  console.log(
    `training ${r.fitSeconds.toFixed(1)} s; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
