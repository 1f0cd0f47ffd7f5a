import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import {
  errorLine,
  formatRss,
  rssRatio,
  runChildIfAsked,
  runTorch as runTorchScript,
  stepsFor,
  targetSeconds,
  tesseraInChild,
  timeFit,
  withTfjsBundle,
} from "./common.js";

const BATCH = 64;
const WARMUP_STEPS = 2;
/**
 * Multiply-adds of one training sample: forward plus the two backward GEMMs per layer, except the
 * input gradient of the first convolution (its input needs none). conv1 26*26*9*32, conv2
 * 11*11*288*64, dense 1600*128 and 128*10.
 */
const MACS_PER_SAMPLE = 2 * (26 * 26 * 9 * 32) + 3 * (11 * 11 * 288 * 64) + 3 * (1600 * 128) + 3 * (128 * 10);

export interface CnnBenchRow {
  framework: string;
  backend: string;
  samplesPerSecond: number | null;
  note: string;
  /** Peak RSS of the process that ran only this entry, MB. */
  peakRssMB?: number;
}

/** The benchmark network as a Tessera model. */
export function cnnModel(): ts.Sequential {
  const model = ts.sequential([
    ts.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", inputShape: [28, 28, 1] }),
    ts.layers.maxPooling2d(),
    ts.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
    ts.layers.maxPooling2d(),
    ts.layers.flatten(),
    ts.layers.dense({ units: 128, activation: "relu" }),
    ts.layers.dense({ units: 10 }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
  });
  return model;
}

async function runTessera(backend: ts.BackendName, seconds: number): Promise<CnnBenchRow> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = cnnModel();
  const data = (steps: number) => ({
    x: ts.randn([BATCH * steps, 28, 28, 1]),
    y: ts.randint(0, 10, [BATCH * steps], { dtype: "int32" }),
  });
  const { steps, elapsed, loss } = await timeFit(model, data, BATCH, WARMUP_STEPS, seconds);
  return {
    framework: "Tessera",
    backend,
    samplesPerSecond: (BATCH * steps) / elapsed,
    note: `model.fit, ${steps} steps, loss ${loss?.toFixed(3)}`,
  };
}

/** TensorFlow.js cpu and wasm rows (the runner is bundled first: see withTfjsBundle). */
async function runTfjsAll(seconds: number): Promise<CnnBenchRow[]> {
  return withTfjsBundle<typeof import("./cnn-tfjs.js"), CnnBenchRow[]>(
    "cnn-tfjs.ts",
    async (tfjs, wasmDir) => {
      const rows: CnnBenchRow[] = [];
      for (const backend of ["cpu", "wasm"] as const) {
        try {
          const probe = await tfjs.runTfjsCnn(backend, { batch: BATCH, steps: 1, warmup: 1, wasmDir });
          const stepSeconds = probe.samplesPerSecond === null ? 1 : BATCH / probe.samplesPerSecond;
          const steps = stepsFor(stepSeconds, seconds);
          const r = await tfjs.runTfjsCnn(backend, { batch: BATCH, steps, warmup: WARMUP_STEPS, wasmDir });
          rows.push({
            framework: "tfjs 4.22",
            backend,
            samplesPerSecond: r.samplesPerSecond,
            note: `${r.note}, ${steps} steps`,
          });
        } catch (error) {
          rows.push({
            framework: "tfjs 4.22",
            backend,
            samplesPerSecond: null,
            note: `failed: ${errorLine(error)}`,
          });
        }
      }
      return rows;
    },
  );
}

const TORCH_SCRIPT = `
import json, os, sys, time
import torch
from torch import nn
torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
torch.manual_seed(0)
seconds = float(sys.argv[1])
model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
def batches(n):
    return [(torch.randn(${BATCH}, 1, 28, 28), torch.randint(0, 10, (${BATCH},))) for _ in range(n)]
def step(x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
warm = batches(${WARMUP_STEPS})
t = time.perf_counter()
for x, y in warm: step(x, y)
per = (time.perf_counter() - t) / ${WARMUP_STEPS}
steps = max(3, min(2000, int(seconds / max(per, 1e-6)) + 1))
data = batches(steps)
t = time.perf_counter()
for x, y in data: step(x, y)
elapsed = time.perf_counter() - t
print(json.dumps({"per_second": ${BATCH} * steps / elapsed, "steps": steps, "version": torch.__version__}))
`;

/** PyTorch on 2 threads through the shared runner (bench/common.ts). */
function runTorch(seconds: number): CnnBenchRow {
  const row = runTorchScript(TORCH_SCRIPT, seconds, 2);
  return {
    framework: row.framework,
    backend: row.backend,
    samplesPerSecond: row.perSecond,
    note: row.note,
    ...(row.peakRssMB === undefined ? {} : { peakRssMB: row.peakRssMB }),
  };
}

function formatTable(rows: readonly CnnBenchRow[]): string {
  const torchRow = rows.find((r) => r.framework === "PyTorch" && r.samplesPerSecond !== null);
  const torch = torchRow?.samplesPerSecond ?? null;
  const header = [
    "framework",
    "backend",
    "samples/s",
    "ms/step",
    "GFLOP/s",
    torch === null ? "" : "vs PyTorch",
    "peak RSS MB",
    "RSS vs PyTorch",
    "note",
  ];
  const body = rows.map((r) => {
    const sps = r.samplesPerSecond;
    return [
      r.framework,
      r.backend,
      sps === null ? "-" : sps.toFixed(0),
      sps === null ? "-" : ((BATCH / sps) * 1000).toFixed(1),
      sps === null ? "-" : ((sps * 2 * MACS_PER_SAMPLE) / 1e9).toFixed(1),
      torch === null || sps === null ? "" : `${(sps / torch).toFixed(2)}x`,
      formatRss(r.peakRssMB),
      r === torchRow ? "" : rssRatio(r.peakRssMB, torchRow?.peakRssMB),
      r.note,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}

function rounds(): number {
  const value = Number(process.env.BENCH_ROUNDS ?? "3");
  return Number.isInteger(value) && value >= 1 ? value : 3;
}

/** Keeps the faster of two measurements of the same entry (null when neither ran). */
function best(a: CnnBenchRow | undefined, b: CnnBenchRow): CnnBenchRow {
  if (a === undefined || a.samplesPerSecond === null) return b;
  if (b.samplesPerSecond === null || b.samplesPerSecond <= a.samplesPerSecond) return a;
  return b;
}

/**
 * Runs the benchmark on every framework and backend available, prints the table, returns the rows.
 * Tessera and PyTorch are measured in alternating rounds (BENCH_ROUNDS, default 3) and each keeps its
 * best round, so a burst of load from other jobs does not decide the comparison; tfjs runs once.
 */
export async function run(): Promise<CnnBenchRow[]> {
  const seconds = targetSeconds();
  const count = rounds();
  const previous = ts.getBackend();
  console.log(
    `CNN 28x28x1 conv3x3(32)-pool-conv3x3(64)-pool-dense128-dense10 training, batch ${BATCH}, Adam 1e-3, float32, synthetic data (about ${seconds}s per entry, best of ${count} rounds; GFLOP/s counts ${((2 * MACS_PER_SAMPLE) / 1e6).toFixed(1)} MFLOP per sample)`,
  );
  const bestOf = new Map<string, CnnBenchRow>();
  for (let round = 0; round < count; round++) {
    for (const backend of ts.listBackends()) {
      // in a process of its own, so the peak RSS column is this entry's alone
      const row = tesseraInChild<CnnBenchRow>(import.meta.url, backend, (reason) => ({
        framework: "Tessera",
        backend,
        samplesPerSecond: null,
        note: `failed: ${reason}`,
      }));
      bestOf.set(`Tessera ${backend}`, best(bestOf.get(`Tessera ${backend}`), row));
    }
    bestOf.set("PyTorch", best(bestOf.get("PyTorch"), runTorch(seconds)));
  }
  ts.setBackend(previous);
  const rows = [...bestOf.entries()].filter(([key]) => key.startsWith("Tessera")).map(([, row]) => row);
  rows.push(...(await runTfjsAll(seconds)));
  const torch = bestOf.get("PyTorch");
  if (torch !== undefined) rows.push(torch);
  console.log(formatTable(rows));
  console.log(
    "NOTE: the machine is shared with other jobs and loaded; expect noise of tens of percent between runs.",
  );
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await runChildIfAsked((backend) => runTessera(backend, targetSeconds())))) await run();
}
