// bench/lstm.bench: training throughput (samples/s) of LSTM(128) over sequences of 32 steps x 32
// features, then Dense(1), MSE, Adam 1e-3, batch 64, float32, synthetic data, through model.fit on
// every Tessera backend that loaded, next to TensorFlow.js 4.22 (cpu and wasm, tf.basicLSTMCell)
// and PyTorch's nn.LSTM on 1 and 2 threads (strongest torch found: bench/peers.ts). Run alone with
// `npx tsx bench/lstm.bench.ts`; `npm run bench lstm` calls main().
// NOTE: the machine is shared and loaded; figures are noisy, compare within one run.
import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import {
  type BenchRow,
  errorLine,
  formatTable,
  runChildIfAsked,
  runTorch,
  stepsFor,
  targetSeconds,
  tesseraInChild,
  timeFit,
  withTfjsBundle,
} from "./common.js";
import type { LstmShape, runTfjsLstm } from "./lstm-tfjs.js";

const SHAPE: LstmShape = { batch: 64, steps: 32, features: 32, units: 128 };
const WARMUP = 2;

/** The benchmark network: LSTM(128) then Dense(1), compiled with Adam and MSE. */
export function lstmBenchModel(): ts.Sequential {
  const model = ts.sequential([
    ts.layers.lstm({ units: SHAPE.units, inputShape: [SHAPE.steps, SHAPE.features] }),
    ts.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 1e-3 }), loss: "mse" });
  return model;
}

async function runTessera(backend: ts.BackendName, seconds: number): Promise<BenchRow> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = lstmBenchModel();
  const { batch } = SHAPE;
  const data = (n: number) => ({
    x: ts.randn([batch * n, SHAPE.steps, SHAPE.features]),
    y: ts.randn([batch * n, 1]),
  });
  const { steps, elapsed, loss } = await timeFit(model, data, batch, WARMUP, seconds);
  return {
    framework: "Tessera",
    backend,
    perSecond: (batch * steps) / elapsed,
    note: `model.fit, ${steps} steps, loss ${loss?.toFixed(3)}`,
  };
}

async function runTfjsAll(seconds: number): Promise<BenchRow[]> {
  type Runner = { runTfjsLstm: typeof runTfjsLstm };
  return withTfjsBundle<Runner, BenchRow[]>("lstm-tfjs.ts", async (tfjs, wasmDir) => {
    const rows: BenchRow[] = [];
    for (const backend of ["cpu", "wasm"] as const) {
      try {
        const probe = await tfjs.runTfjsLstm(backend, SHAPE, { iterations: 1, warmup: 1, wasmDir });
        const stepSeconds = probe.perSecond === null ? 1 : SHAPE.batch / probe.perSecond;
        const r = await tfjs.runTfjsLstm(backend, SHAPE, {
          iterations: stepsFor(stepSeconds, seconds),
          warmup: WARMUP,
          wasmDir,
        });
        rows.push({ framework: "tfjs 4.22", backend, perSecond: r.perSecond, note: r.note });
      } catch (error) {
        rows.push({ framework: "tfjs 4.22", backend, perSecond: null, note: `failed: ${errorLine(error)}` });
      }
    }
    return rows;
  });
}

/** The PyTorch twin of lstmBenchModel (F, H and torch's nn in scope), shared with lstm-diagnose. */
export const TORCH_LSTM_NET = `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(F, H, batch_first=True)
        self.out = nn.Linear(H, 1)
    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])
`;

const TORCH_SCRIPT = `
import json, os, sys, time
import torch
from torch import nn
torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
torch.manual_seed(0)
seconds = float(sys.argv[1])
B, T, F, H = ${SHAPE.batch}, ${SHAPE.steps}, ${SHAPE.features}, ${SHAPE.units}
${TORCH_LSTM_NET}model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.MSELoss()
def batches(n):
    return [(torch.randn(B, T, F), torch.randn(B, 1)) for _ in range(n)]
def step(x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
warm = batches(${WARMUP})
t = time.perf_counter()
for x, y in warm: step(x, y)
per = (time.perf_counter() - t) / ${WARMUP}
steps = max(3, min(2000, int(seconds / max(per, 1e-6)) + 1))
data = batches(steps)
t = time.perf_counter()
for x, y in data: step(x, y)
elapsed = time.perf_counter() - t
print(json.dumps({"per_second": B * steps / elapsed, "steps": steps, "version": torch.__version__}))
`;

/** Runs the benchmark on every framework and backend available, prints the table, returns the rows. */
export async function run(): Promise<BenchRow[]> {
  const seconds = targetSeconds();
  const previous = ts.getBackend();
  const rows: BenchRow[] = [];
  console.log(
    `LSTM training: sequences ${SHAPE.steps} x ${SHAPE.features}, LSTM(${SHAPE.units}), Dense(1), MSE, Adam 1e-3, batch ${SHAPE.batch}, float32, synthetic data (about ${seconds}s per entry)`,
  );
  // each backend in a process of its own, so the peak RSS column is that entry's alone
  for (const backend of ts.listBackends()) {
    rows.push(
      tesseraInChild<BenchRow>(import.meta.url, backend, (reason) => ({
        framework: "Tessera",
        backend,
        perSecond: null,
        note: `failed: ${reason}`,
      })),
    );
  }
  ts.setBackend(previous);
  rows.push(...(await runTfjsAll(seconds)));
  rows.push(runTorch(TORCH_SCRIPT, seconds, 1), runTorch(TORCH_SCRIPT, seconds, 2));
  console.log(formatTable(rows, "samples/s", SHAPE.batch));
  console.log(
    "NOTE: the machine is shared with other jobs and loaded; expect noise of tens of percent between runs.",
  );
  return rows;
}

export const main = run;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await runChildIfAsked((backend) => runTessera(backend, targetSeconds())))) await run();
}
