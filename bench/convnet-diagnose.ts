// bench/convnet-diagnose: why the Keras convnet (batch 128, dropout + dense-10 softmax head) and the
// project's CNN bench (batch 64, dense-128 head, logits loss) compare differently with PyTorch. Each
// variant trains STEPS batches through trainOnBatch (and the convnet also through fit) and reports
// CPU milliseconds per sample (user + system of the whole process, all threads), which a loaded
// machine inflates far less than wall time, next to PyTorch doing the same in a child process
// (time.process_time). Not a bench/*.bench.ts file, so `npm run bench` does not run it:
//   npx tsx bench/convnet-diagnose.ts [steps]      (TESSERA_NUM_THREADS=1 for single-thread rows)

import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import { torchPeer } from "./peers.js";

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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
