// bench/gemm: float32 GEMM GFLOP/s, C = A @ B for n x n, n = 64 ... 2048, on 1 and 2 threads,
// next to the FP32 FMA peak measured by the addon's probe in the same run and the other
// frameworks installed: the reference backend, tfjs-backend-cpu and -wasm 4.22, NumPy and
// PyTorch (Debian packages on OpenBLAS, forced to its SkylakeX kernels). "tessera" is the GEMM
// kernel writing into a preallocated C, as NumPy / PyTorch are timed (out=); "ts.matmul" is the
// public op, which also allocates (and zero-fills) a new C each call. Each figure is the best
// of several timed runs over `BENCH_ROUNDS` interleaved rounds (the machine may be shared).
import path from "node:path";
import { nativeAddon } from "../src/backend/native/loader.js";
import { kernels } from "../src/backend/registry.js";
import * as ts from "../src/index.js";
import { BestOf, bestTime, bestTimeAsync, fixed, runFrameworks, table } from "./harness.js";
import { numpyPython } from "./peers.js";

const SIZES = [64, 128, 256, 512, 1024, 2048];
const REFERENCE_SIZES = new Set([128, 512, 1024]);
const TFJS_CPU_MAX = 1024; // ~1 GFLOP/s: 2048 would take half a minute per run
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADS = [1, 2];

const flops = (n: number) => 2 * n * n * n;

function tesseraGemm(best: BestOf, round: number): void {
  const addon = nativeAddon();
  if (!addon) return;
  ts.setBackend("native");
  ts.seed(1 + round);
  const saved = addon.getNumThreads();
  for (const threads of THREADS) {
    addon.setNumThreads(threads);
    for (const n of SIZES) {
      const a = ts.randn([n, n]);
      const b = ts.randn([n, n]);
      const c = new Float32Array(n * n);
      const params = {
        batch: 1,
        m: n,
        n,
        k: n,
        transA: false,
        transB: false,
        aBatchStride: 0,
        bBatchStride: 0,
      };
      const gemm = kernels().matmul;
      const budget = { seconds: n >= 1024 ? 1 : 0.4 };
      const kernelSeconds = bestTime(
        () => gemm(a.data as Float32Array, b.data as Float32Array, c, params),
        budget,
      );
      best.add(`tessera ${threads} ${n}`, flops(n) / kernelSeconds / 1e9);
      const opSeconds = bestTime(() => ts.matmul(a, b), budget);
      best.add(`ts.matmul ${threads} ${n}`, flops(n) / opSeconds / 1e9);
    }
  }
  addon.setNumThreads(saved);
}

function referenceGemm(best: BestOf): void {
  ts.setBackend("reference");
  for (const n of SIZES.filter((s) => REFERENCE_SIZES.has(s))) {
    const a = ts.randn([n, n]);
    const b = ts.randn([n, n]);
    const seconds = bestTime(() => ts.matmul(a, b), { seconds: 0.5, minReps: n >= 1024 ? 1 : 3 });
    best.add(`reference 1 ${n}`, flops(n) / seconds / 1e9);
  }
  ts.setBackend(nativeAddon() ? "native" : "reference");
}

/** tfjs-backend-cpu and -wasm (the wasm binary read from node_modules, no network). */
async function tfjsGemm(best: BestOf, notes: string[]): Promise<void> {
  let tf: typeof import("@tensorflow/tfjs-core");
  try {
    tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-cpu");
  } catch {
    notes.push("tfjs: @tensorflow/tfjs-core / -backend-cpu not installed");
    return;
  }
  const backends: [string, number][] = [["cpu", TFJS_CPU_MAX]];
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const dist = path.dirname(
      (await import("node:module"))
        .createRequire(import.meta.url)
        .resolve("@tensorflow/tfjs-backend-wasm/package.json"),
    );
    wasm.setWasmPaths(`${path.join(dist, "dist")}/`);
    backends.push(["wasm", Number.POSITIVE_INFINITY]);
  } catch (error) {
    notes.push(`tfjs-wasm: not available (${error instanceof Error ? error.message : String(error)})`);
  }
  for (const [name, maxN] of backends) {
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok) {
      notes.push(`tfjs-${name}: backend failed to initialise`);
      continue;
    }
    if (name === "wasm") {
      const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
      const threads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
      notes.push(
        `tfjs-wasm 4.22: SIMD ${simd ? "on" : "off"}, multithreading ${threads ? "on" : "off (unsupported in Node: 1 thread)"}`,
      );
    } else {
      notes.push("tfjs-cpu 4.22: plain JS kernels, 1 thread");
    }
    for (const n of SIZES.filter((s) => s <= maxN)) {
      const a = tf.randomNormal([n, n]);
      const b = tf.randomNormal([n, n]);
      const seconds = await bestTimeAsync(
        async () => {
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
        },
        { seconds: 0.5, minReps: n >= 1024 ? 1 : 3 },
      );
      best.add(`tfjs-${name} 1 ${n}`, flops(n) / seconds / 1e9);
      a.dispose();
      b.dispose();
    }
  }
}

interface FrameworkResult {
  numpy?: Record<string, number>;
  torch?: Record<string, number>;
  config?: { numpy?: string; torch?: string; pools?: unknown };
}

function pythonGemm(best: BestOf, notes: string[]): void {
  for (const threads of THREADS) {
    const env: Record<string, string> = {
      OPENBLAS_CORETYPE: "SkylakeX", // Debian's OpenBLAS 0.3.21 misdetects this CPU and picks an SSE3 kernel
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
    };
    if (threads > 1) env.OMP_WAIT_POLICY = "PASSIVE";
    const result = runFrameworks(["gemm", String(threads), SIZES.join(","), String(ROUNDS)], env) as
      | FrameworkResult
      | undefined;
    if (!result) {
      notes.push(`numpy/torch (${threads} threads): not available (${numpyPython()} with numpy needed)`);
      continue;
    }
    for (const fw of ["numpy", "torch"] as const) {
      for (const [n, g] of Object.entries(result[fw] ?? {})) best.add(`${fw} ${threads} ${n}`, g);
    }
    if (threads === 1 && result.config) {
      notes.push(
        `numpy ${result.config.numpy ?? "-"}, torch ${result.config.torch ?? "not installed"} (${numpyPython()}); BLAS pools: ${JSON.stringify(result.config.pools)}`,
      );
    }
    if (threads > 1) notes.push("2-thread numpy/torch runs: OPENBLAS_NUM_THREADS=2, OMP_WAIT_POLICY=PASSIVE");
    if (threads === 1) notes.push("numpy / torch timed as np.matmul(a, b, out=c) / torch.mm(a, b, out=c)");
  }
}

export async function main(): Promise<void> {
  const addon = nativeAddon();
  const best = new BestOf();
  const notes: string[] = [];
  const peaks = new Map<number, number>();
  if (addon) {
    for (let round = 0; round < ROUNDS; round++) {
      // many short probes: on a shared machine the best one is the one that ran undisturbed
      for (const t of THREADS)
        for (let i = 0; i < 30; i++) peaks.set(t, Math.max(peaks.get(t) ?? 0, addon.fmaPeak(t, 0.02)));
      tesseraGemm(best, round);
    }
  } else {
    notes.push("tessera native: addon not built (npm run build:native)");
  }
  referenceGemm(best);
  await tfjsGemm(best, notes);
  pythonGemm(best, notes);

  const columns: [string, string, number][] = [
    ["tessera", "tessera", 1],
    ["tessera", "tessera", 2],
    ["ts.matmul", "ts.matmul", 1],
    ["ts.matmul", "ts.matmul", 2],
    ["reference", "reference", 1],
    ["tfjs-cpu", "tfjs-cpu", 1],
    ["tfjs-wasm", "tfjs-wasm", 1],
    ["numpy", "numpy", 1],
    ["numpy", "numpy", 2],
    ["torch", "torch", 1],
    ["torch", "torch", 2],
  ];
  const rows = SIZES.map((n) => {
    const cells = [String(n)];
    for (const [, key, t] of columns) cells.push(fixed(best.get(`${key} ${t} ${n}`)));
    for (const t of THREADS) {
      const g = best.get(`tessera ${t} ${n}`);
      const p = peaks.get(t);
      cells.push(g !== undefined && p ? `${((100 * g) / p).toFixed(0)}%` : "-");
    }
    return cells;
  });
  const headers = ["n", ...columns.map(([name, , t]) => `${name} ${t}T`), "tessera/peak 1T", "2T"];
  console.log(
    `float32 GEMM, C = A @ B (n x n), GFLOP/s, best of ${ROUNDS} interleaved rounds` +
      `${addon ? `; native ISA path: ${addon.getIsa()}` : ""}`,
  );
  if (addon)
    console.log(
      `FP32 FMA peak (probe, ${addon.getIsa()}): 1 thread ${fixed(peaks.get(1))}, 2 threads ${fixed(peaks.get(2))} GFLOP/s`,
    );
  console.log(table(headers, rows));
  for (const note of notes) console.log(`  note: ${note}`);
}
