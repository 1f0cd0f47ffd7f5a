// examples/fairness-credit/run: fairness on real credit data (AER CreditCard, 1,319 card
// applications; see DATA-LICENSE.md). A small network predicts whether an application is accepted;
// we report accuracy and selection rates by home ownership (`owner`), then mitigate twice: reweighing
// the training rows (Kamiran & Calders) and group-specific thresholds chosen on validation scores,
// and report again on the same held-out test rows. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/fairness-credit/run.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

/** Numeric features; `share` and `expenditure` are left out: they leak the label (no card, no spending). */
const FEATURES = ["reports", "age", "income", "dependents", "months", "majorcards", "active"] as const;
const SENSITIVE = "owner";

export interface CreditData {
  /** (n, 9): the features standardised on the training rows, then owner and selfemp as 0/1. */
  x: Float32Array;
  width: number;
  /** 1 = card accepted. */
  y: Float32Array;
  owner: string[];
}

/** Reads the CSV (the first `rows` rows when given) into features, labels and the sensitive column. */
export async function loadCredit(path: string, rows?: number): Promise<CreditData> {
  const table = await ts.readCsv(path);
  const n = Math.min(rows ?? table.numRows, table.numRows);
  const width = FEATURES.length + 2;
  const x = new Float32Array(n * width);
  const columns = FEATURES.map((name) => table.column(name).numbers);
  const owner = table.column(SENSITIVE).toArray().slice(0, n).map(String);
  const selfemp = table.column("selfemp").toArray();
  const card = table.column("card").toArray();
  const y = Float32Array.from({ length: n }, (_, r) => (card[r] === "yes" ? 1 : 0));
  for (let r = 0; r < n; r++) {
    columns.forEach((values, c) => {
      x[r * width + c] = values[r]!;
    });
    x[r * width + FEATURES.length] = owner[r] === "yes" ? 1 : 0;
    x[r * width + FEATURES.length + 1] = selfemp[r] === "yes" ? 1 : 0;
  }
  return { x, width, y, owner };
}

function rowsOf(data: CreditData, indices: readonly number[]) {
  const x = new Float32Array(indices.length * data.width);
  indices.forEach((i, r) => {
    x.set(data.x.subarray(i * data.width, (i + 1) * data.width), r * data.width);
  });
  return {
    x,
    y: Float32Array.from(indices, (i) => data.y[i]!),
    owner: indices.map((i) => data.owner[i]!),
  };
}

/** Standardises the first FEATURES.length columns with the training rows' mean and deviation. */
function standardise(parts: Float32Array[], train: Float32Array, width: number): void {
  const rows = train.length / width;
  for (let c = 0; c < FEATURES.length; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += train[r * width + c]!;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += (train[r * width + c]! - mean) ** 2;
    const std = Math.sqrt(variance / rows) || 1;
    for (const part of parts)
      for (let r = 0; r < part.length / width; r++) part[r * width + c] = (part[r * width + c]! - mean) / std;
  }
}

/** One line of the results: accuracy overall, and selection rate / TPR / accuracy by group. */
export interface FairnessFigures {
  accuracy: number;
  byGroup: Record<
    string,
    { rows: number; selectionRate: number; truePositiveRate: number; accuracy: number }
  >;
  demographicParityDifference: number;
  equalOpportunityDifference: number;
  equalizedOddsDifference: number;
  disparateImpact: number;
  passesFourFifths: boolean;
}

export function figures(yTrue: Float32Array, yPred: Float32Array, owner: readonly string[]): FairnessFigures {
  const frame = ts.fairness.groupMetrics({
    yTrue,
    yPred,
    sensitive: { owner },
    metrics: ["accuracy", "selection_rate", "true_positive_rate"],
  });
  const impact = ts.fairness.disparateImpact({ yPred, sensitive: { owner } });
  return {
    accuracy: frame.overall.accuracy!,
    byGroup: Object.fromEntries(
      frame.byGroup.map((g) => [
        g.key,
        {
          rows: g.rows,
          selectionRate: g.metrics.selection_rate!,
          truePositiveRate: g.metrics.true_positive_rate!,
          accuracy: g.metrics.accuracy!,
        },
      ]),
    ),
    demographicParityDifference: frame.difference().selection_rate!,
    equalOpportunityDifference: frame.difference().true_positive_rate!,
    equalizedOddsDifference: ts.fairness.equalizedOddsDifference({ yTrue, yPred, sensitive: { owner } }),
    disparateImpact: impact.ratio,
    passesFourFifths: impact.passesFourFifths,
  };
}

async function trainScores(
  train: { x: Float32Array; y: Float32Array },
  width: number,
  evaluate: Float32Array[],
  options: { epochs: number; seed: number; sampleWeight?: Float32Array },
): Promise<Float32Array[]> {
  ts.seed(options.seed);
  const model = ts.sequential([
    ts.layers.dense({ units: 16, activation: "relu", inputShape: [width] }),
    ts.layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 0.01 }), loss: "binary_crossentropy" });
  const rows = train.y.length;
  await model.fit(ts.tensor(train.x, [rows, width]), ts.tensor(train.y, [rows, 1]), {
    epochs: options.epochs,
    batchSize: 32,
    verbose: 0,
    ...(options.sampleWeight === undefined ? {} : { sampleWeight: options.sampleWeight }),
  });
  return evaluate.map((x) =>
    Float32Array.from(model.predict(ts.tensor(x, [x.length / width, width]), { verbose: 0 }).data),
  );
}

const atHalf = (scores: Float32Array) => Float32Array.from(scores, (s) => (s >= 0.5 ? 1 : 0));

export interface ExampleResult {
  rows: { train: number; validation: number; test: number };
  baseline: FairnessFigures;
  reweighed: FairnessFigures;
  thresholdsDemographicParity: FairnessFigures;
  thresholdsEqualOpportunity: FairnessFigures;
  weights: ts.fairness.Reweighing["cells"];
  thresholds: Record<string, number | null>;
}

/** The whole run: split 60/20/20 (seeded), baseline, reweighing, thresholds; figures on the test rows. */
export async function runExample(
  options: { rows?: number; epochs?: number; seed?: number } = {},
): Promise<ExampleResult> {
  const here = dirname(fileURLToPath(import.meta.url));
  const data = await loadCredit(join(here, "credit-card.csv"), options.rows);
  const seed = options.seed ?? 7;
  const epochs = options.epochs ?? 40;
  const n = data.y.length;
  const order = new ts.Generator(seed).permutation(n);
  const nTest = Math.round(0.2 * n);
  const nValidation = Math.round(0.2 * n);
  const test = rowsOf(data, order.slice(0, nTest));
  const validation = rowsOf(data, order.slice(nTest, nTest + nValidation));
  const train = rowsOf(data, order.slice(nTest + nValidation));
  standardise([test.x, validation.x, train.x], Float32Array.from(train.x), data.width);

  const [validationScores, testScores] = await trainScores(train, data.width, [validation.x, test.x], {
    epochs,
    seed,
  });
  const baseline = figures(test.y, atHalf(testScores!), test.owner);

  const { sampleWeight, cells } = ts.fairness.reweighing({
    yTrue: train.y,
    sensitive: { owner: train.owner },
  });
  const [reweighedScores] = await trainScores(train, data.width, [test.x], { epochs, seed, sampleWeight });
  const reweighed = figures(test.y, atHalf(reweighedScores!), test.owner);

  const post = (constraint: ts.fairness.ThresholdConstraint) =>
    new ts.fairness.ThresholdOptimizer({ constraint }).fit({
      yTrue: validation.y,
      scores: validationScores!,
      sensitive: { owner: validation.owner },
    });
  const parity = post("demographic_parity");
  const opportunity = post("true_positive_rate_parity");
  return {
    rows: { train: train.y.length, validation: validation.y.length, test: test.y.length },
    baseline,
    reweighed,
    thresholdsDemographicParity: figures(
      test.y,
      parity.predict({ scores: testScores!, sensitive: { owner: test.owner } }),
      test.owner,
    ),
    thresholdsEqualOpportunity: figures(
      test.y,
      opportunity.predict({ scores: testScores!, sensitive: { owner: test.owner } }),
      test.owner,
    ),
    weights: cells,
    thresholds: { ...parity.state.thresholds },
  };
}

const FIGURE_KEYS = [
  "accuracy",
  "demographicParityDifference",
  "equalOpportunityDifference",
  "equalizedOddsDifference",
  "disparateImpact",
] as const;
const MODELS = [
  "baseline",
  "reweighed",
  "thresholdsDemographicParity",
  "thresholdsEqualOpportunity",
] as const;
export type ModelName = (typeof MODELS)[number];
export type MeanFigures = Record<
  ModelName,
  Record<(typeof FIGURE_KEYS)[number] | "selectionNo" | "selectionYes", number>
>;

/** The mean of each figure over runs with several seeds (each seed: its own split and initialisation). */
export async function runSeeds(
  seeds: readonly number[],
  options: { rows?: number; epochs?: number } = {},
): Promise<{ mean: MeanFigures; runs: ExampleResult[] }> {
  const runs: ExampleResult[] = [];
  for (const seed of seeds) runs.push(await runExample({ ...options, seed }));
  const mean = Object.fromEntries(
    MODELS.map((model) => {
      const avg = (pick: (f: FairnessFigures) => number) =>
        runs.reduce((s, r) => s + pick(r[model]), 0) / runs.length;
      return [
        model,
        {
          ...Object.fromEntries(FIGURE_KEYS.map((key) => [key, avg((f) => f[key] as number)])),
          selectionNo: avg((f) => f.byGroup.no!.selectionRate),
          selectionYes: avg((f) => f.byGroup.yes!.selectionRate),
        },
      ];
    }),
  ) as MeanFigures;
  return { mean, runs };
}

function markdown(result: ExampleResult): string {
  const f = (v: number) => v.toFixed(3);
  const lines = [
    "| model | accuracy | selection rate (owner=no / yes) | TPR (no / yes) | DP difference | EO difference | equalized odds diff. | disparate impact | four-fifths |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  const rows: [string, FairnessFigures][] = [
    ["baseline (threshold 0.5)", result.baseline],
    ["reweighing (Kamiran & Calders)", result.reweighed],
    ["group thresholds, demographic parity", result.thresholdsDemographicParity],
    ["group thresholds, equal opportunity", result.thresholdsEqualOpportunity],
  ];
  for (const [name, r] of rows) {
    const no = r.byGroup.no!;
    const yes = r.byGroup.yes!;
    lines.push(
      `| ${name} | ${f(r.accuracy)} | ${f(no.selectionRate)} / ${f(yes.selectionRate)} | ${f(no.truePositiveRate)} / ${f(yes.truePositiveRate)} | ${f(r.demographicParityDifference)} | ${f(r.equalOpportunityDifference)} | ${f(r.equalizedOddsDifference)} | ${f(r.disparateImpact)} | ${r.passesFourFifths ? "passes" : "fails"} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  const result = await runExample();
  console.log(`backend ${ts.getBackend()}; rows ${JSON.stringify(result.rows)}`);
  console.log(
    `test rows by owner: no ${result.baseline.byGroup.no!.rows}, yes ${result.baseline.byGroup.yes!.rows}`,
  );
  console.log(
    "reweighing weights:",
    result.weights.map((c) => `${c.group}/y=${c.label}: ${c.weight.toFixed(3)} (${c.rows} rows)`).join("; "),
  );
  console.log("demographic-parity thresholds:", JSON.stringify(result.thresholds));
  console.log(markdown(result));
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const { mean } = await runSeeds(seeds);
  const f = (v: number) => v.toFixed(3);
  console.log(`\nmean over seeds ${seeds.join(", ")} (each its own split):`);
  console.log(
    "| model | accuracy | selection rate (no / yes) | DP difference | EO difference | equalized odds diff. | disparate impact |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const model of MODELS) {
    const m = mean[model];
    console.log(
      `| ${model} | ${f(m.accuracy)} | ${f(m.selectionNo)} / ${f(m.selectionYes)} | ${f(m.demographicParityDifference)} | ${f(m.equalOpportunityDifference)} | ${f(m.equalizedOddsDifference)} | ${f(m.disparateImpact)} |`,
    );
  }
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
