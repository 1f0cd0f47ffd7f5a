// bench/privacy: DP-SGD training throughput as a fraction of ordinary training, on the MLP
// benchmark's model (784-256-256-10, Adam): the same fit on the same data, plain and with
// { privacy } (Poisson batches of the same expected size, per-example clipping by the ghost norm,
// Gaussian noise on every parameter). Issue 16's target: at least 0.5x. The machine is shared, so
// each step is timed (a callback around every batch) and the MINIMUM and MEDIAN step times are
// compared; the load average is printed with them.
//   npx tsx bench/privacy.bench.ts            (TESSERA_BACKEND=reference|native to choose)
import { loadavg } from "node:os";
import * as ts from "../src/index.js";
import { mlpBenchModel } from "./mlp.bench.js";

const STEPS = 60;

class StepTimer extends ts.Callback {
  readonly times: number[] = [];
  private started = 0;
  override onBatchBegin(): void {
    this.started = performance.now();
  }
  override onBatchEnd(): void {
    this.times.push(performance.now() - this.started);
  }
}

async function stepTimes(batch: number, privacy: boolean): Promise<number[]> {
  ts.seed(0);
  const model = mlpBenchModel();
  const rows = batch * STEPS;
  const x = ts.randn([rows, 784]);
  const y = ts.randint(0, 10, [rows], { dtype: "int32" });
  const timer = new StepTimer();
  await model.fit(x, y, {
    epochs: 2, // the first epoch warms up
    batchSize: batch,
    verbose: 0,
    callbacks: [timer],
    ...(privacy ? { privacy: { noiseMultiplier: 1, l2NormClip: 1, delta: 1e-5 } } : {}),
  });
  return timer.times.slice(STEPS);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const min = (v: number[]) => Math.min(...v);

console.log(
  `backend ${ts.getBackend()}; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(" ")}`,
);
for (const batch of [128, 512]) {
  const plain = await stepTimes(batch, false);
  const dp = await stepTimes(batch, true);
  const plainAgain = await stepTimes(batch, false); // the load moves: time plain on both sides
  const p = [...plain, ...plainAgain];
  console.log(
    `batch ${batch}: plain min ${min(p).toFixed(2)} ms / median ${median(p).toFixed(2)} ms per step; ` +
      `DP min ${min(dp).toFixed(2)} ms / median ${median(dp).toFixed(2)} ms; ` +
      `DP/plain throughput ${(min(p) / min(dp)).toFixed(2)}x (min), ${(median(p) / median(dp)).toFixed(2)}x (median)`,
  );
}
console.log(
  `load average after: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(" ")}`,
);
