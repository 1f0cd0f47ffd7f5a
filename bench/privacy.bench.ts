// bench/privacy: DP-SGD training throughput as a fraction of ordinary training, on the MLP
// benchmark's model (784-256-256-10, Adam): the same fit on the same data, plain and with
// { privacy } (Poisson batches of the same expected size, per-example clipping by the ghost norm,
// Gaussian noise on every parameter). Issue 16's target: at least 0.5x. The machine is shared, so
// each step is timed (a callback around every batch) and the MINIMUM and MEDIAN step times are
// compared; the load average is printed with them.
//   npx tsx bench/privacy.bench.ts            (TESSERA_BACKEND=reference|native to choose)
import { loadavg } from "node:os";
import { kernels } from "../src/backend/registry.js";
import { Generator } from "../src/core/random.js";
import * as ts from "../src/index.js";
import { addGaussianNoise } from "../src/train/privacy/gaussian-noise.js";
import { perExampleGradients, planPerExample } from "../src/train/privacy/per-example-grads.js";
import { forward } from "../src/train/step.js";
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
// Where a DP step's time goes (minimum over 40 repetitions, batch 128): the per-example part (one
// forward and backward with the layers captured, norms, the clipped sum) against the noise (one
// Gaussian sample per parameter: the backend's gaussianNoise kernel DpSgd uses, and the JS
// ziggurat it replaced, in the same run) and a plain trainOnBatch.
{
  const batch = 128;
  ts.seed(0);
  const model = mlpBenchModel();
  const x = ts.randn([batch, 784]);
  const y = ts.randint(0, 10, [batch], { dtype: "int32" });
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  const plan = planPerExample(model);
  const data = { x: [x], y: [y], sampleWeight: null };
  const generator = new Generator(1);
  const best = { perExample: Infinity, noise: Infinity, ziggurat: Infinity, plain: Infinity };
  for (let r = 0; r < 40; r++) {
    let t = performance.now();
    const result = perExampleGradients(
      plan,
      data,
      (xs) => forward(model, xs, true),
      (p, b) => model.computeLoss(b, p),
    );
    const factors = result.squaredNorms().map((n) => Math.min(1, 1 / (Math.sqrt(n) + 1e-6)));
    const sums = result.weightedSum(factors);
    best.perExample = Math.min(best.perExample, performance.now() - t);
    t = performance.now();
    const [key0, key1] = [generator.nextUint32(), generator.nextUint32()];
    sums.forEach((s, stream) => {
      const data = s.data as Float32Array;
      kernels().gaussianNoise(data, {
        n: data.length,
        std: 1,
        scale: 1 / batch,
        key0,
        key1,
        stream,
        offset: 0,
      });
    });
    best.noise = Math.min(best.noise, performance.now() - t);
    t = performance.now();
    for (const s of sums) addGaussianNoise(s.data as Float32Array, 1, generator, 1 / batch);
    best.ziggurat = Math.min(best.ziggurat, performance.now() - t);
    t = performance.now();
    await model.trainOnBatch(x, y);
    best.plain = Math.min(best.plain, performance.now() - t);
  }
  const params = model.countParams();
  console.log(
    `batch ${batch}, ${params} parameters, min of 40: per-example gradients + clipped sum ${best.perExample.toFixed(2)} ms, ` +
      `noise ${best.noise.toFixed(2)} ms (${((best.noise / params) * 1e6).toFixed(2)} ns per parameter; the JS ziggurat ${best.ziggurat.toFixed(2)} ms, ${((best.ziggurat / params) * 1e6).toFixed(2)} ns), plain trainOnBatch ${best.plain.toFixed(2)} ms; ` +
      `per-example part / plain step ${(best.perExample / best.plain).toFixed(2)}`,
  );
}
console.log(
  `load average after: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(" ")}`,
);
