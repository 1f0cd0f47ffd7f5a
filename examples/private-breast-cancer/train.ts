// examples/private-breast-cancer/train: differentially private training (DP-SGD) of a small MLP on
// the Wisconsin breast-cancer data (datasets/breast-cancer.csv, 569 tumours, 30 features), at
// epsilon about 1, 3 and 8 (delta 1e-5), next to the same network trained without privacy.
// Stratified 80/20 split (seed 42); features standardised with the training rows' statistics
// (NOTE: those statistics are not themselves protected; a deployment would use public or DP ranges).
// Run from the repository root:  npx tsx --conditions=tessera-source examples/private-breast-cancer/train.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

export const SEED = 42;

export interface Split {
  xTrain: ts.Tensor;
  yTrain: ts.Tensor;
  xTest: ts.Tensor;
  yTest: ts.Tensor;
}

/** Standardised features and 0/1 labels (1 = malignant), split 80/20 stratified. */
export async function loadBreastCancer(path: string): Promise<Split> {
  const table = await ts.readCsv(path);
  const features = table.columnNames.filter((name) => name !== "diagnosis");
  const x = table.toTensor(features);
  const diagnosis = table.column("diagnosis").toArray();
  const y = ts.tensor(
    Float32Array.from(diagnosis, (v) => (v === "malignant" ? 1 : 0)),
    [diagnosis.length, 1],
  );
  const {
    train: [xTrain, yTrain],
    test: [xTest, yTest],
  } = ts.trainTestSplit([x, y], { testSize: 0.2, stratify: ts.reshape(y, [-1]), seed: SEED });
  const mean = ts.mean(xTrain, 0, { keepDims: true });
  const std = ts.add(ts.sqrt(ts.variance(xTrain, 0, { keepDims: true })), 1e-8);
  const scale = (t: ts.Tensor) => ts.div(ts.sub(t, mean), std);
  return { xTrain: scale(xTrain), yTrain, xTest: scale(xTest), yTest };
}

/** 30 -> Dense 16 ReLU -> Dense 1 sigmoid. */
export function network(): ts.Sequential {
  return ts.sequential([
    ts.layers.dense({ units: 16, activation: "relu", inputShape: [30] }),
    ts.layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
}

export interface RunResult {
  label: string;
  epsilon: number | null;
  noiseMultiplier: number | null;
  accuracy: number;
  seconds: number;
}

/** Trains a fresh network (private when targetEpsilon is given) and scores it on the test rows. */
export async function run(
  split: Split,
  options: { epochs: number; batchSize: number; learningRate: number; targetEpsilon?: number; seed?: number },
): Promise<RunResult> {
  ts.seed(options.seed ?? SEED); // initial weights, Poisson batches and noise
  const model = network();
  model.compile({
    optimizer: ts.optimizers.sgd({ learningRate: options.learningRate, momentum: 0.9 }),
    loss: "binary_crossentropy",
    metrics: ["accuracy"],
  });
  const privacy =
    options.targetEpsilon === undefined
      ? undefined
      : { targetEpsilon: options.targetEpsilon, l2NormClip: 1, delta: 1e-5 };
  const started = performance.now();
  await model.fit(split.xTrain, split.yTrain, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    verbose: 0,
    ...(privacy === undefined ? {} : { privacy }),
  });
  const seconds = (performance.now() - started) / 1000;
  const scores = (await model.evaluate(split.xTest, split.yTest, { verbose: 0, returnDict: true })) as Record<
    string,
    number
  >;
  const spent = ts.privacy.privacySpentOf(model);
  return {
    label: privacy === undefined ? "non-private" : `target eps ${options.targetEpsilon}`,
    epsilon: spent?.epsilon ?? null,
    noiseMultiplier: spent?.noiseMultiplier ?? null,
    accuracy: scores.accuracy!,
    seconds,
  };
}

// Chosen by select-settings.ts on a validation split of the training rows (the test rows unseen).
export const SETTINGS = { epochs: 40, batchSize: 32, learningRate: 0.02 };

/** Training seeds: each configuration is trained five times (same split, fresh weights and noise). */
export const TRAINING_SEEDS = [42, 43, 44, 45, 46];

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const split = await loadBreastCancer(join(here, "..", "..", "datasets", "breast-cancer.csv"));
  console.log(
    `backend ${ts.getBackend()}; ${split.xTrain.shape[0]} training and ${split.xTest.shape[0]} test rows; ${SETTINGS.epochs} epochs, expected batch ${SETTINGS.batchSize}, clip 1, delta 1e-5`,
  );
  console.log(
    "| run | epsilon | noise multiplier | test accuracy, mean ± sd of 5 seeds | min | seconds per run |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const targetEpsilon of [undefined, 1, 3, 8]) {
    const results: RunResult[] = [];
    for (const seed of TRAINING_SEEDS) {
      results.push(
        await run(split, { ...SETTINGS, seed, ...(targetEpsilon === undefined ? {} : { targetEpsilon }) }),
      );
    }
    const acc = results.map((r) => r.accuracy * 100);
    const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
    const sd = Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1));
    const seconds = results.reduce((a, r) => a + r.seconds, 0) / results.length;
    const first = results[0]!;
    console.log(
      `| ${first.label} | ${first.epsilon?.toFixed(2) ?? "-"} | ${first.noiseMultiplier?.toFixed(3) ?? "-"} | ${mean.toFixed(1)}% ± ${sd.toFixed(1)} | ${Math.min(...acc).toFixed(1)}% | ${seconds.toFixed(1)} |`,
    );
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
