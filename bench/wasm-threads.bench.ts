// bench/wasm-threads: the threaded WebAssembly module (wasm/tessera-threads.wasm) on 1 and 2
// threads (BENCH_WASM_THREADS, e.g. "1,2,4"), and the one-thread module (wasm/tessera.wasm) as the
// baseline: GEMM float32 (BENCH_WASM_SIZES, default 1024; plain,
// A transposed, B transposed) GFLOP/s on the kernel table, and MLP 784-256-256-10 training
// (batch 128, Adam) samples/s through model.fit. Thread counts alternate within each of 3 rounds
// and the best round counts, so every column meets the same noise; CPU time of the whole process
// (the helpers are threads of it) per GEMM / per sample is printed beside the wall-clock figure,
// with the load average, because the machine may be shared. `npm run bench -- wasm-threads`
// (BENCH_SECONDS sets the MLP runs' length).

import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { Kernels } from "../src/backend/kernels.js";
import { kernels, registerWasmFromBytes } from "../src/backend/registry.js";
import { loadWasmBackend, loadWasmFromBytes } from "../src/backend/wasm/loader.js";
import * as ts from "../src/index.js";
import { stepsFor, targetSeconds } from "./common.js";
import { BestOf, fixed, table } from "./harness.js";
import { mlpBenchModel } from "./mlp.bench.js";
import { gemmOperands, type Layout } from "./wasm.bench.js";

/** Best wall seconds and the CPU seconds of that repetition, over reps of `fn` lasting ~`seconds`. */
function bestWithCpu(fn: () => void, seconds: number): { wall: number; cpu: number } {
  fn();
  let best = { wall: Number.POSITIVE_INFINITY, cpu: 0 };
  const start = performance.now();
  for (let rep = 0; rep < 50; rep++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    if (wall < best.wall) best = { wall, cpu: (used.user + used.system) / 1e6 };
    if (rep >= 2 && (performance.now() - start) / 1000 > seconds) break;
  }
  return best;
}

function gemm(n: number, layout: Layout, table: Pick<Kernels, "matmul">): { gflops: number; cpuMs: number } {
  const { a, b, out, params } = gemmOperands(n, layout);
  const { wall, cpu } = bestWithCpu(() => table.matmul(a, b, out, params), 0.5);
  return { gflops: (2 * n * n * n) / wall / 1e9, cpuMs: cpu * 1000 };
}

/** MLP training: samples/s (wall) and CPU milliseconds per sample of one timed fit. */
async function mlp(seconds: number): Promise<{ samples: number; cpuMs: number }> {
  ts.seed(0);
  const model = mlpBenchModel();
  const batch = 128;
  const data = (steps: number) => ({
    x: ts.randn([batch * steps, 784]),
    y: ts.randint(0, 10, [batch * steps], { dtype: "int32" }),
  });
  const warm = data(3);
  let start = performance.now();
  await model.fit(warm.x, warm.y, { epochs: 1, batchSize: batch, verbose: 0 });
  const steps = stepsFor((performance.now() - start) / 1000 / 3, seconds);
  const timed = data(steps);
  const cpu0 = process.cpuUsage();
  start = performance.now();
  await model.fit(timed.x, timed.y, { epochs: 1, batchSize: batch, verbose: 0 });
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  return { samples: (batch * steps) / wall, cpuMs: (used.user + used.system) / 1000 / (batch * steps) };
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");

export async function main(): Promise<void> {
  const backend = loadWasmBackend();
  const pool = backend?.threads;
  if (pool === undefined)
    throw new Error("bench/wasm-threads: the threaded wasm module did not load (npm run build:wasm)");
  const counts = (process.env.BENCH_WASM_THREADS ?? "1,2").split(",").map(Number);
  const sizes = (process.env.BENCH_WASM_SIZES ?? "1024").split(",").map(Number);
  ts.setBackend("wasm");
  pool.setThreads(Math.max(...counts));
  await pool.ready();
  console.log(`load average before: ${load()}; host cores ${pool.cores}, helpers in ${pool.hostKind}`);
  const singleBytes = readFileSync(new URL("../wasm/tessera.wasm", import.meta.url));
  const singleMatmul = loadWasmFromBytes(singleBytes).kernels.matmul;
  if (singleMatmul === undefined) throw new Error("bench/wasm-threads: tessera.wasm has no matmul");
  const layouts = ["plain", "transA", "transB"] as const;
  const columns = ["single", ...counts.map(String)];
  const best = new BestOf();
  const cpu = new Map<string, number>();
  for (let round = 0; round < 3; round++) {
    for (const n of sizes) {
      for (const layout of layouts) {
        for (const column of columns) {
          if (column !== "single") pool.setThreads(Number(column));
          const key = `${n} ${layout} ${column}`;
          const result = gemm(n, layout, column === "single" ? { matmul: singleMatmul } : kernels());
          if (result.gflops > (best.get(key) ?? 0)) cpu.set(key, result.cpuMs);
          best.add(key, result.gflops);
        }
      }
    }
  }
  const names = columns.map((c) => (c === "single" ? "tessera.wasm" : `${c} thr`));
  const gemmRows = sizes.flatMap((n) =>
    layouts.map((layout) => [
      `${n}`,
      layout,
      ...columns.flatMap((c) => [
        fixed(best.get(`${n} ${layout} ${c}`)),
        fixed(cpu.get(`${n} ${layout} ${c}`)),
      ]),
    ]),
  );
  console.log("wasm GEMM float32: GFLOP/s (best of 3 rounds) and process CPU ms per GEMM");
  console.log(table(["n", "layout", ...names.flatMap((c) => [`${c} GFLOP/s`, `${c} CPU ms`])], gemmRows));

  const seconds = targetSeconds();
  const mlpBest = new BestOf();
  const mlpCpu = new Map<number, number>();
  for (let round = 0; round < 3; round++) {
    for (const count of counts) {
      pool.setThreads(count);
      const result = await mlp(seconds);
      if (result.samples > (mlpBest.get(`${count}`) ?? 0)) mlpCpu.set(count, result.cpuMs);
      mlpBest.add(`${count}`, result.samples);
    }
  }
  // the one-thread module last: registering it replaces the threaded backend for the rest of the run
  registerWasmFromBytes(singleBytes);
  ts.setBackend("wasm");
  const mlpSingle = new BestOf();
  let singleCpu: number | undefined;
  for (let round = 0; round < 3; round++) {
    const result = await mlp(seconds);
    if (result.samples > (mlpSingle.get("single") ?? 0)) singleCpu = result.cpuMs;
    mlpSingle.add("single", result.samples);
  }
  console.log(
    "wasm MLP 784-256-256-10 training (batch 128, Adam): samples/s (best of 3) and CPU ms per sample",
  );
  const mlpRow = [
    fixed(mlpSingle.get("single"), 0),
    fixed(singleCpu, 3),
    ...counts.flatMap((c) => [fixed(mlpBest.get(`${c}`), 0), fixed(mlpCpu.get(c), 3)]),
  ];
  console.log(
    table(
      names.flatMap((c) => [`${c} samples/s`, `${c} CPU ms/sample`]),
      [mlpRow],
    ),
  );
  console.log(`load average after: ${load()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
