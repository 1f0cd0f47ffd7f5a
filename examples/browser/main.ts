// examples/browser: the digits demo page. The digits CNN (examples/digits-cnn/model.ts) trains in a
// Web Worker (worker.ts, ts.createWorkerTrainer) on the WebAssembly backend while the page draws
// the loss and accuracy per epoch (chart.ts) and a main-thread timer shows that the page stays
// responsive; then a digit drawn on the canvas (digit-pad.ts) is classified. A model trained by
// `tessera train` loads from a URL (ts.loadModelBundleFromUrl), and under `tessera serve --ui` the
// served models also answer through the server's /v1 route. Bundle it with scripts/build-ui.mjs.
// The page's state is data-state on <body>: loading, ready, training, trained, error
// (test/browser/demo-page.test.ts waits on it).
import * as ts from "tessera-ml";
import { digitsCnn } from "../digits-cnn/model.js";
import { lineChartSvg } from "./chart.js";
import { DigitPad } from "./digit-pad.js";
import { byId, type PageCanvas, type PageInput, page } from "./dom.js";

const SEED = 42;
const TICK_MS = 50;
const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

/** Something that tells which digit a drawing shows: probabilities in `labels` order. */
interface Classifier {
  readonly name: string;
  readonly labels: readonly string[];
  classify(pixels: Float32Array): Promise<number[]>;
}

/** A model the server of `tessera serve --ui` serves (its config.json). */
interface ServedModel {
  readonly name: string;
  readonly url: string;
  readonly labels: readonly string[] | null;
}

const params = new URLSearchParams(
  (globalThis as unknown as { location: { search: string } }).location.search,
);
const body = page.body;
let classifier: Classifier | null = null;
let data: { xTrain: ts.Tensor; yTrain: ts.Tensor; xTest: ts.Tensor; yTest: ts.Tensor } | null = null;

function setStatus(id: string, text: string): void {
  byId(id).textContent = text;
}

/** Probabilities from a row of outputs: kept when they already are, else a softmax of the logits. */
function probabilities(row: readonly number[]): number[] {
  const sum = row.reduce((a, b) => a + b, 0);
  if (row.every((v) => v >= 0) && Math.abs(sum - 1) < 1e-3) return [...row];
  const top = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / total);
}

/** A digits record (pixel_0 ... pixel_63, values 0-16) as datasets/digits.csv has them. */
function digitRecord(pixels: Float32Array): Record<string, number> {
  return Object.fromEntries(Array.from(pixels, (v, i) => [`pixel_${i}`, v]));
}

/** The page's CNN (inputs: 8x8x1 images scaled to [0, 1]) as a classifier. */
function cnnClassifier(model: ts.Model, name: string): Classifier {
  return {
    name,
    labels: DIGITS,
    classify: async (pixels) => {
      const x = new ts.Tensor(
        pixels.map((v) => v / 16),
        [1, 8, 8, 1],
      );
      return probabilities(Array.from(model.predict(x, { verbose: 0 }).data, Number));
    },
  };
}

/** A saved model directory loaded over fetch: raw pixel records through its saved preprocessing. */
async function urlClassifier(url: string): Promise<Classifier> {
  const bundle = await ts.loadModelBundleFromUrl(url);
  const predictor = new ts.ModelPredictor(bundle);
  const { signature } = predictor;
  const labels = signature.labels ?? DIGITS;
  return {
    name: `${bundle.model.name} from ${url}`,
    labels,
    classify: async (pixels) => {
      if (signature.columns !== null) {
        const [out] = predictor.predictRecords([digitRecord(pixels)]);
        return probabilities(Array.from(out?.data ?? [], Number));
      }
      const shape = (signature.inputs[0]?.shape ?? [null, 64]).map((d) => d ?? 1);
      const x = new ts.Tensor(
        pixels.map((v) => v / 16),
        shape,
      );
      return probabilities(Array.from(bundle.model.predict(x, { verbose: 0 }).data, Number));
    },
  };
}

/** A model served by `tessera serve --ui`: the record goes to its TF-Serving route. */
function servedClassifier(served: ServedModel): Classifier {
  return {
    name: `${served.name} on the server`,
    labels: served.labels ?? DIGITS,
    classify: async (pixels) => {
      const response = await fetch(`/v1/models/${encodeURIComponent(served.name)}:predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ instances: [digitRecord(pixels)] }),
      });
      const answer = (await response.json()) as { predictions?: number[][]; error?: string };
      if (!response.ok || answer.predictions?.[0] === undefined)
        throw new Error(`the server answered ${response.status}: ${answer.error ?? "no predictions"}`);
      return probabilities(answer.predictions[0]);
    },
  };
}

function useClassifier(next: Classifier): void {
  classifier = next;
  setStatus("model-in-use", `classifying with: ${next.name}`);
  body.dataset.model = next.name;
}

async function classify(pixels: Float32Array): Promise<void> {
  drawPreview(pixels);
  if (classifier === null) {
    setStatus("prediction", "train or load a model first");
    return;
  }
  const p = await classifier.classify(pixels);
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  const label = classifier.labels[best] ?? String(best);
  setStatus("prediction", label);
  byId("prediction").dataset.label = label;
  byId("probabilities").innerHTML = p
    .map(
      (v, i) =>
        `<div class="bar"><span>${classifier?.labels[i] ?? i}</span><i style="width:${(v * 100).toFixed(1)}%"></i><b>${(v * 100).toFixed(1)}%</b></div>`,
    )
    .join("");
}

/** The 8x8 image the model sees, as grey squares. */
function drawPreview(pixels: Float32Array): void {
  const preview = byId<PageCanvas>("preview").getContext("2d");
  pixels.forEach((v, i) => {
    const shade = Math.round(255 - (v / 16) * 255);
    preview.fillStyle = `rgb(${shade},${shade},${shade})`;
    preview.fillRect((i % 8) * 10, Math.floor(i / 8) * 10, 10, 10);
  });
}

/** Digits from the CSV: (n, 8, 8, 1) images in [0, 1], int32 labels; a stratified 80/20 split. */
async function loadData(): Promise<NonNullable<typeof data>> {
  const table = ts.parseCsv(await (await fetch("digits.csv")).text());
  const pixels = table.columnNames.filter((name) => name.startsWith("pixel_"));
  const x = ts.reshape(ts.div(table.toTensor(pixels), 16), [-1, 8, 8, 1]);
  const y = ts.reshape(table.toTensor(["digit"], { dtype: "int32" }), [-1]);
  const split = ts.trainTestSplit([x, y], { testSize: 0.2, stratify: y, seed: SEED });
  const [xTrain, yTrain] = split.train;
  const [xTest, yTest] = split.test;
  return { xTrain, yTrain, xTest, yTest };
}

/** Main-thread responsiveness: a timer every TICK_MS; the longest gap between ticks while training. */
const responsiveness = { ticks: 0, longestGap: 0, last: performance.now(), measuring: false };
setInterval(() => {
  const now = performance.now();
  responsiveness.ticks++;
  if (responsiveness.measuring)
    responsiveness.longestGap = Math.max(responsiveness.longestGap, now - responsiveness.last);
  responsiveness.last = now;
  const shown = byId("ticks");
  shown.dataset.ticks = String(responsiveness.ticks);
  shown.dataset.longestGap = responsiveness.longestGap.toFixed(0);
  shown.textContent = `main-thread timer: ${responsiveness.ticks} ticks of ${TICK_MS} ms; longest gap while training ${responsiveness.longestGap.toFixed(0)} ms`;
}, TICK_MS);

async function train(trainer: ts.WorkerTrainer): Promise<void> {
  if (data === null) return;
  const { xTrain, yTrain, xTest, yTest } = data;
  const epochs = Math.max(1, Number(byId<PageInput>("epochs").value) || 10);
  body.dataset.state = "training";
  byId<PageInput>("train").disabled = true;
  byId<PageInput>("cancel").disabled = false;
  ts.seed(SEED);
  const model = digitsCnn();
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ["accuracy"],
  });
  const logs: Record<string, number[]> = { loss: [], val_loss: [], accuracy: [], val_accuracy: [] };
  const redraw = () => {
    byId("loss-chart").innerHTML = lineChartSvg(
      "loss (cross-entropy)",
      [
        { name: "training", color: "#1f77b4", values: logs.loss ?? [] },
        { name: "test", color: "#ff7f0e", values: logs.val_loss ?? [] },
      ],
      epochs,
    );
    byId("accuracy-chart").innerHTML = lineChartSvg(
      "accuracy",
      [
        { name: "training", color: "#1f77b4", values: logs.accuracy ?? [] },
        { name: "test", color: "#ff7f0e", values: logs.val_accuracy ?? [] },
      ],
      epochs,
      1,
    );
  };
  redraw();
  responsiveness.longestGap = 0;
  responsiveness.measuring = true;
  const started = performance.now();
  const batches = Math.ceil((xTrain.shape[0] ?? 0) / 32);
  const result = await trainer.fit(
    model,
    xTrain,
    yTrain,
    { epochs, batchSize: 32, seed: SEED, validationData: [xTest, yTest] },
    {
      onBatchEnd: (epoch, batch, batchLogs) =>
        setStatus(
          "progress",
          `epoch ${epoch + 1}/${epochs}, batch ${batch + 1}/${batches}, loss ${batchLogs.loss?.toFixed(4)}`,
        ),
      onEpochEnd: (_epoch, epochLogs) => {
        for (const key of Object.keys(logs)) logs[key]?.push(epochLogs[key] ?? Number.NaN);
        redraw();
      },
    },
  );
  responsiveness.measuring = false;
  const seconds = (performance.now() - started) / 1000;
  // The held-out test images, classified in the worker by the model it trained.
  const predicted = ts.argmax(await trainer.predict(xTest), -1);
  let correct = 0;
  for (let i = 0; i < yTest.size; i++) if (predicted.data[i] === yTest.data[i]) correct++;
  const accuracy = correct / yTest.size;
  const shown = byId("result");
  shown.dataset.accuracy = accuracy.toFixed(4);
  shown.dataset.epochs = String(result.epochs);
  shown.textContent = `${result.cancelled ? "cancelled after" : "trained"} ${result.epochs} epochs in ${seconds.toFixed(1)} s: test accuracy ${(accuracy * 100).toFixed(2)} % (${correct}/${yTest.size})`;
  useClassifier(cnnClassifier(result.model, `the CNN trained here (${result.epochs} epochs)`));
  byId<PageInput>("train").disabled = false;
  byId<PageInput>("cancel").disabled = true;
  body.dataset.state = "trained";
}

/** The models of `tessera serve --ui` (config.json beside the page); none when the page is served statically. */
async function servedModels(): Promise<ServedModel[]> {
  const response = await fetch("config.json");
  if (!response.ok) return [];
  return ((await response.json()) as { models?: ServedModel[] }).models ?? [];
}

async function main(): Promise<void> {
  body.dataset.state = "loading";
  const pageBackend = await ts.useWasm("tessera.wasm");
  setStatus("backend", `page: ${pageBackend}`);
  body.dataset.backend = ts.getBackend();
  const trainer = ts.createWorkerTrainer("worker.js", { wasm: "tessera.wasm" });
  const [workerBackend, loaded, served] = await Promise.all([trainer.ready, loadData(), servedModels()]);
  data = loaded;
  setStatus("worker-backend", `worker: ${workerBackend}`);
  body.dataset.workerBackend = workerBackend;
  const epochsInput = byId<PageInput>("epochs");
  epochsInput.value = params.get("epochs") ?? epochsInput.value;

  const fail = (error: unknown) => {
    body.dataset.state = "error";
    setStatus(
      "error",
      `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    console.error(error);
  };
  byId("train").addEventListener("click", () => void train(trainer).catch(fail));
  byId("cancel").addEventListener("click", () => trainer.cancel());
  const pad = new DigitPad(byId<PageCanvas>("pad"), (pixels) => void classify(pixels).catch(fail));
  byId("clear").addEventListener("click", () => {
    pad.clear();
    setStatus("prediction", "");
  });
  const loadButton = byId<PageInput>("load");
  loadButton.addEventListener("click", () => {
    const url = byId<PageInput>("model-url").value;
    setStatus("load-status", `loading ${url} ...`);
    urlClassifier(url).then(
      (loadedModel) => {
        useClassifier(loadedModel);
        setStatus("load-status", `loaded ${loadedModel.name}`);
        if (!pad.empty) void classify(pad.pixels()).catch(fail);
      },
      (error: unknown) =>
        setStatus(
          "load-status",
          `cannot load ${url}: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
  });
  const list = byId("served");
  for (const model of served) {
    const button = page.createElement("button");
    button.textContent = `predict with "${model.name}" on the server`;
    button.addEventListener("click", () => {
      useClassifier(servedClassifier(model));
      if (!pad.empty) void classify(pad.pixels()).catch(fail);
    });
    list.append(button);
    byId<PageInput>("model-url").value = model.url;
  }
  byId("served-section").hidden = served.length === 0;
  body.dataset.state = "ready";
  if (params.get("train") === "1") void train(trainer).catch(fail);
}

main().catch((error: unknown) => {
  body.dataset.state = "error";
  setStatus("error", `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  console.error(error);
});
