// The browser-iris page: Tessera trains a small dense network on the iris measurements in the
// page, on the reference backend and then on the WebAssembly one, and shows each run's test
// accuracy, time and a few predictions. Bundle it with esbuild (see README.md); "tessera-ml"
// resolves to the package's browser entry. The page's state (data-state on <body>: "running",
// "done" or "error") is what test/browser/browser-iris.test.ts waits on.
import * as ts from "tessera-ml";

/** The DOM as this page uses it (the project's lib settings declare no DOM types). */
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  append(...nodes: (PageElement | string)[]): void;
}
interface PageDocument {
  body: PageElement;
  getElementById(id: string): PageElement | null;
  createElement(tag: string): PageElement;
}
const page = (globalThis as unknown as { document: PageDocument }).document;
const FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

/** A table row of cells. */
function row(cells: readonly string[], tag = "td"): PageElement {
  const tr = page.createElement("tr");
  for (const text of cells) {
    const cell = page.createElement(tag);
    cell.textContent = text;
    tr.append(cell);
  }
  return tr;
}

function element(id: string): PageElement {
  const found = page.getElementById(id);
  if (found === null) throw new Error(`browser-iris: the page has no #${id}`);
  return found;
}

/** Index of the largest value in each row of a [rows, classes] tensor. */
function argMaxRows(probabilities: ts.Tensor): number[] {
  const [rows = 0, classes = 0] = probabilities.shape;
  const data = probabilities.data;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (Number(data[r * classes + c]) > Number(data[r * classes + best])) best = c;
    return best;
  });
}

/** Trains on the active backend and returns test accuracy, the time and the test predictions. */
async function trainOnce(csv: string) {
  ts.seed(42);
  const table = ts.parseCsv(csv);
  const encoder = new ts.LabelEncoder();
  const labels = encoder.fitTransform(table.column("species"));
  const x = table.toTensor(FEATURES);
  const y = new ts.Tensor(Float32Array.from(labels), [labels.length]);
  const split = ts.trainTestSplit([x, y], { testSize: 0.2, stratify: Array.from(labels), seed: 42 });
  const [xTrain, yTrain] = split.train;
  const [xTest, yTest] = split.test;
  const scaler = new ts.StandardScaler().fit(xTrain);
  const model = ts.sequential([
    ts.layers.dense({ units: 16, activation: "relu", inputShape: [FEATURES.length] }),
    ts.layers.dense({ units: 3, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 0.02 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  const started = performance.now();
  const history = await model.fit(scaler.transform(xTrain), yTrain, {
    epochs: 40,
    batchSize: 16,
    verbose: 0,
  });
  const predicted = argMaxRows(model.predict(scaler.transform(xTest)));
  const ms = performance.now() - started;
  const truth = Array.from(yTest.data, Number);
  const correct = predicted.filter((p, i) => p === truth[i]).length;
  const classes = (encoder.classes ?? []).map(String);
  const loss = history.history.loss ?? [];
  return {
    accuracy: correct / truth.length,
    ms,
    predicted,
    truth,
    classes,
    finalLoss: loss[loss.length - 1] ?? NaN,
  };
}

async function main(): Promise<void> {
  page.body.dataset.state = "running";
  const csv = await (await fetch("iris.csv")).text();
  const results = element("results");
  results.append(row(["backend", "test accuracy", "final loss", "fit + predict (ms)"], "th"));
  const runs: string[] = ["reference"];
  ts.setBackend("reference");
  let last = await trainOnce(csv);
  results.append(row(["reference", last.accuracy.toFixed(3), last.finalLoss.toFixed(4), last.ms.toFixed(0)]));
  const described = await ts.useWasm("tessera.wasm");
  runs.push(described);
  last = await trainOnce(csv);
  results.append(row([described, last.accuracy.toFixed(3), last.finalLoss.toFixed(4), last.ms.toFixed(0)]));
  const predictions = element("predictions");
  predictions.append(row(["test row", "species", "predicted"], "th"));
  last.predicted.slice(0, 10).forEach((p, i) => {
    predictions.append(row([String(i), last.classes[last.truth[i] ?? 0] ?? "?", last.classes[p] ?? "?"]));
  });
  element("status").textContent = `trained on ${runs.join(" and ")}`;
  page.body.dataset.state = "done";
}

main().catch((error: unknown) => {
  element("status").textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
  page.body.dataset.state = "error";
  console.error(error);
});
