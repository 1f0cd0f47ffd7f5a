// bench/inference.bench: inference of the MLP 784-256-256-10 (ReLU; bench/mlp.bench's model) in
// Tessera (`predictOnBatch`, every backend that loaded) and in onnxruntime-node (the same weights,
// exported with `modelToOnnx`, graph optimization "all", 1 and 2 intra-op threads): batch 1 latency
// (us/call) and batch 256 throughput (samples/s). ORT's own perf-test protocol: warm-up, then 7
// samples of about 0.2 s each; the median sample counts. The outputs of both runtimes are compared
// first, so the two time the same function. The native and wasm rows run twice: with inference
// plans (models/inference-plans, the default) and with plans off ("eager", the path before them).
// Tessera's native rows run again in a child process with TESSERA_NUM_THREADS=1 (one thread is
// often faster at batch 1; on 2 threads it splits the large layers' columns only when a worker is
// awake, see native/src/gemm-small-split.h). Run alone with `npx tsx bench/inference.bench.ts`, or
// `npm run bench -- inference`. A last, paired table times Tessera native and both ORT
// configurations in alternation (bench/inference-paired): on this drifting machine the ratio to trust.
// NOTE: the machine is shared and loaded; compare figures within one run.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import { errorLine } from "./common.js";
import { table } from "./harness.js";
import { type Contestant, pairedTable } from "./inference-paired.js";
import { mlpBenchModel } from "./mlp.bench.js";

const BATCHES = [1, 256] as const;
const SAMPLES = 7;
const SAMPLE_SECONDS = 0.2;
const ORT_THREADS = [1, 2] as const;

/**
 * Median seconds per call: warm-up, then SAMPLES samples of about SAMPLE_SECONDS (ORT's protocol);
 * also the least process CPU time per call over the samples (every thread's, so above the wall
 * time when several threads work; on a loaded machine it moves less than the wall time).
 */
export async function medianCallSeconds(fn: () => unknown): Promise<{ seconds: number; cpuSeconds: number }> {
  // Warm-up: at least 5 calls and about one sample's time; it also sizes the samples.
  let calls = 0;
  const warmStart = performance.now();
  while (calls < 5 || performance.now() - warmStart < SAMPLE_SECONDS * 1000) {
    await fn();
    calls++;
  }
  const perCall = (performance.now() - warmStart) / 1000 / calls;
  const iterations = Math.max(1, Math.round(SAMPLE_SECONDS / perCall));
  const samples: number[] = [];
  let cpuSeconds = Number.POSITIVE_INFINITY;
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await fn();
    const cpu = process.cpuUsage(cpu0);
    samples.push((performance.now() - t0) / 1000 / iterations);
    cpuSeconds = Math.min(cpuSeconds, (cpu.user + cpu.system) / 1e6 / iterations);
  }
  samples.sort((a, b) => a - b);
  return { seconds: samples[Math.floor(SAMPLES / 2)]!, cpuSeconds };
}

interface Row {
  runtime: string;
  threads: string;
  batch: number;
  secondsPerCall: number | null;
  cpuSecondsPerCall?: number;
  note: string;
}

type Ort = typeof import("onnxruntime-node");

/** An ORT session as ORT's perf test runs it: all graph optimizations, `threads` intra-op threads. */
function ortSession(ort: Ort, bytes: Uint8Array, threads: number) {
  return ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
  });
}

async function ortRows(
  ort: Ort,
  bytes: Uint8Array,
  inputs: Map<number, ts.Tensor>,
  model: ts.Model,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const threads of ORT_THREADS) {
    const session = await ortSession(ort, bytes, threads);
    const inputName = session.inputNames[0]!;
    for (const batch of BATCHES) {
      const x = inputs.get(batch)!;
      const feeds = {
        [inputName]: new ort.Tensor("float32", Float32Array.from(x.data as Float32Array), [...x.shape]),
      };
      const got = (await session.run(feeds))[session.outputNames[0]!]!.data as Float32Array;
      const want = model.predictOnBatch(x).data as Float32Array;
      let diff = 0;
      for (let i = 0; i < want.length; i++)
        diff = Math.max(diff, Math.abs((got[i] ?? Number.NaN) - want[i]!));
      const { seconds, cpuSeconds } = await medianCallSeconds(() => session.run(feeds));
      rows.push({
        runtime: `onnxruntime-node ${ort.env.versions.node ?? ""}`.trim(),
        threads: `intra-op ${threads}, inter-op 1`,
        batch,
        secondsPerCall: seconds,
        cpuSecondsPerCall: cpuSeconds,
        note: `session.run; max |ORT - Tessera| ${diff.toExponential(1)}`,
      });
    }
    await session.release();
  }
  return rows;
}

function format(rows: readonly Row[]): string {
  const best = new Map<number, number>();
  for (const r of rows)
    if (r.runtime.startsWith("onnxruntime") && r.secondsPerCall !== null)
      best.set(r.batch, Math.min(best.get(r.batch) ?? Number.POSITIVE_INFINITY, r.secondsPerCall));
  return table(
    ["runtime", "threads", "batch", "us/call", "samples/s", "time vs best ORT", "CPU us/call", "note"],
    rows.map((r) => {
      const s = r.secondsPerCall;
      const ort = best.get(r.batch);
      return [
        r.runtime,
        r.threads,
        String(r.batch),
        s === null ? "-" : (s * 1e6).toFixed(1),
        s === null ? "-" : (r.batch / s).toFixed(0),
        s === null || ort === undefined ? "" : `${(s / ort).toFixed(2)}x`,
        r.cpuSecondsPerCall === undefined ? "-" : (r.cpuSecondsPerCall * 1e6).toFixed(1),
        r.note,
      ];
    }),
  );
}

/**
 * Tessera's predictOnBatch rows on `backends`: with inference plans (the default), and on
 * `eagerToo` backends also with plans off (the eager forward pass on every call, as before plans).
 */
async function tesseraRows(
  model: ts.Model,
  inputs: Map<number, ts.Tensor>,
  backends: readonly ts.BackendName[],
  eagerToo: readonly ts.BackendName[] = [],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of backends) {
    ts.setBackend(backend);
    const threads = ts.describeBackend();
    for (const plans of eagerToo.includes(backend) ? [true, false] : [true]) {
      ts.setInferencePlanning(plans);
      for (const batch of BATCHES) {
        const x = inputs.get(batch)!;
        const row = { runtime: `Tessera ${backend}${plans ? "" : " eager"}`, threads, batch };
        try {
          const { seconds, cpuSeconds } = await medianCallSeconds(() => model.predictOnBatch(x));
          rows.push({
            ...row,
            secondsPerCall: seconds,
            cpuSecondsPerCall: cpuSeconds,
            note: plans ? "predictOnBatch (inference plan)" : "predictOnBatch, plans off",
          });
        } catch (error) {
          rows.push({ ...row, secondsPerCall: null, note: errorLine(error) });
        }
      }
    }
    ts.setInferencePlanning(true);
  }
  return rows;
}

/**
 * The native rows again on one thread (the thread count is fixed when the addon loads, so in a
 * child process with TESSERA_NUM_THREADS=1); none when the child fails.
 */
function singleThreadRows(): Row[] {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ["--import", "tsx", self], {
    env: { ...process.env, TESSERA_NUM_THREADS: "1", [CHILD_ENV]: "1" },
    encoding: "utf8",
    timeout: 600_000,
  });
  if (child.status !== 0) {
    console.log(`(1-thread Tessera rows failed: ${child.stderr.trim().split("\n").at(-1)})`);
    return [];
  }
  return JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "[]") as Row[];
}

const CHILD_ENV = "TESSERA_INFERENCE_BENCH_CHILD";

/** Runs the benchmark, prints the table, returns the rows. */
export async function run(): Promise<Row[]> {
  const child = process.env[CHILD_ENV] === "1";
  if (!child)
    console.log(
      `MLP 784-256-256-10 (ReLU) inference, float32: batch ${BATCHES.join(" and ")}; warm-up, ${SAMPLES} samples of ~${SAMPLE_SECONDS}s, median (onnxruntime's perf-test protocol). "time vs best ORT" < 1 means faster than ORT's best thread count; "CPU us/call" is the least process CPU time per call over the samples (all threads).`,
    );
  const previous = ts.getBackend();
  ts.seed(0);
  const model = mlpBenchModel();
  const inputs = new Map(BATCHES.map((b) => [b, ts.randn([b, 784])] as const));
  model.predictOnBatch(inputs.get(1)!); // builds the model
  if (child) {
    console.log(JSON.stringify(await tesseraRows(model, inputs, ["native"], ["native"])));
    return [];
  }
  const rows = await tesseraRows(model, inputs, ts.listBackends(), ["native", "wasm"]);
  const native = rows.find((r) => r.runtime === "Tessera native");
  if (native !== undefined && !native.threads.includes("1 thread")) rows.push(...singleThreadRows());
  ts.setBackend(previous);
  let ort: Ort | null = null;
  try {
    ort = (await import("onnxruntime-node")) as Ort;
    rows.push(...(await ortRows(ort, ts.modelToOnnx(model), inputs, model)));
  } catch (error) {
    rows.push({
      runtime: "onnxruntime-node",
      threads: "-",
      batch: 0,
      secondsPerCall: null,
      note: `skipped: ${errorLine(error)}`,
    });
  }
  console.log(format(rows));
  if (ort !== null && ts.listBackends().includes("native")) await pairedTables(ort, model, inputs);
  console.log(
    `NOTE: load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " ",
      )} at the end. Rows on 2 threads need a free second core: at batch 1 Tessera hands a GEMM's columns to an awake worker only (native/src/gemm-small-split.h) and runs alone otherwise; a loaded machine puts noise of tens of percent between runs.`,
  );
  return rows;
}

/**
 * Tessera native (this process's thread count, inference plans) against ORT on 1 and 2 intra-op
 * threads, timed in alternation (bench/inference-paired): the ratio to trust on a drifting machine.
 */
async function pairedTables(ort: Ort, model: ts.Model, inputs: Map<number, ts.Tensor>): Promise<void> {
  ts.setBackend("native");
  const bytes = ts.modelToOnnx(model);
  console.log(
    "\nPaired: Tessera native and ORT timed in alternation, 9 rounds of one ~0.2 s sample each after 60 ms of untimed calls (rotating order):",
  );
  for (const batch of BATCHES) {
    const x = inputs.get(batch)!;
    const contestants: Contestant[] = [
      { label: `Tessera native (${ts.describeBackend()})`, ort: false, call: () => model.predictOnBatch(x) },
    ];
    const sessions: { release(): Promise<void> }[] = [];
    for (const threads of ORT_THREADS) {
      const session = await ortSession(ort, bytes, threads);
      const feeds = {
        [session.inputNames[0]!]: new ort.Tensor("float32", Float32Array.from(x.data as Float32Array), [
          ...x.shape,
        ]),
      };
      sessions.push(session);
      contestants.push({
        label: `onnxruntime-node, intra-op ${threads}`,
        ort: true,
        call: () => session.run(feeds),
      });
    }
    console.log(await pairedTable(batch, contestants));
    for (const session of sessions) await session.release();
  }
}

export const main = run;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
