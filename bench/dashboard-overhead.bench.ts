// bench/dashboard-overhead: what ts.callbacks.dashboard costs a fit, on the MLP benchmark's model
// (784-256-256-10, Adam, batch 128, as bench/mlp.bench.ts). Fits of the same data alternate
// without and with the dashboard (an event stream open the whole time, as with a page watching),
// several rounds; the overhead is the ratio of the median times. Target: under 2 %.
// Run: npm run bench -- dashboard   (BENCH_ROUNDS, BENCH_STEPS to change the size)
import { get } from "node:http";
import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import { mlpBenchModel } from "./mlp.bench.js";

const BATCH = 128;

/** The dashboard callback with the main-thread time spent in its hooks added up. */
class TimedDashboard extends ts.Dashboard {
  hookMs = 0;
  private timed(hook: () => void): void {
    const start = performance.now();
    hook();
    this.hookMs += performance.now() - start;
  }
  override onTrainBegin(logs: ts.Logs): void {
    this.timed(() => super.onTrainBegin(logs));
  }
  override onEpochBegin(epoch: number, logs: ts.Logs): void {
    this.timed(() => super.onEpochBegin(epoch, logs));
  }
  override onBatchEnd(batch: number, logs: ts.Logs): void {
    this.timed(() => super.onBatchEnd(batch, logs));
  }
  override onEpochEnd(epoch: number, logs: ts.Logs): void {
    this.timed(() => super.onEpochEnd(epoch, logs));
  }
  override onTrainEnd(logs: ts.Logs): void {
    this.timed(() => super.onTrainEnd(logs));
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function main(): Promise<{
  baseline: number;
  withDashboard: number;
  overhead: number;
  hookShare: number;
  cpuOverhead: number;
}> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const steps = Number(process.env.BENCH_STEPS ?? 60);
  const epochs = 3;
  const x = ts.randn([BATCH * steps, 784]);
  const y = ts.randint(0, 10, [BATCH * steps], { dtype: "int32" });
  ts.seed(0);
  const model = mlpBenchModel(["accuracy"]);
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 }); // warm-up
  const board = new TimedDashboard({
    name: "bench",
    batchSize: BATCH,
    batchIntervalMs: Number(process.env.BENCH_INTERVAL_MS ?? 100),
  });
  const url = await board.start();
  let received = 0;
  const stream = get(`${url}events`, (response) =>
    response.on("data", (chunk: Buffer) => (received += chunk.length)),
  );
  await new Promise((r) => setTimeout(r, 200));
  const plain: number[] = [];
  const watched: number[] = [];
  // CPU seconds of the whole process (every thread: main, kernel pool, dashboard worker) per fit:
  // far less disturbed than wall time when other jobs share the cores.
  const plainCpu: number[] = [];
  const watchedCpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const withDashboard of round % 2 === 0 ? [false, true] : [true, false]) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      await model.fit(x, y, {
        epochs,
        batchSize: BATCH,
        verbose: 0,
        callbacks: withDashboard ? [board] : [],
      });
      (withDashboard ? watched : plain).push((performance.now() - start) / 1000);
      const used = process.cpuUsage(cpu);
      (withDashboard ? watchedCpu : plainCpu).push((used.user + used.system) / 1e6);
      await new Promise((r) => setTimeout(r, 50)); // let the stream drain between fits
    }
  }
  stream.destroy();
  await board.close();
  const baseline = median(plain);
  const withDashboard = median(watched);
  const overhead = withDashboard / baseline - 1;
  const minOverhead = Math.min(...watched) / Math.min(...plain) - 1;
  // Main-thread time inside the callback's hooks, as a share of the time of the fits it watched.
  const hookShare = board.hookMs / 1000 / watched.reduce((a, b) => a + b, 0);
  console.log(
    `backend ${ts.getBackend()}, ${epochs} epochs x ${steps} steps of ${BATCH}, ${rounds} rounds (median)`,
  );
  console.log(
    `  without dashboard: ${baseline.toFixed(3)} s  (${((BATCH * steps * epochs) / baseline).toFixed(0)} samples/s)`,
  );
  console.log(
    `  with dashboard:    ${withDashboard.toFixed(3)} s  (stream received ${(received / 1024).toFixed(1)} KiB)`,
  );
  console.log(
    `  overhead: ${(overhead * 100).toFixed(2)} % of medians, ${(minOverhead * 100).toFixed(2)} % of minimums (target < 2 %)`,
  );
  const cpuOverhead = median(watchedCpu) / median(plainCpu) - 1;
  console.log(
    `  CPU time (all threads): ${median(plainCpu).toFixed(3)} s without, ${median(watchedCpu).toFixed(3)} s with: ${(cpuOverhead * 100).toFixed(2)} %`,
  );
  console.log(
    `  time inside the dashboard's hooks: ${board.hookMs.toFixed(1)} ms = ${(hookShare * 100).toFixed(3)} % of the watched fits`,
  );
  console.log(`  all runs without: ${plain.map((s) => s.toFixed(3)).join(" ")}`);
  console.log(`  all runs with:    ${watched.map((s) => s.toFixed(3)).join(" ")}`);
  return { baseline, withDashboard, overhead, hookShare, cpuOverhead };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
