// Tessera quick start: diagnose breast tumours from 30 measurements (the dataset ships with the
// package). Run it with `node quickstart.mjs` after `npm install tessera-ml`.
import * as ts from "tessera-ml";

ts.seed(42); // every random draw after this repeats
console.log(`backend: ${ts.describeBackend()}`);
const table = await ts.loadDataset("breast-cancer");
const features = table.columnNames.filter((c) => c !== "diagnosis");
const x = table.toTensor(features);
const labels = table
  .column("diagnosis")
  .toArray()
  .map((d) => (d === "malignant" ? 1 : 0));
const y = ts.tensor(labels, { shape: [table.numRows, 1] });
const split = ts.trainTestSplit([x, y], { testSize: 0.2, stratify: y, seed: 42 });
const [xTrain, yTrain] = split.train;
const [xTest, yTest] = split.test;
const scaler = new ts.StandardScaler(); // fitted on the training rows only

const model = ts.sequential([
  ts.layers.dense({ units: 16, activation: "relu", inputShape: [features.length] }),
  ts.layers.dropout({ rate: 0.2 }),
  ts.layers.dense({ units: 1, activation: "sigmoid" }),
]);
model.compile({
  optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
  loss: "binary_crossentropy",
  metrics: ["accuracy"],
});
model.summary();
await model.fit(scaler.fitTransform(xTrain), yTrain, {
  epochs: 150,
  batchSize: 32,
  validationSplit: 0.1,
  callbacks: [ts.callbacks.earlyStopping({ patience: 10, restoreBestWeights: true })],
});
const scores = await model.evaluate(scaler.transform(xTest), yTest, { returnDict: true });
console.log(`test accuracy: ${scores.accuracy.toFixed(3)}`);
await model.save("quickstart-model");
const again = await ts.loadModel("quickstart-model");
console.log(
  `reloaded model agrees: ${
    ts
      .equal(again.predict(scaler.transform(xTest)), model.predict(scaler.transform(xTest)))
      .all()
      .item() === 1
  }`,
);
