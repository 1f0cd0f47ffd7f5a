// bench/convnet.bench: the Keras "simple MNIST convnet" (conv3x3(32)-relu-pool-conv3x3(64)-relu-pool-
// flatten-dropout(0.5)-dense(10, softmax), categorical cross-entropy, Adam 1e-3), batch 128, 28x28x1,
// trained for two epochs the way people run it: Tessera through `model.fit` (shuffled batches,
// accuracy metric), PyTorch as a plain loop (randperm batches, same shapes, same data). The data are
// the real handwritten digits of datasets/digits.csv, scaled to 28x28 (bilinear) and repeated to
// the sample count (about 1,000 samples per BENCH_SECONDS; default 3). Extra Tessera rows separate
// fit's own cost: fit without the metric, and a plain loop of trainOnBatch over pre-cut batches;
// the fit row runs again on one thread (a child process with TESSERA_NUM_THREADS=1). Before the
// timed rows, one untimed fit (with the metric) and one trainOnBatch loop of WARMUP_BATCHES each
// compile the training path, so the first row does not pay V8's warm-up alone (in CPU time per step
// the three rows agree within noise; their wall-clock gaps on this 2-core machine are noise too).
// Each note adds the row's CPU milliseconds per step (process.cpuUsage, all threads), steadier
// than wall time on a loaded machine.
// Run alone with `npx tsx bench/convnet.bench.ts`, or `npm run bench -- convnet`.
// NOTE: the machine is shared and loaded; compare figures within one run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import { type BenchRow, errorLine, formatTable, runTorch, targetSeconds } from "./common.js";

const BATCH = 128;
const EPOCHS = 2;
const SIDE = 28;
/** Batches of the untimed warm-up before the timed rows (see the header). */
const WARMUP_BATCHES = 8;

/** The Keras example's model, compiled as the example compiles it. */
export function convnetModel(metrics: boolean): ts.Sequential {
  const model = ts.sequential([
    ts.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", inputShape: [SIDE, SIDE, 1] }),
    ts.layers.maxPooling2d({ poolSize: 2 }),
    ts.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
    ts.layers.maxPooling2d({ poolSize: 2 }),
    ts.layers.flatten(),
    ts.layers.dropout({ rate: 0.5 }),
    ts.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss: "categoricalCrossentropy",
    ...(metrics ? { metrics: ["accuracy"] } : {}),
  });
  return model;
}

/** The digits of datasets/digits.csv (8x8, 0..16) scaled to 28x28 in [0, 1], repeated to `n`. */
export function digitImages(n: number): { pixels: Float32Array; labels: Int32Array } {
  const csv = fileURLToPath(new URL("../datasets/digits.csv", import.meta.url));
  const rows = readFileSync(csv, "utf8").trim().split("\n").slice(1);
  const source = rows.map((line) => line.split(",").map(Number));
  const pixels = new Float32Array(n * SIDE * SIDE);
  const labels = new Int32Array(n);
  const scale = 7 / (SIDE - 1);
  for (let s = 0; s < n; s++) {
    const row = source[s % source.length]!;
    labels[s] = row[64]!;
    for (let i = 0; i < SIDE; i++) {
      const fy = i * scale;
      const y0 = Math.floor(fy);
      const y1 = Math.min(7, y0 + 1);
      const wy = fy - y0;
      for (let j = 0; j < SIDE; j++) {
        const fx = j * scale;
        const x0 = Math.floor(fx);
        const x1 = Math.min(7, x0 + 1);
        const wx = fx - x0;
        const top = row[y0 * 8 + x0]! * (1 - wx) + row[y0 * 8 + x1]! * wx;
        const bottom = row[y1 * 8 + x0]! * (1 - wx) + row[y1 * 8 + x1]! * wx;
        pixels[(s * SIDE + i) * SIDE + j] = (top * (1 - wy) + bottom * wy) / 16;
      }
    }
  }
  return { pixels, labels };
}

function oneHot(labels: Int32Array): ts.Tensor {
  const out = new Float32Array(labels.length * 10);
  labels.forEach((label, i) => {
    out[i * 10 + label] = 1;
  });
  return ts.tensor(out, [labels.length, 10]);
}

/** Rows [start, end) of a float32 tensor, copied. */
function rows(t: ts.Tensor, start: number, end: number): ts.Tensor {
  const width = t.size / t.shape[0]!;
  return ts.tensor((t.data as Float32Array).slice(start * width, end * width), [
    end - start,
    ...t.shape.slice(1),
  ]);
}

type Variant = "fit" | "fit, no metric" | "trainOnBatch loop";

async function runTessera(variant: Variant, x: ts.Tensor, y: ts.Tensor): Promise<BenchRow> {
  ts.seed(0);
  const n = x.shape[0]!;
  const model = convnetModel(variant !== "fit, no metric");
  // Warm-up: two batches (builds the model, the optimizer slots and the kernels' buffers).
  await model.fit(rows(x, 0, 2 * BATCH), rows(y, 0, 2 * BATCH), { epochs: 1, batchSize: BATCH, verbose: 0 });
  let note: string;
  const cpu = process.cpuUsage();
  const start = performance.now();
  if (variant === "trainOnBatch loop") {
    const batches: [ts.Tensor, ts.Tensor][] = [];
    for (let b = 0; b < n; b += BATCH) {
      const end = Math.min(n, b + BATCH);
      batches.push([rows(x, b, end), rows(y, b, end)]);
    }
    const cut = performance.now();
    let loss = 0;
    for (let epoch = 0; epoch < EPOCHS; epoch++)
      for (const [bx, by] of batches) loss = model.trainOnBatch(bx, by)[0]!;
    note = `trainOnBatch over batches cut once (${(performance.now() - cut).toFixed(0)} ms of steps), last loss ${loss.toFixed(3)}`;
  } else {
    const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });
    const acc = history.history.accuracy?.at(-1);
    note = `model.fit, loss ${history.history.loss?.at(-1)?.toFixed(3)}${acc === undefined ? "" : `, accuracy ${acc.toFixed(3)}`}`;
  }
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const steps = EPOCHS * Math.ceil(n / BATCH);
  return {
    framework: "Tessera",
    backend: `${ts.getBackend()}: ${variant}`,
    perSecond: (EPOCHS * n) / elapsed,
    note: `${note}; CPU ${((used.user + used.system) / 1000 / steps).toFixed(1)} ms/step`,
  };
}

/** The untimed warm-up of the header: a fit with the metric and a trainOnBatch loop, on a model of its own. */
async function warmUp(x: ts.Tensor, y: ts.Tensor): Promise<void> {
  ts.seed(0);
  const count = Math.min(x.shape[0]!, WARMUP_BATCHES * BATCH);
  const model = convnetModel(true);
  await model.fit(rows(x, 0, count), rows(y, 0, count), { epochs: 1, batchSize: BATCH, verbose: 0 });
  for (let b = 0; b + BATCH <= count; b += BATCH)
    model.trainOnBatch(rows(x, b, b + BATCH), rows(y, b, b + BATCH));
}

const TORCH_SCRIPT = `
import json, os, sys, time
import numpy as np
import torch
from torch import nn
torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
torch.manual_seed(0)
B, E, S = ${BATCH}, ${EPOCHS}, ${SIDE}
x = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.float32)).reshape(-1, 1, S, S)
y = torch.from_numpy(np.fromfile(sys.argv[3], dtype=np.int32).astype(np.int64))
n = x.shape[0]
model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
def step(xb, yb):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(xb), yb)
    loss.backward()
    opt.step()
    return loss
model.train()
for b in range(0, 2 * B, B): step(x[b:b + B], y[b:b + B])
t = time.perf_counter()
for epoch in range(E):
    order = torch.randperm(n)
    for b in range(0, n, B):
        idx = order[b:b + B]
        loss = step(x[idx], y[idx])
elapsed = time.perf_counter() - t
print(json.dumps({"per_second": E * n / elapsed, "steps": E * ((n + B - 1) // B), "version": torch.__version__}))
`;

const CHILD_ENV = "TESSERA_CONVNET_BENCH_CHILD";

/** The fit row again on one thread: a child process with TESSERA_NUM_THREADS=1 (fixed at load). */
function singleThreadFit(): BenchRow[] {
  const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, TESSERA_NUM_THREADS: "1", [CHILD_ENV]: "1" },
    encoding: "utf8",
    timeout: 900_000,
  });
  if (child.status === 0) return [JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as BenchRow];
  const reason = child.stderr.trim().split("\n").at(-1);
  return [{ framework: "Tessera", backend: "fit, 1 thread", perSecond: null, note: `failed: ${reason}` }];
}

/** Runs the benchmark, prints the table, returns the rows. */
export async function run(): Promise<BenchRow[]> {
  const seconds = targetSeconds();
  const n = Math.max(4, Math.round((seconds * 1000) / BATCH)) * BATCH;
  console.log(
    `Keras "simple convnet" training: conv3x3(32)-pool-conv3x3(64)-pool-dropout(0.5)-dense(10, softmax), categorical cross-entropy, Adam 1e-3, batch ${BATCH}, ${EPOCHS} epochs of ${n} digits scaled to 28x28x1, float32; Tessera ${ts.describeBackend()}`,
  );
  const { pixels, labels } = digitImages(n);
  const x = ts.tensor(pixels, [n, SIDE, SIDE, 1]);
  const y = oneHot(labels);
  const table: BenchRow[] = [];
  await warmUp(x, y);
  if (process.env[CHILD_ENV] === "1") {
    const row = await runTessera("fit", x, y);
    console.log(JSON.stringify({ ...row, backend: `${row.backend}, ${ts.describeBackend()}` }));
    return [];
  }
  for (const variant of ["fit", "fit, no metric", "trainOnBatch loop"] as const) {
    try {
      table.push(await runTessera(variant, x, y));
    } catch (error) {
      table.push({
        framework: "Tessera",
        backend: variant,
        perSecond: null,
        note: `failed: ${errorLine(error)}`,
      });
    }
  }
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  if (!ts.describeBackend().includes("1 thread")) table.push(...singleThreadFit());
  const dir = mkdtempSync(join(tmpdir(), "tessera-convnet-"));
  try {
    const xPath = join(dir, "x.f32");
    const yPath = join(dir, "y.i32");
    writeFileSync(xPath, pixels);
    writeFileSync(yPath, labels);
    for (const threads of [1, 2]) table.push(runTorch(TORCH_SCRIPT, seconds, threads, [xPath, yPath]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(formatTable(table, "samples/s", BATCH));
  console.log(`Tessera process peak RSS ${rss} MB (the first three Tessera rows; PyTorch's is in its note).`);
  console.log(
    "NOTE: the machine is shared with other jobs and loaded; expect noise of tens of percent between runs.",
  );
  return table;
}

export const main = run;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
