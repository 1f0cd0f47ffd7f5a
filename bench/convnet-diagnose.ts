// bench/convnet-diagnose: why the Keras convnet (batch 128, dropout + dense-10 softmax head) and the
// project's CNN bench (batch 64, dense-128 head, logits loss) compare differently with PyTorch. Each
// variant trains STEPS batches through trainOnBatch (and the convnet also through fit) and reports
// CPU milliseconds per sample (user + system of the whole process, all threads), which a loaded
// machine inflates far less than wall time, next to PyTorch doing the same in a child process
// (time.process_time). Not a bench/*.bench.ts file, so `npm run bench` does not run it:
//   npx tsx bench/convnet-diagnose.ts [steps]      (TESSERA_NUM_THREADS=1 for single-thread rows)
// `fit` mode splits a step of the Keras convnet (batch 128, the digits of convnet.bench) by where
// its CPU goes, for fit with the accuracy metric, fit without it and a trainOnBatch loop, rounds
// alternating: CPU ms/step of the main thread, of Tessera's pool workers (threads started after
// this module loaded) and of Node/V8's own threads (GC marking and sweeping), GC pause ms/step
// (perf_hooks) and the MB per step the step allocated fresh through allocateUninit (arrays of
// 64 KiB and more that the buffer pool could not serve; GC work grows with it). Linux only:
//   npx tsx bench/convnet-diagnose.ts fit [steps=40] [rounds=3]

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { getUninitAllocator, setUninitAllocator } from "../src/core/dtype.js";
import * as ts from "../src/index.js";
import { convnetModel, digitImages } from "./convnet.bench.js";
import { torchPeer } from "./peers.js";

/** Threads alive before any kernel ran: the main thread and Node's/V8's own (the pool starts lazily). */
const hostThreads = new Set(readdirSync("/proc/self/task"));

interface Variant {
  name: string;
  batch: number;
  head: "dense128" | "dropout-dense10";
}

const VARIANTS: Variant[] = [
  { name: "CNN bench shape", batch: 64, head: "dense128" },
  { name: "CNN bench shape", batch: 128, head: "dense128" },
  { name: "Keras convnet", batch: 64, head: "dropout-dense10" },
  { name: "Keras convnet", batch: 128, head: "dropout-dense10" },
];

function model(head: Variant["head"]): ts.Sequential {
  const trunk = [
    ts.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", inputShape: [28, 28, 1] }),
    ts.layers.maxPooling2d(),
    ts.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
    ts.layers.maxPooling2d(),
    ts.layers.flatten(),
  ];
  const tail =
    head === "dense128"
      ? [ts.layers.dense({ units: 128, activation: "relu" }), ts.layers.dense({ units: 10 })]
      : [ts.layers.dropout({ rate: 0.5 }), ts.layers.dense({ units: 10, activation: "softmax" })];
  const m = ts.sequential([...trunk, ...tail]);
  m.compile({
    optimizer: ts.optimizers.adam({ learningRate: 1e-3 }),
    loss:
      head === "dense128"
        ? ts.losses.sparseCategoricalCrossentropy({ fromLogits: true })
        : ts.losses.sparseCategoricalCrossentropy(),
  });
  return m;
}

/** CPU ms and wall ms per sample of `steps` calls of fn (after 5 warm-up calls). */
async function cost(fn: () => unknown, steps: number, batch: number): Promise<{ cpu: number; wall: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await fn();
  const c = process.cpuUsage(c0);
  return {
    cpu: (c.user + c.system) / 1000 / (steps * batch),
    wall: (performance.now() - t0) / (steps * batch),
  };
}

const TORCH = `
import json, sys, time, torch
from torch import nn
torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)
steps = int(sys.argv[2]); out = []
for head, B in [("dense128", 64), ("dense128", 128), ("dropout-dense10", 64), ("dropout-dense10", 128)]:
    tail = [nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10)] if head == "dense128" else [nn.Dropout(0.5), nn.Linear(1600, 10)]
    m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), *tail)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7); f = nn.CrossEntropyLoss()
    x = torch.rand(B, 1, 28, 28); y = torch.randint(0, 10, (B,))
    def step():
        opt.zero_grad(set_to_none=True); f(m(x), y).backward(); opt.step()
    for _ in range(5): step()
    c, t = time.process_time(), time.perf_counter()
    for _ in range(steps): step()
    out.append({"head": head, "batch": B, "cpu": (time.process_time() - c) * 1000 / (steps * B), "wall": (time.perf_counter() - t) * 1000 / (steps * B)})
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "rows": out}))
`;

export async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? "12");
  console.log(`Tessera ${ts.describeBackend()}; ${steps} timed steps per variant; ms per sample`);
  const lines: string[] = [];
  for (const v of VARIANTS) {
    ts.seed(0);
    const m = model(v.head);
    const x = ts.rand([v.batch, 28, 28, 1]);
    const y = ts.randint(0, 10, [v.batch], { dtype: "int32" });
    const r = await cost(() => m.trainOnBatch(x, y), steps, v.batch);
    lines.push(
      `Tessera  ${v.name.padEnd(16)} batch ${String(v.batch).padStart(3)}  trainOnBatch  cpu ${r.cpu.toFixed(3)}  wall ${r.wall.toFixed(3)}`,
    );
    const bigX = ts.rand([v.batch * steps, 28, 28, 1]);
    const bigY = ts.randint(0, 10, [v.batch * steps], { dtype: "int32" });
    const f = await cost(
      () => m.fit(bigX, bigY, { epochs: 1, batchSize: v.batch, verbose: 0 }),
      1,
      v.batch * steps,
    );
    lines.push(
      `Tessera  ${v.name.padEnd(16)} batch ${String(v.batch).padStart(3)}  fit           cpu ${f.cpu.toFixed(3)}  wall ${f.wall.toFixed(3)}`,
    );
  }
  for (const line of lines) console.log(line);
  const peer = torchPeer();
  if (peer.python === undefined) {
    console.log(peer.note);
    return;
  }
  for (const threads of [1, 2]) {
    const r = spawnSync(peer.python, ["-c", TORCH, String(threads), String(steps)], {
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" },
    });
    if (r.status !== 0) {
      console.log(`PyTorch failed: ${r.stderr.trim().split("\n").at(-1)}`);
      continue;
    }
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
      version: string;
      threads: number;
      rows: { head: string; batch: number; cpu: number; wall: number }[];
    };
    for (const row of out.rows)
      console.log(
        `PyTorch ${out.version} ${out.threads}t  ${row.head.padEnd(16)} batch ${String(row.batch).padStart(3)}  loop  cpu ${row.cpu.toFixed(3)}  wall ${row.wall.toFixed(3)}`,
      );
  }
}

/** CPU ms of each thread of this process so far (Linux /proc, 10 ms ticks). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

type FitVariant = "fit" | "fit, no metric" | "trainOnBatch loop";

interface Split {
  main: number;
  pool: number;
  host: number;
  gc: number;
  freshMB: number;
}

/** One timed run of `variant` over `steps` batches: the per-step split of the header's `fit` mode. */
async function splitOf(variant: FitVariant, x: ts.Tensor, y: ts.Tensor, batch: number): Promise<Split> {
  ts.seed(0);
  const model = convnetModel(variant !== "fit, no metric");
  const steps = x.shape[0]! / batch;
  const cut = (t: ts.Tensor, b: number) => {
    const width = t.size / t.shape[0]!;
    return ts.tensor((t.data as Float32Array).slice(b * batch * width, (b + 1) * batch * width), [
      batch,
      ...t.shape.slice(1),
    ]);
  };
  const batches = Array.from({ length: steps }, (_, b) => [cut(x, b), cut(y, b)] as const);
  for (const [bx, by] of batches.slice(0, 3)) model.trainOnBatch(bx, by);
  let gc = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc += entry.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  const allocator = getUninitAllocator();
  let fresh = 0;
  if (allocator !== null)
    setUninitAllocator((bytes) => {
      fresh += bytes;
      return allocator(bytes);
    });
  const before = threadCpu();
  if (variant === "trainOnBatch loop") for (const [bx, by] of batches) model.trainOnBatch(bx, by);
  else await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  const after = threadCpu();
  setUninitAllocator(allocator);
  await new Promise((resolve) => setTimeout(resolve, 20)); // GC entries arrive asynchronously
  observer.disconnect();
  const split: Split = { main: 0, pool: 0, host: 0, gc: gc / steps, freshMB: fresh / 1e6 / steps };
  for (const [tid, ms] of after) {
    const used = (ms - (before.get(tid) ?? 0)) / steps;
    if (tid === String(process.pid)) split.main += used;
    else if (hostThreads.has(tid)) split.host += used;
    else split.pool += used;
  }
  return split;
}

/** The `fit` mode of the header: best (least total CPU) of `rounds` alternating runs per variant. */
export async function fitBreakdown(steps: number, rounds: number): Promise<void> {
  const batch = 128;
  const { pixels, labels } = digitImages(steps * batch);
  const x = ts.tensor(pixels, [steps * batch, 28, 28, 1]);
  const y = ts.oneHot(ts.tensor(labels, [steps * batch]), 10);
  const variants: FitVariant[] = ["fit", "fit, no metric", "trainOnBatch loop"];
  const best = new Map<FitVariant, Split>();
  const total = (s: Split) => s.main + s.pool + s.host;
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      const s = await splitOf(v, x, y, batch);
      const kept = best.get(v);
      if (kept === undefined || total(s) < total(kept)) best.set(v, s);
    }
  }
  console.log(
    `Keras convnet, batch ${batch}, ${steps} steps, best of ${rounds} alternating rounds; Tessera ${ts.describeBackend()}`,
  );
  console.log("variant             CPU ms/step  main   pool  node/V8  GC pause ms/step  fresh MB/step");
  for (const [v, s] of best) {
    const cells = [total(s), s.main, s.pool, s.host].map((n) => n.toFixed(1).padStart(5));
    console.log(
      `${v.padEnd(19)} ${cells[0]}       ${cells[1]}  ${cells[2]}  ${cells[3]}    ${s.gc.toFixed(1).padStart(5)}             ${s.freshMB.toFixed(1).padStart(5)}`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "fit")
    await fitBreakdown(Number(process.argv[3] ?? "40"), Number(process.argv[4] ?? "3"));
  else await main();
}
