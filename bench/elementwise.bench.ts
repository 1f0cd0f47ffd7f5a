// bench/elementwise: throughput of element-wise kernels and reductions in GB/s (bytes read +
// written per element x elements / time), against the memory bandwidth measured by the addon's
// STREAM-triad probe in the same run. Kernels are called directly on preallocated arrays (as
// NumPy's out= runs), on an L2-sized (1 MiB per array) and a larger (64 MiB per array: past L2,
// though possibly within this VM's large L3) input, with 1 and 2 threads; NumPy (1 thread) and
// the reference backend for comparison.

import type { Kernels } from "../src/backend/kernels.js";
import { nativeAddon } from "../src/backend/native/loader.js";
import { kernels, setBackend } from "../src/backend/registry.js";
import type { TypedArray } from "../src/core/dtype.js";
import { Generator } from "../src/core/random.js";
import { BestOf, bestTime, fixed, runFrameworks, table } from "./harness.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = [1 << 18, 1 << 24]; // elements: 1 MiB and 64 MiB of float32
const ROW = 1024; // softmax row length

interface Op {
  name: string;
  bytesPerElement: number;
  run(k: Kernels, a: Float32Array, b: Float32Array, out: Float32Array, small: TypedArray): void;
}

const OPS: Op[] = [
  { name: "add", bytesPerElement: 12, run: (k, a, b, out) => k.binary.add(a, [1], b, [1], out, [a.length]) },
  {
    name: "mul scalar",
    bytesPerElement: 8,
    run: (k, a, _b, out, small) => k.binary.mul(a, [1], small, [0], out, [a.length]),
  },
  { name: "exp", bytesPerElement: 8, run: (k, a, _b, out) => k.unary.exp(a, out) },
  { name: "tanh", bytesPerElement: 8, run: (k, a, _b, out) => k.unary.tanh(a, out) },
  { name: "relu", bytesPerElement: 8, run: (k, a, _b, out) => k.unary.relu(a, out) },
  { name: "sum", bytesPerElement: 4, run: (k, a, _b, out) => k.reduce.sum(a, 1, a.length, 1, out) },
  { name: "max", bytesPerElement: 4, run: (k, a, _b, out) => k.reduce.max(a, 1, a.length, 1, out) },
  {
    name: "softmax rows",
    bytesPerElement: 8,
    run: (k, a, _b, out) => k.softmax(a, a.length / ROW, ROW, 1, out),
  },
];

function random(n: number, rng: Generator): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-3, 3);
  return out;
}

export async function main(): Promise<void> {
  const addon = nativeAddon();
  const best = new BestOf();
  const rng = new Generator(2);
  const small = Float32Array.of(3);
  const bandwidth = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      const a = random(n, rng);
      const b = random(n, rng);
      const out = new Float32Array(n);
      if (addon) {
        setBackend("native");
        const saved = addon.getNumThreads();
        for (const threads of [1, 2]) {
          addon.setNumThreads(threads);
          const mb = Math.max(1, (n * 4) / 1e6);
          const key = `${n} ${threads}`;
          bandwidth.set(
            key,
            Math.max(bandwidth.get(key) ?? 0, addon.triadBandwidth(threads, Math.round(mb), 10)),
          );
          for (const op of OPS) {
            const seconds = bestTime(() => op.run(kernels(), a, b, out, small), { seconds: 0.3 });
            best.add(`native ${threads} ${n} ${op.name}`, (op.bytesPerElement * n) / seconds / 1e9);
          }
        }
        addon.setNumThreads(saved);
      }
      if (n === SIZES[0] && round === 0) {
        setBackend("reference");
        for (const op of OPS) {
          const seconds = bestTime(() => op.run(kernels(), a, b, out, small), { seconds: 0.3 });
          best.add(`reference 1 ${n} ${op.name}`, (op.bytesPerElement * n) / seconds / 1e9);
        }
      }
    }
  }
  setBackend(addon ? "native" : "reference");
  for (const n of SIZES) {
    const result = runFrameworks(["elementwise", String(n), String(ROUNDS)], {
      OPENBLAS_CORETYPE: "SkylakeX",
      OPENBLAS_NUM_THREADS: "1",
    }) as { numpy?: Record<string, number> } | undefined;
    for (const [name, gbs] of Object.entries(result?.numpy ?? {})) best.add(`numpy 1 ${n} ${name}`, gbs);
  }

  console.log(
    `float32 element-wise and reduction throughput, GB/s (bytes read + written / time), best of ${ROUNDS} rounds` +
      `${addon ? `; native ISA path: ${addon.getIsa()}` : ""}`,
  );
  for (const n of SIZES) {
    const mib = (n * 4) / (1 << 20);
    console.log(
      `\n${n} elements (${mib} MiB per array); bandwidth (STREAM triad probe, same array size): ` +
        `1 thread ${fixed(bandwidth.get(`${n} 1`))}, 2 threads ${fixed(bandwidth.get(`${n} 2`))} GB/s`,
    );
    const rows = OPS.map((op) => [
      op.name,
      String(op.bytesPerElement),
      fixed(best.get(`native 1 ${n} ${op.name}`)),
      fixed(best.get(`native 2 ${n} ${op.name}`)),
      fixed(best.get(`numpy 1 ${n} ${op.name}`)),
      fixed(best.get(`reference 1 ${n} ${op.name}`), 2),
    ]);
    console.log(table(["op", "B/elem", "tessera 1T", "tessera 2T", "numpy 1T", "reference 1T"], rows));
  }
}
