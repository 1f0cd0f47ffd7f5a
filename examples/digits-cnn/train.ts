// examples/digits-cnn/train: a small CNN on the 8x8 handwritten digits (datasets/digits.csv, 1,797
// images, pixel values 0-16). Stratified 80/20 train/test split (seed 42), fixed number of epochs,
// test set touched once at the end. Run from the repository root:
//   npx tsx examples/digits-cnn/train.ts            (TESSERA_BACKEND=reference|native to choose)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";
import { digitsCnn } from "./model.js";

const SEED = 42;
const EPOCHS = 40;
const BATCH = 32;

/** Images (n, 8, 8, 1) scaled to [0, 1] and int32 labels from the CSV. */
export async function loadDigits(path: string): Promise<{ x: ts.Tensor; y: ts.Tensor }> {
  const table = await ts.readCsv(path);
  const pixels = table.columnNames.filter((name) => name.startsWith("pixel_"));
  const x = ts.reshape(ts.div(table.toTensor(pixels), 16), [-1, 8, 8, 1]);
  const y = ts.reshape(table.toTensor(["digit"], { dtype: "int32" }), [-1]);
  return { x, y };
}

export { digitsCnn } from "./model.js";

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  ts.seed(SEED);
  const { x, y } = await loadDigits(join(here, "..", "..", "datasets", "digits.csv"));
  const {
    train: [xTrain, yTrain],
    test: [xTest, yTest],
  } = ts.trainTestSplit([x, y], { testSize: 0.2, stratify: y, seed: SEED });
  const model = digitsCnn();
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ["accuracy"],
  });
  console.log(`backend ${ts.getBackend()}; ${xTrain.shape[0]} training and ${xTest.shape[0]} test images`);
  model.summary();
  const fitStart = performance.now();
  await model.fit(xTrain, yTrain, { epochs: EPOCHS, batchSize: BATCH, verbose: 2 });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const result = (await model.evaluate(xTest, yTest, { verbose: 0, returnDict: true })) as Record<
    string,
    number
  >;
  const predicted = ts.argmax(model.predict(xTest, { verbose: 0 }), -1);
  let correct = 0;
  for (let i = 0; i < yTest.size; i++) if (predicted.data[i] === yTest.data[i]) correct++;
  const total = (performance.now() - started) / 1000;
  console.log(
    `test accuracy ${(result.accuracy! * 100).toFixed(2)}% (${correct}/${yTest.size}), test loss ${result.loss!.toFixed(4)}`,
  );
  console.log(`training ${fitSeconds.toFixed(1)} s for ${EPOCHS} epochs; whole script ${total.toFixed(1)} s`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
