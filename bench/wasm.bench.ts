// bench/wasm: the WebAssembly backend against native and reference. GEMM GFLOP/s at 512 and 1024
// (float32; plain, A transposed, B transposed) on the kernel tables directly, and MLP 784-256-256-10
// training samples/s through model.fit. Native runs at 1 thread (the wasm build's count) and at
// its default; the load average is printed because the machine is shared. `npm run bench -- wasm`
// (BENCH_SECONDS sets the MLP runs' length, BENCH_WASM_SIZES the GEMM sizes, e.g. "256,512").
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { Kernels } from "../src/backend/kernels.js";
import { nativeAddon } from "../src/backend/native/loader.js";
import { kernels } from "../src/backend/registry.js";
import * as ts from "../src/index.js";
import { targetSeconds, timeFit } from "./common.js";
import { bestTime, fixed, table } from "./harness.js";
import { mlpBenchModel } from "./mlp.bench.js";

type Layout = "plain" | "transA" | "transB";

function gemmGflops(backend: ts.BackendName, n: number, layout: Layout): number {
  ts.setBackend(backend);
  const table: Kernels = kernels();
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const out = new Float32Array(n * n);
  const params = {
    batch: 1,
    m: n,
    n,
    k: n,
    transA: layout === "transA",
    transB: layout === "transB",
    aBatchStride: 0,
    bBatchStride: 0,
  };
  const seconds = backend === "reference" ? 0 : 0.5;
  const time = bestTime(() => table.matmul(a, b, out, params), {
    seconds,
    minReps: backend === "reference" ? 1 : 3,
  });
  return (2 * n * n * n) / time / 1e9;
}

async function mlpSamplesPerSecond(backend: ts.BackendName, seconds: number): Promise<number> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = mlpBenchModel();
  const batch = 128;
  const data = (steps: number) => ({
    x: ts.randn([batch * steps, 784]),
    y: ts.randint(0, 10, [batch * steps], { dtype: "int32" }),
  });
  const { steps, elapsed } = await timeFit(model, data, batch, 3, seconds);
  return (batch * steps) / elapsed;
}

/** Runs `fn` with the native addon at `threads` threads (restored after). */
async function withNativeThreads<T>(threads: number, fn: () => Promise<T> | T): Promise<T> {
  const addon = nativeAddon();
  const before = addon?.getNumThreads();
  addon?.setNumThreads(threads);
  try {
    return await fn();
  } finally {
    if (before !== undefined) addon?.setNumThreads(before);
  }
}

export async function main(): Promise<void> {
  const backends = ts.listBackends();
  if (!backends.includes("wasm"))
    throw new Error("bench/wasm: the wasm backend is not loaded (npm run build:wasm)");
  const hasNative = backends.includes("native");
  const threads = nativeAddon()?.getNumThreads() ?? 1;
  const sizes = (process.env.BENCH_WASM_SIZES ?? "512,1024").split(",").map(Number);
  console.log(
    `load average before: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
  const rows: string[][] = [];
  for (const n of sizes) {
    for (const layout of ["plain", "transA", "transB"] as const) {
      const wasm = gemmGflops("wasm", n, layout);
      const native1 = hasNative
        ? await withNativeThreads(1, () => gemmGflops("native", n, layout))
        : undefined;
      const nativeAll = hasNative ? gemmGflops("native", n, layout) : undefined;
      const reference = n <= 512 ? gemmGflops("reference", n, layout) : undefined;
      rows.push([`${n}`, layout, fixed(wasm), fixed(native1), fixed(nativeAll), fixed(reference)]);
    }
  }
  console.log("GEMM float32, GFLOP/s (best of runs)");
  console.log(
    table(["n", "layout", "wasm (1 thr)", "native 1 thr", `native ${threads} thr`, "reference"], rows),
  );
  const seconds = targetSeconds();
  const mlpRows: string[][] = [];
  const wasm = await mlpSamplesPerSecond("wasm", seconds);
  const native1 = hasNative
    ? await withNativeThreads(1, () => mlpSamplesPerSecond("native", seconds))
    : undefined;
  const nativeAll = hasNative ? await mlpSamplesPerSecond("native", seconds) : undefined;
  const reference = await mlpSamplesPerSecond("reference", seconds);
  mlpRows.push([fixed(wasm, 0), fixed(native1, 0), fixed(nativeAll, 0), fixed(reference, 0)]);
  console.log("MLP 784-256-256-10 training (batch 128, Adam), samples/s");
  console.log(table(["wasm (1 thr)", "native 1 thr", `native ${threads} thr`, "reference"], mlpRows));
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
