// bench/gemm-shapes: the native float32 GEMM on the shapes the model benchmarks run, not only
// squares: the tiny GPT's forward (x W), input-gradient (dY W^T) and weight-gradient (X^T dY, k =
// batch x sequence = 2048) products, and the inference MLP 784-256-256-10 at batch 256 (each layer
// with its fused bias + ReLU, and the three back to back as an inference plan replays them).
// Per shape, 1 and 2 threads: GFLOP/s of wall time and GFLOP per CPU-second (process.cpuUsage,
// every thread; on a shared machine it moves less than the wall time), with the operands hot (one
// set, reused) and L3-resident (sets rotated through about 8 MB, as a training step meets them).
// Each figure is the best sample (a few calls each) over `BENCH_ROUNDS` interleaved rounds.
// Run alone with `npx tsx bench/gemm-shapes.bench.ts`, or `npm run bench -- gemm-shapes`.
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { NativeAddon } from "../src/backend/native/addon.js";
import { nativeAddon } from "../src/backend/native/loader.js";
import { BestOf, fixed, table } from "./harness.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADS = [1, 2] as const;
const SAMPLES = 6;
const ROTATE_BYTES = 8e6;

/** One product C (m, n) = op(A) op(B) (+ bias, activation 0 none / 1 relu). */
interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  bias: boolean;
  activation: 0 | 1;
}

function shape(name: string, m: number, n: number, k: number, extra: Partial<Shape> = {}): Shape {
  return { name, m, n, k, transA: false, transB: false, bias: false, activation: 0, ...extra };
}

const SHAPES: Shape[] = [
  shape("MLP layer 1, batch 256", 256, 256, 784, { bias: true, activation: 1 }),
  shape("MLP layer 2, batch 256", 256, 256, 256, { bias: true, activation: 1 }),
  shape("MLP layer 3, batch 256", 256, 10, 256, { bias: true }),
  shape("GPT x W (qkv/out proj)", 2048, 128, 128, { bias: true }),
  shape("GPT x W (MLP up)", 2048, 512, 128, { bias: true }),
  shape("GPT x W (MLP down)", 2048, 128, 512, { bias: true }),
  shape("GPT dY W^T 128<-128", 2048, 128, 128, { transB: true }),
  shape("GPT dY W^T 128<-512", 2048, 128, 512, { transB: true }),
  shape("GPT dY W^T 512<-128", 2048, 512, 128, { transB: true }),
  shape("GPT X^T dY 128x128", 128, 128, 2048, { transA: true }),
  shape("GPT X^T dY 512x128", 512, 128, 2048, { transA: true }),
  shape("GPT X^T dY 128x512", 128, 512, 2048, { transA: true }),
  shape("GPT X^T dY 128x65", 128, 65, 2048, { transA: true }),
];

interface Operands {
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  bias: Float32Array;
}

function randomArray(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

function operandSets(s: Shape, count: number): Operands[] {
  return Array.from({ length: count }, (_, i) => ({
    a: randomArray(s.m * s.k, 3 * i + 1),
    b: randomArray(s.k * s.n, 3 * i + 2),
    c: new Float32Array(s.m * s.n),
    bias: randomArray(s.n, 3 * i + 3),
  }));
}

/** Best seconds per call of `call` (wall and CPU), over SAMPLES samples of `reps` calls. */
function sample(call: () => void, reps: number): { wall: number; cpu: number } {
  for (let i = 0; i < 2; i++) call();
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let s = 0; s < SAMPLES; s++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) call();
    const elapsed = (performance.now() - t0) / 1000 / reps;
    const used = process.cpuUsage(c0);
    wall = Math.min(wall, elapsed);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6 / reps);
  }
  return { wall, cpu };
}

function timeShape(addon: NativeAddon, s: Shape, sets: Operands[], best: BestOf, key: string): void {
  let next = 0;
  const call = () => {
    const o = sets[next++ % sets.length]!;
    addon.matmul(
      o.a,
      o.b,
      o.c,
      s.bias ? o.bias : null,
      1,
      s.m,
      s.n,
      s.k,
      s.transA,
      s.transB,
      0,
      0,
      s.activation,
    );
  };
  const flops = 2 * s.m * s.n * s.k;
  const { wall, cpu } = sample(call, Math.max(2, Math.round(2e7 / flops)));
  best.add(`${key} wall`, flops / wall / 1e9);
  best.add(`${key} cpu`, flops / cpu / 1e9);
}

/** The MLP's three layers back to back into the same buffers (an inference plan's replay). */
function timeChain(addon: NativeAddon, best: BestOf, threads: number): void {
  const batch = 256;
  const [x, w1, b1, w2, b2, w3, b3] = [batch * 784, 784 * 256, 256, 256 * 256, 256, 256 * 10, 10].map(
    (n, i) => randomArray(n, 100 + i),
  ) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const h1 = new Float32Array(batch * 256);
  const h2 = new Float32Array(batch * 256);
  const y = new Float32Array(batch * 10);
  const { wall, cpu } = sample(() => {
    addon.matmul(x, w1, h1, b1, 1, batch, 256, 784, false, false, 0, 0, 1);
    addon.matmul(h1, w2, h2, b2, 1, batch, 256, 256, false, false, 0, 0, 1);
    addon.matmul(h2, w3, y, b3, 1, batch, 10, 256, false, false, 0, 0, 0);
  }, 20);
  best.add(`chain ${threads} wall`, -wall * 1e6);
  best.add(`chain ${threads} cpu`, -cpu * 1e6);
}

export async function main(): Promise<void> {
  const addon = nativeAddon();
  if (!addon) {
    console.log("gemm-shapes: the native addon is not built (npm run build:native)");
    return;
  }
  const loadBefore = loadavg()[0]!;
  const saved = addon.getNumThreads();
  const best = new BestOf();
  const peaks = new Map<number, number>();
  const hot = SHAPES.map((s) => operandSets(s, 1));
  const rotated = SHAPES.map((s) =>
    operandSets(s, Math.max(2, Math.ceil(ROTATE_BYTES / (4 * (s.m * s.k + s.k * s.n + s.m * s.n))))),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of THREADS) {
      for (let i = 0; i < 10; i++)
        peaks.set(threads, Math.max(peaks.get(threads) ?? 0, addon.fmaPeak(threads, 0.02)));
      addon.setNumThreads(threads);
      SHAPES.forEach((s, i) => {
        timeShape(addon, s, hot[i]!, best, `${s.name} ${threads} hot`);
        timeShape(addon, s, rotated[i]!, best, `${s.name} ${threads} l3`);
      });
      timeChain(addon, best, threads);
    }
  }
  addon.setNumThreads(saved);

  const rows = SHAPES.map((s) => {
    const cells = [s.name, `${s.m}x${s.n}x${s.k}${s.transA ? " tA" : ""}${s.transB ? " tB" : ""}`];
    for (const threads of THREADS)
      for (const where of ["hot", "l3"])
        for (const what of ["wall", "cpu"])
          cells.push(fixed(best.get(`${s.name} ${threads} ${where} ${what}`)));
    return cells;
  });
  const headers = ["shape", "m x n x k"];
  for (const threads of THREADS)
    for (const where of ["hot", "L3"])
      headers.push(`${threads}T ${where} GF/s`, `${threads}T ${where} GF/cpu-s`);
  console.log(
    `native float32 GEMM by shape (${addon.getIsa()}), best of ${ROUNDS} rounds; FMA peak (probe): 1 thread ${fixed(peaks.get(1))}, 2 threads ${fixed(peaks.get(2))} GFLOP/s`,
  );
  console.log(table(headers, rows));
  const chain = THREADS.map((t) => {
    const wall = -(best.get(`chain ${t} wall`) ?? Number.NaN);
    const cpu = -(best.get(`chain ${t} cpu`) ?? Number.NaN);
    return `${t} thread${t > 1 ? "s" : ""} ${wall.toFixed(0)} us (CPU ${cpu.toFixed(0)} us)`;
  });
  console.log(`MLP 784-256-256-10, batch 256, three GEMMs back to back, per call: ${chain.join(", ")}`);
  console.log(`load average: ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
