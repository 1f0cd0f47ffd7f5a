import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import {
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

const BATCH = 128;
const WARMUP_STEPS = 3;

export interface MlpBenchRow {
  framework: string;
  backend: string;
  samplesPerSecond: number | null;
  msPerStep: number | null;
  note: string;
  /** Peak RSS of the process that ran only this entry, MB. */
  peakRssMB?: number;
}

/**
 * The benchmark's model: 784-256-256-10 (ReLU), Adam 1e-3, sparse cross-entropy on logits, with
 * `metrics` when given (bench/dashboard-overhead fits the same model with accuracy logged).
 */
export function mlpBenchModel(metrics?: ts.CompileOptions["metrics"]): ts.Model {
  const model = ts.sequential([
    ts.layers.dense({ units: 256, activation: "relu", inputShape: [784] }),
    ts.layers.dense({ units: 256, activation: "relu" }),
    ts.layers.dense({ units: 10 }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    ...(metrics === undefined ? {} : { metrics }),
  });
  return model;
}

async function runTessera(backend: ts.BackendName, seconds: number): Promise<MlpBenchRow> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = mlpBenchModel();
  const data = (steps: number) => ({
    x: ts.randn([BATCH * steps, 784]),
    y: ts.randint(0, 10, [BATCH * steps], { dtype: "int32" }),
  });
  const { steps, elapsed, loss } = await timeFit(model, data, BATCH, WARMUP_STEPS, seconds);
  return {
    framework: "Tessera",
    backend,
    samplesPerSecond: (BATCH * steps) / elapsed,
    msPerStep: (elapsed * 1000) / steps,
    note: `model.fit, ${steps} steps, loss ${loss?.toFixed(3)}`,
  };
}

/** TensorFlow.js cpu and wasm rows (the runner is bundled first: see withTfjsBundle). */
async function runTfjsAll(seconds: number): Promise<MlpBenchRow[]> {
  return withTfjsBundle<typeof import("./mlp-tfjs.js"), MlpBenchRow[]>(
    "mlp-tfjs.ts",
    async (tfjs, wasmDir) => {
      const rows: MlpBenchRow[] = [];
      for (const backend of ["cpu", "wasm"] as const) {
        try {
          const probe = await tfjs.runTfjs(backend, { batch: BATCH, steps: 1, warmup: 1, wasmDir });
          const stepSeconds = probe.samplesPerSecond === null ? 1 : BATCH / probe.samplesPerSecond;
          const steps = stepsFor(stepSeconds, seconds);
          const r = await tfjs.runTfjs(backend, { batch: BATCH, steps, warmup: WARMUP_STEPS, wasmDir });
          rows.push({
            framework: "tfjs 4.22",
            backend,
            samplesPerSecond: r.samplesPerSecond,
            msPerStep: r.samplesPerSecond === null ? null : (BATCH / r.samplesPerSecond) * 1000,
            note: `${r.note}, ${steps} steps`,
          });
        } catch (error) {
          rows.push({
            framework: "tfjs 4.22",
            backend,
            samplesPerSecond: null,
            msPerStep: null,
            note: `failed: ${String(error)}`,
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
torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
torch.manual_seed(0)
seconds = float(sys.argv[1])
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                            torch.nn.ReLU(), torch.nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
def batches(n):
    return [(torch.randn(128, 784), torch.randint(0, 10, (128,))) for _ in range(n)]
def step(x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss
warm = batches(${WARMUP_STEPS})
t = time.perf_counter()
for x, y in warm: step(x, y)
per = (time.perf_counter() - t) / ${WARMUP_STEPS}
steps = max(3, min(2000, int(seconds / max(per, 1e-6)) + 1))
data = batches(steps)
t = time.perf_counter()
for x, y in data: step(x, y)
elapsed = time.perf_counter() - t
print(json.dumps({"per_second": 128 * steps / elapsed, "steps": steps, "version": torch.__version__,
                  "threads": torch.get_num_threads()}))
`;

/** PyTorch on 2 threads through the shared runner (bench/common.ts). */
function runTorch(seconds: number): MlpBenchRow {
  const row = runTorchScript(TORCH_SCRIPT, seconds, 2);
  return {
    framework: row.framework,
    backend: row.backend,
    samplesPerSecond: row.perSecond,
    msPerStep: row.perSecond === null ? null : (BATCH / row.perSecond) * 1000,
    note:
      row.perSecond === null ? row.note : `${row.note}, OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE`,
    ...(row.peakRssMB === undefined ? {} : { peakRssMB: row.peakRssMB }),
  };
}

function formatTable(rows: readonly MlpBenchRow[]): string {
  const torchRow = rows.find((r) => r.framework === "PyTorch" && r.samplesPerSecond !== null);
  const reference = torchRow?.samplesPerSecond ?? null;
  const header = [
    "framework",
    "backend",
    "samples/s",
    "ms/step",
    reference === null ? "" : "vs PyTorch",
    "peak RSS MB",
    "RSS vs PyTorch",
    "note",
  ];
  const body = rows.map((r) => [
    r.framework,
    r.backend,
    r.samplesPerSecond === null ? "-" : r.samplesPerSecond.toFixed(0),
    r.msPerStep === null ? "-" : r.msPerStep.toFixed(1),
    reference === null || r.samplesPerSecond === null
      ? ""
      : `${(r.samplesPerSecond / reference).toFixed(2)}x`,
    formatRss(r.peakRssMB),
    r === torchRow ? "" : rssRatio(r.peakRssMB, torchRow?.peakRssMB),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}

/** Runs the benchmark on every framework and backend available, prints the table, returns the rows. */
export async function run(): Promise<MlpBenchRow[]> {
  const seconds = targetSeconds();
  const previous = ts.getBackend();
  const rows: MlpBenchRow[] = [];
  console.log(
    `MLP 784-256-256-10 training, batch ${BATCH}, Adam 1e-3, float32, synthetic data (about ${seconds}s per entry)`,
  );
  // each backend in a process of its own, so the peak RSS column is that entry's alone
  for (const backend of ts.listBackends()) {
    rows.push(
      tesseraInChild<MlpBenchRow>(import.meta.url, backend, (reason) => ({
        framework: "Tessera",
        backend,
        samplesPerSecond: null,
        msPerStep: null,
        note: `failed: ${reason}`,
      })),
    );
  }
  ts.setBackend(previous);
  rows.push(...(await runTfjsAll(seconds)));
  rows.push(runTorch(seconds));
  console.log(formatTable(rows));
  console.log("NOTE: the machine is shared with other jobs; expect noise of tens of percent between runs.");
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await runChildIfAsked((backend) => runTessera(backend, targetSeconds())))) await run();
}
