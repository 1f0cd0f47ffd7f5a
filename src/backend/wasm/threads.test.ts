// backend/wasm threads tests: Node loads the threaded module (wasm/tessera-threads.wasm) by
// default; with 2 threads its helper really runs tasks beside the caller (a probe job that
// completes only when two threads run at once, and the module's per-thread task counters);
// GEMM, conv2d, LSTM and attention, forward and backward, give the same values on 2 threads as on
// 1 (bit for bit where the split keeps each sum's order, else within 1e-6); at 1 thread the
// threaded GEMM equals the one-thread module's bit for bit; the thread count control validates
// and clamps; and a host without SharedArrayBuffer falls back to the one-thread module, printing
// one line that says why.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import * as ts from "../../index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { getBackend, registerWasmFromBytes, setBackend } from "../registry.js";
import {
  isThreadedWasm,
  loadedWasmBackend,
  loadThreadedWasmFromBytes,
  loadWasmBackend,
  loadWasmFromBytes,
  wasmLoadError,
} from "./loader.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SINGLE = `${ROOT}wasm/tessera.wasm`;
const THREADED = `${ROOT}wasm/tessera-threads.wasm`;

function threaded() {
  const loaded = loadedWasmBackend() ?? loadWasmBackend();
  assert.ok(
    loaded,
    `the wasm backend did not load (${wasmLoadError()}); build it with \`npm run build:wasm\``,
  );
  assert.ok(loaded.threads, "Node loads the threaded module (wasm/tessera-threads.wasm) by default");
  return { ...loaded, threads: loaded.threads };
}

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((((i + 1) * 7919 * seed) % 2001) - 1000) / 1000);
}

function input(shape: number[], seed: number): Tensor {
  return ts
    .tensor(
      values(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
    )
    .reshape(shape);
}

/** Every output of `run` (values and gradients) as float arrays, on `count` threads. */
function onThreads(count: number, run: () => Tensor[]): Float32Array[] {
  threaded().addon.setNumThreads(count);
  return run().map((t) => Float32Array.from(t.data as Float32Array));
}

/** Largest |a - b| over two runs' outputs, each output's relative to its largest |b|. */
function largestDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    assert.equal(x.length, y.length);
    let scale = 0;
    for (const v of y) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < x.length; j++)
      worst = Math.max(worst, Math.abs(x[j]! - y[j]!) / Math.max(scale, 1e-30));
  });
  return worst;
}

/** Tasks all threads have run through the pool (a job run serially counts none). */
function poolTasks(): number {
  return threaded()
    .threads.tasksPerThread()
    .reduce((a, b) => a + b, 0);
}

describe("wasm threads", () => {
  let previous = getBackend();
  before(async () => {
    const { threads } = threaded();
    previous = getBackend();
    setBackend("wasm");
    threads.setThreads(2);
    assert.equal(await threads.ready(), 1, `the helper started (${threads.problems().join("; ")})`);
  });
  after(() => {
    threaded().threads.setThreads(2);
    setBackend(previous);
  });

  test("Node takes the threaded module, and on 2 threads its helper runs tasks beside the caller", () => {
    const { threads, addon } = threaded();
    assert.equal(threads.hostKind, "worker_threads");
    assert.equal(addon.getNumThreads(), 2);
    const before = threads.tasksPerThread();
    // two tasks that each wait until both have started: done only if the helper took one
    assert.equal(threads.probe(2), 2);
    const done = threads.tasksPerThread();
    assert.equal(done.length, 2);
    assert.equal(done[0]! - before[0]!, 1, "the caller ran one task");
    assert.equal(done[1]! - before[1]!, 1, "the helper ran the other");
  });

  // `exact`: outputs whose sums keep their order when the work splits (bit for bit); the others
  // (conv2d's weight gradient: per-thread partial sums over batch x positions, added at the end)
  // may differ by float32 rounding, within 1e-5 of the output's largest value (1.6e-6 measured)
  const CASES: { name: string; exact: boolean[]; run: () => Tensor[] }[] = [
    {
      name: "GEMM (plain, transposed, batched)",
      exact: [true, true, true],
      run: () => {
        const a = input([192, 160], 3);
        const b = input([160, 224], 5);
        const batched = ts.matmul(input([3, 96, 128], 7), input([3, 128, 80], 11));
        return [ts.matmul(a, b), ts.matmul(ts.transpose(b), ts.transpose(a)), batched];
      },
    },
    {
      name: "conv2d forward and backward",
      exact: [true, true, false],
      run: () => {
        const x = input([4, 20, 20, 8], 13);
        const w = input([3, 3, 8, 16], 17);
        const [dx, dw] = ts.grad((a: Tensor, b: Tensor) =>
          ts.sum(ts.square(ts.conv2d(a, b, { padding: "same" }))),
        )(x, w);
        return [ts.conv2d(x, w, { padding: "same" }), dx!, dw!];
      },
    },
    {
      name: "LSTM sequence forward and backward",
      exact: [true, true, true],
      run: () => {
        const [T, B, H] = [6, 48, 24];
        const x = input([T, B, 4 * H], 19).mul(0.5);
        const u = input([H, 4 * H], 23).mul(0.3);
        const h0 = input([B, H], 29).mul(0.5);
        const c0 = input([B, H], 31).mul(0.5);
        const f = (a: Tensor, b: Tensor) => ts.sum(ts.square(ts.lstmSequence(a, b, h0, c0, {})));
        const [dx, du] = ts.grad(f)(x, u);
        return [ts.lstmSequence(x, u, h0, c0, {}), dx!, du!];
      },
    },
    {
      name: "attention forward and backward",
      exact: [true, true, true, true],
      run: () => {
        const q = input([2, 4, 48, 32], 37);
        const k = input([2, 4, 48, 32], 41);
        const v = input([2, 4, 48, 32], 43);
        const f = (a: Tensor, b: Tensor, c: Tensor) =>
          ts.sum(ts.square(ts.scaledDotProductAttention(a, b, c, { causal: true })));
        const [dq, dk, dv] = ts.grad(f)(q, k, v);
        return [ts.scaledDotProductAttention(q, k, v, { causal: true }), dq!, dk!, dv!];
      },
    },
  ];
  for (const c of CASES) {
    test(`${c.name}: 2 threads give the values of 1`, () => {
      const start = poolTasks();
      const one = onThreads(1, c.run);
      assert.equal(poolTasks(), start, "1 thread runs every job on the caller, outside the pool");
      const two = onThreads(2, c.run);
      assert.ok(poolTasks() >= start + 2, "the 2-thread run split its work into pool tasks");
      assert.equal(largestDifference(onThreads(2, c.run), two), 0, "2-thread runs are deterministic");
      two.forEach((values, i) => {
        const difference = largestDifference([values], [one[i]!]);
        if (c.exact[i]) assert.equal(difference, 0, `output ${i}: bit for bit`);
        else assert.ok(difference <= 1e-5, `output ${i}: 2 threads differ from 1 by ${difference}`);
      });
    });
  }

  test("at 1 thread the threaded GEMM equals the one-thread module's bit for bit", () => {
    const { addon } = threaded();
    const single = loadWasmFromBytes(readFileSync(SINGLE)).addon;
    addon.setNumThreads(1);
    for (const [m, n, k, transA, transB] of [
      [130, 70, 300, false, false],
      [64, 256, 96, true, false],
      [100, 100, 100, false, true],
    ] as const) {
      const a = values(m * k, 3);
      const b = values(k * n, 5);
      const bias = values(n, 7);
      const mine = new Float32Array(m * n);
      const theirs = new Float32Array(m * n);
      addon.matmul(a, b, mine, bias, 1, m, n, k, transA, transB, 0, 0, 1);
      single.matmul(a, b, theirs, bias, 1, m, n, k, transA, transB, 0, 0, 1);
      assert.deepEqual(mine, theirs, `${m}x${n}x${k} transA=${transA} transB=${transB}`);
    }
    addon.setNumThreads(2);
  });

  test("ts.setNumThreads / ts.getNumThreads drive the wasm pool", () => {
    const { threads } = threaded();
    ts.setNumThreads(1);
    assert.equal(ts.getNumThreads(), 1);
    assert.equal(threads.threads, 1);
    ts.setNumThreads(2);
    assert.equal(ts.getNumThreads(), 2);
    assert.equal(ts.describeBackend(), "wasm (simd128, 2 threads)");
    assert.throws(() => ts.setNumThreads(0), ts.ValueError);
    setBackend("reference");
    assert.equal(ts.getNumThreads(), 1, "the reference backend runs on the caller");
    setBackend("wasm");
  });

  test("the thread count control validates and clamps", () => {
    const { addon, threads } = threaded();
    assert.throws(() => addon.setNumThreads(0), RangeError);
    assert.throws(() => addon.setNumThreads(1.5), RangeError);
    addon.setNumThreads(10_000);
    assert.equal(addon.getNumThreads(), threads.max);
    addon.setNumThreads(2);
    assert.equal(addon.getNumThreads(), 2);
    assert.ok(addon.availableCores() >= 1);
  });
});

describe("wasm threads fallback", () => {
  test("a module registered in place of the threaded one ends its helpers; the new one starts its own", async () => {
    const old = threaded();
    registerWasmFromBytes(readFileSync(THREADED));
    const fresh = threaded();
    assert.notEqual(fresh.module, old.module);
    assert.equal(old.threads.threads, 1, "the replaced pool is stopped");
    old.threads.setThreads(2);
    assert.equal(old.threads.threads, 1, "and stays stopped");
    fresh.threads.setThreads(2);
    assert.equal(await fresh.threads.ready(), 1);
    assert.equal(fresh.threads.probe(2), 2);
  });

  test("the two builds are told apart, and the one-thread bytes are refused as the threaded module", () => {
    const single = readFileSync(SINGLE);
    assert.equal(isThreadedWasm(single), false);
    assert.equal(isThreadedWasm(readFileSync(THREADED)), true);
    assert.throws(() => loadThreadedWasmFromBytes(single), /imports no memory \(not the threaded build\)/);
  });

  test("without SharedArrayBuffer Node loads the one-thread module and says why, once", () => {
    // tsx's loader itself needs SharedArrayBuffer, so the script removes it before Tessera loads
    const script = [
      "delete globalThis.SharedArrayBuffer;",
      'const r = await import("./src/backend/registry.ts");',
      'const ts = await import("./src/index.ts");',
      "ts.add(ts.ones([4]), ts.ones([4])).data; ts.matmul(ts.ones([64, 64]), ts.ones([64, 64])).data;",
      'console.log(r.getBackend() + "|" + r.describeBackend());',
    ].join("\n");
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, TESSERA_BACKEND: "wasm" },
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "wasm|wasm (simd128, 1 thread)");
    const lines = result.stderr.split("\n").filter((line) => line.includes("wasm backend runs on 1 thread"));
    assert.deepEqual(lines, [
      "tessera: the wasm backend runs on 1 thread: this host has no SharedArrayBuffer",
    ]);
  });
});
