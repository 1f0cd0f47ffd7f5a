// examples/private-breast-cancer/select-settings: how train.ts's learning rate and epochs were
// chosen, without the test rows: the training rows are split again 80/20 (stratified, seed 7) and
// each (learning rate, epochs) pair is scored by the mean validation accuracy of the four runs
// (non-private, epsilon 1, 3, 8). Run:  npx tsx --conditions=tessera-source examples/private-breast-cancer/select-settings.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";
import { loadBreastCancer, run } from "./train.js";

const here = dirname(fileURLToPath(import.meta.url));
const full = await loadBreastCancer(join(here, "..", "..", "datasets", "breast-cancer.csv"));
const {
  train: [xTrain, yTrain],
  test: [xTest, yTest],
} = ts.trainTestSplit([full.xTrain, full.yTrain], {
  testSize: 0.2,
  stratify: ts.reshape(full.yTrain, [-1]),
  seed: 7,
});
const split = { xTrain, yTrain, xTest, yTest };
console.log("| learning rate | epochs | non-private | eps 1 | eps 3 | eps 8 | mean |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const learningRate of [0.02, 0.05, 0.1, 0.2]) {
  for (const epochs of [20, 40]) {
    const accuracies: number[] = [];
    for (const targetEpsilon of [undefined, 1, 3, 8]) {
      const r = await run(split, {
        epochs,
        batchSize: 32,
        learningRate,
        ...(targetEpsilon === undefined ? {} : { targetEpsilon }),
      });
      accuracies.push(r.accuracy * 100);
    }
    const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    console.log(
      `| ${learningRate} | ${epochs} | ${accuracies.map((a) => `${a.toFixed(1)}%`).join(" | ")} | ${mean.toFixed(1)}% |`,
    );
  }
}
