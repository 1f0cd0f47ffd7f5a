// bench/wasm: the WebAssembly backend against native, reference and tfjs-wasm 4.22. GEMM GFLOP/s
// at 512 and 1024 (float32; plain, A transposed, B transposed) on the kernel tables directly (and
// tf.matMul with its transpose flags), best of 3 interleaved rounds so every column meets the same
// noise, and MLP 784-256-256-10 training samples/s through model.fit. Native runs at 1 thread (the
// wasm build's count) and at its default; the load average is printed because the machine is
// shared. `npm run bench -- wasm` (BENCH_SECONDS sets the MLP runs' length, BENCH_WASM_SIZES the
// GEMM sizes, e.g. "256,512").
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { Kernels } from "../src/backend/kernels.js";
import { nativeAddon } from "../src/backend/native/loader.js";
import { kernels } from "../src/backend/registry.js";
import * as ts from "../src/index.js";
import { stepsFor, targetSeconds, timeFit, withTfjsBundle } from "./common.js";
import { BestOf, bestTime, bestTimeAsync, fixed, table } from "./harness.js";
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

type Tf = typeof import("@tensorflow/tfjs-core");

/** tfjs-core with its wasm backend (the binary read from node_modules), or undefined. */
async function tfjsWasm(): Promise<Tf | undefined> {
  try {
    const tf = await import("@tensorflow/tfjs-core");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const { createRequire } = await import("node:module");
    const { dirname, join } = await import("node:path");
    const dist = dirname(
      createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"),
    );
    wasm.setWasmPaths(`${join(dist, "dist")}/`);
    if (!(await tf.setBackend("wasm"))) return undefined;
    await tf.ready();
    return tf;
  } catch (error) {
    console.log(`tfjs-wasm not available: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function tfjsGflops(tf: Tf, n: number, layout: Layout): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const seconds = await bestTimeAsync(
    async () => {
      const c = tf.matMul(a, b, layout === "transA", layout === "transB");
      await c.data();
      c.dispose();
    },
    { seconds: 0.5 },
  );
  a.dispose();
  b.dispose();
  return (2 * n * n * n) / seconds / 1e9;
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

/** tfjs-wasm 4.22 training the same MLP (bench/mlp-tfjs.ts, bundled), or undefined. */
async function tfjsMlp(seconds: number): Promise<number | undefined> {
  try {
    return await withTfjsBundle<typeof import("./mlp-tfjs.js"), number | undefined>(
      "mlp-tfjs.ts",
      async (tfjs, wasmDir) => {
        const probe = await tfjs.runTfjs("wasm", { batch: 128, steps: 1, warmup: 1, wasmDir });
        const stepSeconds = probe.samplesPerSecond === null ? 1 : 128 / probe.samplesPerSecond;
        const steps = stepsFor(stepSeconds, seconds);
        const run = await tfjs.runTfjs("wasm", { batch: 128, steps, warmup: 3, wasmDir });
        return run.samplesPerSecond ?? undefined;
      },
    );
  } catch (error) {
    console.log(`tfjs-wasm MLP not available: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
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
  const tf = await tfjsWasm();
  const best = new BestOf();
  const layouts = ["plain", "transA", "transB"] as const;
  for (let round = 0; round < 3; round++) {
    for (const n of sizes) {
      for (const layout of layouts) {
        const key = `${n} ${layout}`;
        best.add(`wasm ${key}`, gemmGflops("wasm", n, layout));
        if (tf !== undefined) best.add(`tfjs ${key}`, await tfjsGflops(tf, n, layout));
        if (hasNative) {
          best.add(`native1 ${key}`, await withNativeThreads(1, () => gemmGflops("native", n, layout)));
          best.add(`native ${key}`, gemmGflops("native", n, layout));
        }
        if (round === 0 && n <= 512) best.add(`reference ${key}`, gemmGflops("reference", n, layout));
      }
    }
  }
  const rows = sizes.flatMap((n) =>
    layouts.map((layout) => {
      const key = `${n} ${layout}`;
      const cells = ["wasm", "tfjs", "native1", "native", "reference"].map((c) =>
        fixed(best.get(`${c} ${key}`)),
      );
      return [`${n}`, layout, ...cells];
    }),
  );
  console.log("GEMM float32, GFLOP/s (best of runs)");
  console.log(
    table(
      ["n", "layout", "wasm (1 thr)", "tfjs-wasm 4.22", "native 1 thr", `native ${threads} thr`, "reference"],
      rows,
    ),
  );
  const seconds = targetSeconds();
  const mlpRows: string[][] = [];
  const wasm = await mlpSamplesPerSecond("wasm", seconds);
  const native1 = hasNative
    ? await withNativeThreads(1, () => mlpSamplesPerSecond("native", seconds))
    : undefined;
  const nativeAll = hasNative ? await mlpSamplesPerSecond("native", seconds) : undefined;
  const reference = await mlpSamplesPerSecond("reference", seconds);
  const tfjs = await tfjsMlp(seconds);
  mlpRows.push([fixed(wasm, 0), fixed(tfjs, 0), fixed(native1, 0), fixed(nativeAll, 0), fixed(reference, 0)]);
  console.log("MLP 784-256-256-10 training (batch 128, Adam), samples/s");
  console.log(
    table(["wasm (1 thr)", "tfjs-wasm 4.22", "native 1 thr", `native ${threads} thr`, "reference"], mlpRows),
  );
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
