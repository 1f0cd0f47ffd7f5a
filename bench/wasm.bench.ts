// bench/wasm: the WebAssembly backend against native, reference and tfjs-wasm 4.22 (one thread in
// Node: no SharedArrayBuffer workers). GEMM GFLOP/s at 256, 512 and 1024 (float32; plain, A
// transposed, B transposed) on the kernel tables directly (and tf.matMul with its transpose
// flags), best of 3 interleaved rounds so every column meets the same noise; one-thread columns
// are timed in process CPU time (a loaded machine stretches wall time, not CPU time), the
// all-threads columns in wall time. Beside them the wasm peak probes (bench/wasm-peak: f32x4
// multiply + add on registers, and the clock), MLP 784-256-256-10 training samples/s through
// model.fit (2 interleaved rounds, wall time, best), and the gaussianNoise kernel's ns an element.
// Wasm runs at 1 thread (setNumThreads(1) on the threaded module) and, where the threaded module
// loaded, at its default; native likewise. The load average is printed: the machine is shared.
// `npm run bench -- wasm.bench` (this file alone: `-- wasm` also runs bench/wasm-threads, in the
// same process, which leaves the one-thread module loaded); BENCH_SECONDS sets the MLP runs'
// length, BENCH_WASM_SIZES the GEMM sizes, e.g. "256,512".
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { Kernels } from "../src/backend/kernels.js";
import { nativeAddon } from "../src/backend/native/loader.js";
import { kernels } from "../src/backend/registry.js";
import { loadWasmBackend } from "../src/backend/wasm/loader.js";
import * as ts from "../src/index.js";
import { stepsFor, targetSeconds, timeFit, withTfjsBundle } from "./common.js";
import { BestOf, bestTime, fixed, table } from "./harness.js";
import { mlpBenchModel } from "./mlp.bench.js";
import { measureWasmPeak } from "./wasm-peak.js";

export type Layout = "plain" | "transA" | "transB";

/** Best process CPU time in seconds of fn (one untimed run first): for one-thread runs only. */
function bestCpuTime(fn: () => void, { seconds = 0.5, minReps = 3 } = {}): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let rep = 0; rep < 200; rep++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1e6);
    if (rep + 1 >= minReps && (performance.now() - start) / 1000 > seconds) break;
  }
  return best;
}

/** The operands of one n x n x n product in the given layout (fixed pseudo-random values). */
export function gemmOperands(n: number, layout: Layout) {
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
  return { a, b, out, params };
}

/** GFLOP/s of one n x n x n product; `cpu`: timed in CPU time (one-thread runs). */
function gemmGflops(backend: ts.BackendName, n: number, layout: Layout, cpu = true): number {
  ts.setBackend(backend);
  const table: Kernels = kernels();
  const { a, b, out, params } = gemmOperands(n, layout);
  const options = { seconds: backend === "reference" ? 0 : 0.5, minReps: backend === "reference" ? 1 : 3 };
  const run = () => table.matmul(a, b, out, params);
  const time = cpu ? bestCpuTime(run, options) : bestTime(run, options);
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
  const run = async () => {
    const c = tf.matMul(a, b, layout === "transA", layout === "transB");
    await c.data();
    c.dispose();
  };
  await run();
  // CPU time, as the other one-thread columns (tfjs-wasm runs on this thread in Node)
  let seconds = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let rep = 0; rep < 200; rep++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    seconds = Math.min(seconds, (used.user + used.system) / 1e6);
    if (rep >= 2 && (performance.now() - start) / 1000 > 0.5) break;
  }
  a.dispose();
  b.dispose();
  return (2 * n * n * n) / seconds / 1e9;
}

/** Process CPU seconds of `fn`. */
async function cpuSeconds(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/**
 * MLP training samples/s through model.fit: per CPU second (`cpu`, one-thread runs) or per wall
 * second (timeFit), after 3 untimed steps.
 */
async function mlpSamplesPerSecond(backend: ts.BackendName, seconds: number, cpu = true): Promise<number> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = mlpBenchModel();
  const batch = 128;
  const data = (steps: number) => ({
    x: ts.randn([batch * steps, 784]),
    y: ts.randint(0, 10, [batch * steps], { dtype: "int32" }),
  });
  if (!cpu) {
    const { steps, elapsed } = await timeFit(model, data, batch, 3, seconds);
    return (batch * steps) / elapsed;
  }
  const warm = data(3);
  const warmSeconds = await cpuSeconds(() =>
    model.fit(warm.x, warm.y, { epochs: 1, batchSize: batch, verbose: 0 }),
  );
  const steps = stepsFor(warmSeconds / 3, seconds);
  const timed = data(steps);
  const used = await cpuSeconds(() =>
    model.fit(timed.x, timed.y, { epochs: 1, batchSize: batch, verbose: 0 }),
  );
  return (batch * steps) / used;
}

type TfjsMlp = typeof import("./mlp-tfjs.js");

/**
 * tfjs-wasm 4.22 training the same MLP (bench/mlp-tfjs.ts), samples per CPU second: the CPU time
 * of a run of 2 s steps minus that of a run of s steps (both with 1 warm-up step and the same
 * setup), so setup and warm-up cancel.
 */
async function tfjsMlp(tfjs: TfjsMlp, wasmDir: string, seconds: number): Promise<number | undefined> {
  const probe = await tfjs.runTfjs("wasm", { batch: 128, steps: 1, warmup: 1, wasmDir });
  if (probe.samplesPerSecond === null) return undefined;
  const steps = stepsFor(128 / probe.samplesPerSecond, seconds / 2);
  const short = await cpuSeconds(() => tfjs.runTfjs("wasm", { batch: 128, steps, warmup: 1, wasmDir }));
  const long = await cpuSeconds(() =>
    tfjs.runTfjs("wasm", { batch: 128, steps: 2 * steps, warmup: 1, wasmDir }),
  );
  return long > short ? (128 * steps) / (long - short) : undefined;
}

/** Runs `use` with the tfjs MLP bundle loaded, or with undefined where it cannot load. */
async function withTfjsMlp<R>(use: (tfjs: TfjsMlp | undefined, wasmDir: string) => Promise<R>): Promise<R> {
  // The bundle carries its own tfjs-core, which registers every wasm kernel again in the global
  // registry the GEMM runs' tfjs-core filled, with one warning each: those lines are dropped.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/already registered|Reusing existing backend/.test(String(args[0]))) warn(...args);
  };
  try {
    return await withTfjsBundle<TfjsMlp, R>("mlp-tfjs.ts", use);
  } catch (error) {
    console.log(`tfjs-wasm MLP not available: ${error instanceof Error ? error.message : String(error)}`);
    return use(undefined, "");
  } finally {
    console.warn = warn;
  }
}

/** Runs `fn` with the native addon (or the wasm module) at `threads` threads (restored after). */
async function withThreads<T>(
  backend: "native" | "wasm",
  threads: number,
  fn: () => Promise<T> | T,
): Promise<T> {
  const addon = backend === "native" ? nativeAddon() : loadWasmBackend()?.addon;
  const before = addon?.getNumThreads();
  addon?.setNumThreads(threads);
  try {
    return await fn();
  } finally {
    if (before !== undefined) addon?.setNumThreads(before);
  }
}

/** ns an element of the float32 gaussianNoise kernel on `backend`, 2^20 elements, CPU time. */
function noiseNanoseconds(backend: ts.BackendName): number {
  ts.setBackend(backend);
  const noise = kernels().gaussianNoise;
  const n = backend === "reference" ? 1 << 16 : 1 << 20;
  const out = new Float32Array(n);
  let offset = 0;
  const seconds = bestCpuTime(
    () => {
      noise(out, { n, std: 0.5, scale: 1, key0: 1, key1: 2, stream: 3, offset });
      offset += n / 4;
    },
    { seconds: 0.3 },
  );
  return (seconds / n) * 1e9;
}

/** "x.xx" of a / b, or "-". */
function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? "-" : `${(a / b).toFixed(2)}x`;
}

function loadLine(when: string): string {
  return `load average ${when}: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(" ")}`;
}

export async function main(): Promise<void> {
  const backends = ts.listBackends();
  if (!backends.includes("wasm"))
    throw new Error("bench/wasm: the wasm backend is not loaded (npm run build:wasm)");
  const hasNative = backends.includes("native");
  const threads = nativeAddon()?.getNumThreads() ?? 1;
  const wasmBackend = loadWasmBackend();
  const wasmThreads = wasmBackend?.threads === undefined ? 1 : (wasmBackend.addon.getNumThreads() ?? 1);
  // the threaded module's default thread count; "-" where the one-thread module loaded
  const wasmAllLabel = `wasm ${wasmThreads > 1 ? wasmThreads : "-"} thr`;
  const sizes = (process.env.BENCH_WASM_SIZES ?? "256,512,1024").split(",").map(Number);
  console.log(loadLine("before"));
  const peak = measureWasmPeak();
  const tf = await tfjsWasm();
  const best = new BestOf();
  const layouts = ["plain", "transA", "transB"] as const;
  for (let round = 0; round < 3; round++) {
    for (const n of sizes) {
      for (const layout of layouts) {
        const key = `${n} ${layout}`;
        best.add(`wasm ${key}`, await withThreads("wasm", 1, () => gemmGflops("wasm", n, layout)));
        if (wasmThreads > 1) best.add(`wasmN ${key}`, gemmGflops("wasm", n, layout, false));
        if (tf !== undefined) best.add(`tfjs ${key}`, await tfjsGflops(tf, n, layout));
        if (hasNative) {
          best.add(`native1 ${key}`, await withThreads("native", 1, () => gemmGflops("native", n, layout)));
          best.add(`native ${key}`, gemmGflops("native", n, layout, false));
        }
        if (round === 0 && n <= 512) best.add(`reference ${key}`, gemmGflops("reference", n, layout));
      }
    }
  }
  const columns = ["wasm", "wasmN", "tfjs", "native1", "native", "reference"];
  const rows = sizes.flatMap((n) =>
    layouts.map((layout) => {
      const key = `${n} ${layout}`;
      const cells = columns.map((c) => fixed(best.get(`${c} ${key}`)));
      return [`${n}`, layout, ...cells, ratio(best.get(`wasm ${key}`), best.get(`tfjs ${key}`))];
    }),
  );
  console.log("GEMM float32, GFLOP/s (best of 3 rounds; 1-thread columns in CPU time)");
  console.log(
    table(
      [
        "n",
        "layout",
        "wasm 1 thr",
        wasmAllLabel,
        "tfjs-wasm 4.22",
        "native 1 thr",
        `native ${threads} thr`,
        "reference",
        "wasm / tfjs",
      ],
      rows,
    ),
  );
  const largest = Math.max(...sizes);
  const plain = best.get(`wasm ${largest} plain`);
  const worstTransposed = Math.min(
    best.get(`wasm ${largest} transA`) ?? 0,
    best.get(`wasm ${largest} transB`) ?? 0,
  );
  console.log(
    `wasm peak probe (f32x4 mul + add on registers): ${fixed(peak.mulAddGflops)} GFLOP/s at a ${peak.clockGhz.toFixed(2)} GHz clock probe; ` +
      `GEMM ${largest} plain at ${ratio(plain, peak.mulAddGflops)} of it; transposed within ${
        plain === undefined ? "-" : `${(100 * (1 - worstTransposed / plain)).toFixed(0)} %`
      } of plain`,
  );

  const seconds = targetSeconds();
  const mlp = new BestOf();
  await withTfjsMlp(async (tfjs, wasmDir) => {
    for (let round = 0; round < 2; round++) {
      mlp.add("wasm", await withThreads("wasm", 1, () => mlpSamplesPerSecond("wasm", seconds)));
      const rate = tfjs === undefined ? undefined : await tfjsMlp(tfjs, wasmDir, seconds);
      if (rate !== undefined) mlp.add("tfjs", rate);
    }
  });
  if (wasmThreads > 1) mlp.add("wasmN", await mlpSamplesPerSecond("wasm", seconds, false));
  if (hasNative) {
    mlp.add("native1", await withThreads("native", 1, () => mlpSamplesPerSecond("native", seconds)));
    mlp.add("native", await mlpSamplesPerSecond("native", seconds, false));
  }
  mlp.add("reference", await mlpSamplesPerSecond("reference", seconds));
  console.log(
    "MLP 784-256-256-10 training (batch 128, Adam), samples/s (1-thread columns per CPU second, wasm and tfjs best of 2 rounds; others per wall second)",
  );
  console.log(
    table(
      [
        "wasm 1 thr",
        wasmAllLabel,
        "tfjs-wasm 4.22",
        "native 1 thr",
        `native ${threads} thr`,
        "reference",
        "wasm / tfjs",
      ],
      [[...columns.map((c) => fixed(mlp.get(c), 0)), ratio(mlp.get("wasm"), mlp.get("tfjs"))]],
    ),
  );

  const noiseRows: string[][] = [];
  for (const b of ["wasm", "native", "reference"] as const) {
    if (b === "native" && !hasNative) continue;
    const ns = b === "reference" ? noiseNanoseconds(b) : await withThreads(b, 1, () => noiseNanoseconds(b));
    noiseRows.push([b, fixed(ns, 2)]);
  }
  console.log("gaussianNoise float32 (DP-SGD noise), ns an element at 1 thread (CPU time)");
  console.log(table(["backend", "ns / element"], noiseRows));
  console.log(loadLine("after"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
