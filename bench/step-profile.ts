// bench/step-profile: CPU time, GC time and peak RSS per training step of one benchmark model (gpt,
// lstm, mlp, cnn), through model.fit exactly as the benches run it, in this process alone. It is the
// measuring tool behind bench/profiles/*.md: given a path it writes a V8 CPU profile of the timed
// steps alone (inspector Profiler, 250 us sampling), which bench/profile-table.ts reads. On a shared machine CPU time per step (process.cpuUsage,
// both cores' time summed) is steadier than wall time; take the best of several alternating runs.
//   node --import tsx bench/step-profile.ts gpt [steps=40] [warmup=3] [profile.cpuprofile]
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";

/** A benchmark model with its batch and a maker of `steps` batches of synthetic data. */
export interface StepSubject {
  model: ts.Model;
  batch: number;
  data: (steps: number) => { x: ts.Tensor; y: ts.Tensor };
}

/** The model and data of bench/<name>.bench.ts. */
export async function stepSubject(name: string): Promise<StepSubject> {
  ts.seed(0);
  switch (name) {
    case "gpt": {
      const { gptBenchModel } = await import("./gpt.bench.js");
      const [batch, context, vocab] = [32, 64, 65];
      return {
        model: gptBenchModel(),
        batch,
        data: (n) => ({
          x: ts.randint(0, vocab, [batch * n, context], { dtype: "int32" }),
          y: ts.randint(0, vocab, [batch * n, context], { dtype: "int32" }),
        }),
      };
    }
    case "lstm": {
      const { lstmBenchModel } = await import("./lstm.bench.js");
      const batch = 64;
      return {
        model: lstmBenchModel(),
        batch,
        data: (n) => ({ x: ts.randn([batch * n, 32, 32]), y: ts.randn([batch * n, 1]) }),
      };
    }
    case "mlp": {
      const { mlpBenchModel } = await import("./mlp.bench.js");
      const batch = 128;
      return {
        model: mlpBenchModel(),
        batch,
        data: (n) => ({
          x: ts.randn([batch * n, 784]),
          y: ts.randint(0, 10, [batch * n], { dtype: "int32" }),
        }),
      };
    }
    case "cnn": {
      const { cnnModel } = await import("./cnn.bench.js");
      const batch = 64;
      return {
        model: cnnModel(),
        batch,
        data: (n) => ({
          x: ts.randn([batch * n, 28, 28, 1]),
          y: ts.randint(0, 10, [batch * n], { dtype: "int32" }),
        }),
      };
    }
    default:
      throw new Error(`step-profile: unknown model ${name} (expected gpt, lstm, mlp or cnn)`);
  }
}

/** One measured fit: per-step CPU, wall and GC milliseconds, and the process's peak RSS so far. */
export interface StepMeasure {
  steps: number;
  cpuMsPerStep: number;
  wallMsPerStep: number;
  gcMsPerStep: number;
  peakRssMB: number;
}

/** Posts one inspector command and resolves with its result. */
function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/**
 * Fits `warmup` steps untimed, then `steps` steps timed (CPU via process.cpuUsage, GC via
 * perf_hooks). With `profilePath`, a V8 CPU profile of the timed steps alone is written there.
 */
export async function measureSteps(
  subject: StepSubject,
  steps: number,
  warmup: number,
  profilePath?: string,
): Promise<StepMeasure> {
  const { model, batch, data } = subject;
  const warm = data(warmup);
  await model.fit(warm.x, warm.y, { epochs: 1, batchSize: batch, verbose: 0 });
  const timed = data(steps);
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  const session = profilePath === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: 250 });
    await post(session, "Profiler.start");
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await model.fit(timed.x, timed.y, { epochs: 1, batchSize: batch, verbose: 0 });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (session !== undefined && profilePath !== undefined) {
    const { profile } = (await post(session, "Profiler.stop")) as { profile: unknown };
    writeFileSync(profilePath, JSON.stringify(profile));
    session.disconnect();
  }
  // GC entries arrive asynchronously: let the observer drain before reading them
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return {
    steps,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    wallMsPerStep: wall / steps,
    gcMsPerStep: gcMs / steps,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [name = "gpt", stepsArg = "40", warmupArg = "3", profilePath] = process.argv.slice(2);
  const subject = await stepSubject(name);
  const m = await measureSteps(subject, Number(stepsArg), Number(warmupArg), profilePath);
  console.log(
    JSON.stringify({
      model: name,
      backend: ts.getBackend(),
      ...m,
      cpuMsPerStep: +m.cpuMsPerStep.toFixed(2),
      wallMsPerStep: +m.wallMsPerStep.toFixed(2),
      gcMsPerStep: +m.gcMsPerStep.toFixed(2),
      peakRssMB: Math.round(m.peakRssMB),
    }),
  );
}
