// bench/lstm-diagnose: CPU milliseconds per sample of the LSTM bench's training step (LSTM(128),
// sequences 32 x 32, Dense(1), MSE, Adam, batch 64, float32), for Tessera through trainOnBatch on
// 1 and 2 threads and for PyTorch (the strongest found: bench/peers.ts) as a plain loop with
// torch.set_num_threads(1 | 2). CPU time (user + system of the whole process, every thread) is
// what a loaded machine inflates least, so before/after comparisons survive the load; wall time is
// printed beside it. Each figure is the best of REPEATS blocks of STEPS steps. Tessera also reports
// its forward alone (predictOnBatch) and the CPU ms per call of the kernels a step runs: the
// whole-sequence forward and backward, the dU GEMM over all steps, the input projection and dW.
// Not a *.bench.ts file, so `npm run bench` does not run it:
//   npx tsx bench/lstm-diagnose.ts [steps] [repeats]
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { kernels } from "../src/backend/registry.js";
import * as ts from "../src/index.js";
import { TORCH_LSTM_NET } from "./lstm.bench.js";
import { torchPeer } from "./peers.js";

const B = 64;
const T = 32;
const F = 32;
const H = 128;
const CHILD_ENV = "TESSERA_LSTM_DIAGNOSE_CHILD";

interface Cost {
  cpu: number; // CPU ms per sample
  wall: number; // wall ms per sample
}

/** Best (lowest CPU) of `repeats` blocks of `steps` calls of fn, after 3 warm-up calls. */
async function bestCost(fn: () => unknown, steps: number, repeats: number): Promise<Cost> {
  for (let i = 0; i < 3; i++) await fn();
  let best: Cost = { cpu: Number.POSITIVE_INFINITY, wall: Number.POSITIVE_INFINITY };
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await fn();
    const c = process.cpuUsage(c0);
    const cost = {
      cpu: (c.user + c.system) / 1000 / (steps * B),
      wall: (performance.now() - t0) / (steps * B),
    };
    if (cost.cpu < best.cpu) best = cost;
  }
  return best;
}

/** CPU ms per call of fn: best of `repeats` blocks of 10 calls, after 3 warm-up calls. */
function kernelMs(fn: () => void, repeats: number): number {
  for (let i = 0; i < 3; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 10; i++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / 10);
  }
  return best;
}

/** CPU ms per call of each kernel of one training step, on the bench's shapes (random data). */
function kernelBreakdown(repeats: number): Record<string, number> {
  const k = kernels();
  const G = 4 * H;
  const N = B * H;
  const random = (n: number, scale: number) => Float32Array.from(ts.mul(ts.randn([n]), scale).data);
  const xProj = random(T * B * G, 1);
  const u = random(H * G, 0.1);
  const h0 = new Float32Array(N);
  const c0 = new Float32Array(N);
  const h = new Float32Array(T * N);
  const c = new Float32Array(T * N);
  const gates = new Float32Array(T * B * G);
  const dz = new Float32Array(T * B * G);
  const dStates = random(2 * T * N, 0.1);
  const x = random(T * B * F, 1);
  const w = random(F * G, 0.1);
  const params = {
    batch: B,
    units: H,
    activation: "tanh",
    recurrentActivation: "sigmoid",
    steps: T,
    goBackwards: false,
  } as const;
  const gemm = (
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    n: number,
    kk: number,
    transA: boolean,
  ) =>
    k.matmul(a, b, out, { batch: 1, m, n, k: kk, transA, transB: false, aBatchStride: 0, bBatchStride: 0 });
  const du = new Float32Array(H * G);
  const dw = new Float32Array(F * G);
  return {
    "sequence forward": kernelMs(() => k.lstmSequence(xProj, u, h0, c0, h, c, gates, params), repeats),
    "sequence backward": kernelMs(
      () =>
        k.lstmSequenceBackward(
          gates,
          c,
          c0,
          u,
          dStates.subarray(0, T * N),
          dStates.subarray(T * N),
          dz,
          new Float32Array(N),
          new Float32Array(N),
          params,
        ),
      repeats,
    ),
    "dU = h^T dz": kernelMs(
      () => gemm(h.subarray(0, (T - 1) * N), dz.subarray(B * G), du, H, G, (T - 1) * B, true),
      repeats,
    ),
    "x W projection": kernelMs(() => gemm(x, w, xProj, T * B, G, F, false), repeats),
    "dW = x^T dz": kernelMs(() => gemm(x, dz, dw, F, G, T * B, true), repeats),
  };
}

/** In a child with TESSERA_NUM_THREADS set: the Tessera rows as one JSON line. */
async function tesseraChild(steps: number, repeats: number): Promise<void> {
  ts.seed(0);
  const model = ts.sequential([
    ts.layers.lstm({ units: H, inputShape: [T, F] }),
    ts.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: ts.optimizers.adam({ learningRate: 1e-3 }), loss: "mse" });
  const x = ts.randn([B, T, F]);
  const y = ts.randn([B, 1]);
  const step = await bestCost(() => model.trainOnBatch(x, y), steps, repeats);
  const forward = await bestCost(() => model.predictOnBatch(x), steps, repeats);
  const breakdown = kernelBreakdown(repeats);
  console.log(JSON.stringify({ backend: ts.describeBackend(), step, forward, breakdown }));
}

const TORCH = `
import json, sys, time, torch
from torch import nn
torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)
steps, repeats = int(sys.argv[2]), int(sys.argv[3])
B, T, F, H = ${B}, ${T}, ${F}, ${H}
${TORCH_LSTM_NET}m = Net(); opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7); f = nn.MSELoss()
x = torch.randn(B, T, F); y = torch.randn(B, 1)
def step():
    opt.zero_grad(set_to_none=True); f(m(x), y).backward(); opt.step()
def forward():
    with torch.no_grad(): m(x)
def best(fn):
    for _ in range(3): fn()
    out = None
    for _ in range(repeats):
        c, t = time.process_time(), time.perf_counter()
        for _ in range(steps): fn()
        r = {"cpu": (time.process_time() - c) * 1000 / (steps * B), "wall": (time.perf_counter() - t) * 1000 / (steps * B)}
        if out is None or r["cpu"] < out["cpu"]: out = r
    return out
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "step": best(step), "forward": best(forward)}))
`;

function line(who: string, kind: string, c: Cost): string {
  return `${who.padEnd(34)} ${kind.padEnd(8)} cpu ${c.cpu.toFixed(4)}  wall ${c.wall.toFixed(4)}`;
}

function lastJson(stdout: string): unknown {
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
}

export async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? "20");
  const repeats = Number(process.argv[3] ?? "5");
  console.log(
    `LSTM(${H}) seq ${T} x ${F}, Dense(1), MSE, Adam, batch ${B}: CPU and wall ms per sample, best of ${repeats} x ${steps} steps`,
  );
  const best = { tessera: Number.POSITIVE_INFINITY, torch: Number.POSITIVE_INFINITY };
  for (const threads of [1, 2]) {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), String(steps), String(repeats)],
      {
        encoding: "utf8",
        timeout: 900_000,
        env: { ...process.env, [CHILD_ENV]: "1", TESSERA_NUM_THREADS: String(threads) },
      },
    );
    if (r.status !== 0) {
      console.log(`Tessera ${threads}t failed: ${r.stderr.trim().split("\n").at(-1)}`);
      continue;
    }
    const out = lastJson(r.stdout) as {
      backend: string;
      step: Cost;
      forward: Cost;
      breakdown: Record<string, number>;
    };
    const who = `Tessera ${threads}t (${out.backend.split(" ")[0]})`;
    best.tessera = Math.min(best.tessera, out.step.cpu);
    console.log(line(who, "step", out.step));
    console.log(line(who, "forward", out.forward));
    const parts = Object.entries(out.breakdown).map(([name, ms]) => `${name} ${ms.toFixed(2)}`);
    console.log(`${"".padEnd(34)} kernels, CPU ms per call (one step runs each once): ${parts.join(", ")}`);
  }
  const peer = torchPeer();
  if (peer.python === undefined) {
    console.log(peer.note);
    return;
  }
  for (const threads of [1, 2]) {
    const r = spawnSync(peer.python, ["-c", TORCH, String(threads), String(steps), String(repeats)], {
      encoding: "utf8",
      timeout: 900_000,
      env: { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" },
    });
    if (r.status !== 0) {
      console.log(`PyTorch ${threads}t failed: ${r.stderr.trim().split("\n").at(-1)}`);
      continue;
    }
    const out = lastJson(r.stdout) as { version: string; threads: number; step: Cost; forward: Cost };
    const who = `PyTorch ${out.version} ${out.threads}t`;
    best.torch = Math.min(best.torch, out.step.cpu);
    console.log(line(who, "step", out.step));
    console.log(line(who, "forward", out.forward));
  }
  // > 1: Tessera's cheapest step (either thread count) costs less CPU per sample than PyTorch's
  console.log(`best step, PyTorch CPU / Tessera CPU per sample: ${(best.torch / best.tessera).toFixed(2)}x`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.env[CHILD_ENV] === "1")
    await tesseraChild(Number(process.argv[2] ?? "20"), Number(process.argv[3] ?? "5"));
  else await main();
}
