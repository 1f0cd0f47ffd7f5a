// The README's quick start as a program: CSV -> clean -> split -> train -> evaluate -> save -> load.
// Run: npx tsx examples/quickstart/quickstart.ts [outDir]
import * as ts from "../../src/index.js";

export async function quickstart(outDir = "runs/quickstart", epochs = 150): Promise<Record<string, number>> {
  ts.seed(42);
  const table = await ts.readCsv("datasets/breast-cancer.csv");
  const features = table.columnNames.filter((c) => c !== "diagnosis");
  const y = ts.tensor(
    table
      .column("diagnosis")
      .toArray()
      .map((d) => (d === "malignant" ? 1 : 0)),
    { shape: [table.numRows, 1] },
  );
  const x = table.toTensor(features);
  const {
    train: [xTrain, yTrain],
    test: [xTest, yTest],
  } = ts.trainTestSplit([x, y], {
    testSize: 0.2,
    stratify: y,
    seed: 42,
  });
  const scaler = new ts.StandardScaler();
  const xTrainScaled = scaler.fitTransform(xTrain);
  const xTestScaled = scaler.transform(xTest);

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
  await model.fit(xTrainScaled, yTrain, {
    epochs,
    batchSize: 32,
    validationSplit: 0.1,
    verbose: 0,
    callbacks: [ts.callbacks.earlyStopping({ patience: 10, restoreBestWeights: true })],
  });
  const scores = (await model.evaluate(xTestScaled, yTest, { returnDict: true, verbose: 0 })) as Record<
    string,
    number
  >;
  await model.save(outDir);
  const again = await ts.loadModel(outDir);
  const same = ts
    .equal(again.predict(xTestScaled, { verbose: 0 }), model.predict(xTestScaled, { verbose: 0 }))
    .all()
    .item();
  return { ...scores, reloadedPredictsTheSame: same };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await quickstart(process.argv[2]));
}
