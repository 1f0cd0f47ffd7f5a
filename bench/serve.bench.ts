// bench/serve.bench: inference-server throughput and latency for the house-prices model on
// loopback, under 1, 8 and 64 concurrent keep-alive connections. The server runs as a real
// `tessera serve` child process (so the load generator does not share its event loop); the load
// generator is a closed loop of our own: each connection sends its next request when the last
// one is answered, for a fixed time. Each request is one raw record through the TF-Serving route
// (preprocessing included). Batch sizes come from the server's own /metrics (deltas per run).
// Measured with the default batching (max batch 64, max wait 0: a batch is what queued while the
// worker was busy), with max wait 2 ms, and, at 64 connections, with batching off (max batch 1).
//
// Run alone: npx tsx bench/serve.bench.ts     (also exports run() for the bench driver)
// SERVE_BENCH_SECONDS=5 sets the time per measurement; SERVE_BENCH_MODEL=<dir> skips training.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..");
const ENTRY = join(ROOT, "src", "cli", "entry.ts");

export interface ServeBenchRow {
  connections: number;
  maxBatchSize: number;
  maxWaitMs: number;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean rows per batch the server formed, and the share of batches per size bucket (upper bounds). */
  meanBatchRows: number;
  batchBuckets: Record<string, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve(text));
    })
      .on("error", reject)
      .end();
  });
}

/** Cumulative batch-size histogram of one model from the Prometheus text. */
async function batchHistogram(
  base: string,
  model: string,
): Promise<{ buckets: Map<string, number>; sum: number; count: number }> {
  const text = await getText(`${base}/metrics`);
  const buckets = new Map<string, number>();
  let sum = 0;
  let count = 0;
  for (const line of text.split("\n")) {
    const bucket = /^tessera_batch_size_rows_bucket\{le="([^"]+)",model="([^"]+)"\} (\d+)/.exec(line);
    if (bucket !== null && bucket[2] === model) buckets.set(bucket[1]!, Number(bucket[3]));
    const s = /^tessera_batch_size_rows_sum\{model="([^"]+)"\} (\S+)/.exec(line);
    if (s !== null && s[1] === model) sum = Number(s[2]);
    const c = /^tessera_batch_size_rows_count\{model="([^"]+)"\} (\S+)/.exec(line);
    if (c !== null && c[1] === model) count = Number(c[2]);
  }
  return { buckets, sum, count };
}

async function startServe(modelDir: string, extra: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), ENTRY, "serve", modelDir, "--port", "0", ...extra],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(err);
      if (listening !== null && /ready:/.test(err)) resolve(listening[1]!);
    });
    child.on("exit", () => reject(new Error(`serve exited: ${err}`)));
  });
  return { child, url };
}

async function measure(
  base: string,
  model: string,
  connections: number,
  seconds: number,
  body: string,
  maxBatchSize: number,
  maxWaitMs: number,
): Promise<ServeBenchRow> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(`${base}/v1/models/${model}:predict`);
  // Warm up (JIT, connections), then measure.
  await Promise.all(Array.from({ length: connections }, () => post(agent, url, body)));
  const before = await batchHistogram(base, model);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await post(agent, url, body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const after = await batchHistogram(base, model);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const batches = after.count - before.count;
  const buckets: Record<string, number> = {};
  let previous = 0;
  for (const [le, cumulative] of after.buckets) {
    const delta = cumulative - (before.buckets.get(le) ?? 0);
    const own = delta - previous;
    previous = delta;
    if (own > 0 && batches > 0) buckets[`<=${le}`] = Number((own / batches).toFixed(3));
  }
  return {
    connections,
    maxBatchSize,
    maxWaitMs,
    requests: latencies.length,
    errors,
    seconds: Number(elapsed.toFixed(2)),
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    meanBatchRows: batches === 0 ? 0 : Number(((after.sum - before.sum) / batches).toFixed(2)),
    batchBuckets: buckets,
  };
}

export async function run(options: { seconds?: number; print?: boolean } = {}): Promise<ServeBenchRow[]> {
  const seconds = options.seconds ?? Number(process.env.SERVE_BENCH_SECONDS ?? 5);
  const print = options.print !== false ? (line: string) => console.log(line) : () => {};
  let modelDir = process.env.SERVE_BENCH_MODEL;
  let scratch: string | undefined;
  if (modelDir === undefined) {
    scratch = mkdtempSync(join(tmpdir(), "tessera-serve-bench-"));
    const quiet = () => {};
    const code = await main(
      [
        "train",
        join(ROOT, "examples", "house-prices", "spec.json"),
        "--out",
        scratch,
        "--verbose",
        "0",
        "--epochs",
        "30",
      ],
      quiet,
      {
        out: quiet,
        err: quiet,
        stdin: async () => "",
      },
    );
    if (code !== 0) throw new Error("serve bench: training the house-prices model failed");
    modelDir = join(scratch, "model");
  }
  const body = JSON.stringify({
    instances: [
      {
        crim: 0.02731,
        zn: 0,
        indus: 7.07,
        chas: 0,
        nox: 0.469,
        rm: 6.421,
        age: 78.9,
        dis: 4.9671,
        rad: 2,
        tax: 242,
        ptratio: 17.8,
        lstat: 9.14,
      },
    ],
  });
  print(
    `serve bench: house-prices model, 1 record per request (TF-Serving route, raw record), ${seconds}s per row, ${cpus().length} CPUs, node ${process.version}`,
  );
  const rows: ServeBenchRow[] = [];
  // Server settings, then the connection counts measured under them.
  const plans: { maxBatchSize: number; maxWaitMs: number; connections: number[] }[] = [
    { maxBatchSize: 64, maxWaitMs: 0, connections: [1, 8, 64] },
    { maxBatchSize: 64, maxWaitMs: 2, connections: [1, 8, 64] },
    { maxBatchSize: 1, maxWaitMs: 0, connections: [64] },
  ];
  try {
    for (const plan of plans) {
      const { child, url } = await startServe(modelDir, [
        "--max-batch-size",
        String(plan.maxBatchSize),
        "--max-wait-ms",
        String(plan.maxWaitMs),
      ]);
      try {
        for (const connections of plan.connections) {
          const row = await measure(
            url,
            "house-prices",
            connections,
            seconds,
            body,
            plan.maxBatchSize,
            plan.maxWaitMs,
          );
          rows.push(row);
          print(
            `  ${String(connections).padStart(2)} conn, max batch ${String(plan.maxBatchSize).padStart(2)}, max wait ${plan.maxWaitMs} ms: ${row.requestsPerSecond} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
              `${row.requests} requests (${row.errors} errors), mean batch ${row.meanBatchRows} rows ${JSON.stringify(row.batchBuckets)}`,
          );
        }
      } finally {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await run();
}
