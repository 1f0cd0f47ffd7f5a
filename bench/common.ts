// bench/common: what the training benchmarks (MLP, CNN, LSTM, GPT) share: timing targets, result
// rows, bundling a TensorFlow.js runner with esbuild (its ESM build uses directory imports Node
// rejects), running a PyTorch script with the strongest torch found (bench/peers.ts), and the table.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Model, Tensor } from "../src/index.js";
import { TORCH_EPILOGUE, torchPeer } from "./peers.js";

export interface BenchRow {
  framework: string;
  backend: string;
  /** Samples (or tokens) per second; null when the entry could not run. */
  perSecond: number | null;
  note: string;
}

/** Seconds each entry should run for (BENCH_SECONDS, default 3). */
export function targetSeconds(): number {
  const value = Number(process.env.BENCH_SECONDS ?? "3");
  return Number.isFinite(value) && value > 0 ? value : 3;
}

/** Steps to time so the run lasts about `seconds`, from the duration of one step. */
export function stepsFor(stepSeconds: number, seconds: number): number {
  return Math.max(3, Math.min(500, Math.ceil(seconds / Math.max(stepSeconds, 1e-6))));
}

/** A Tessera timed run: the steps timed, their seconds and the epoch's loss. */
export interface FitTiming {
  steps: number;
  elapsed: number;
  loss: number | undefined;
}

/**
 * Times `model.fit`: a fit over `warmup` batches of data(warmup) measures one step, then a fit over
 * fresh data(steps), with steps sized to last about `seconds`, is timed.
 */
export async function timeFit(
  model: Model,
  data: (steps: number) => { x: Tensor; y: Tensor },
  batch: number,
  warmup: number,
  seconds: number,
): Promise<FitTiming> {
  const warm = data(warmup);
  let start = performance.now();
  await model.fit(warm.x, warm.y, { epochs: 1, batchSize: batch, verbose: 0 });
  const steps = stepsFor((performance.now() - start) / 1000 / warmup, seconds);
  const timed = data(steps);
  start = performance.now();
  const history = await model.fit(timed.x, timed.y, { epochs: 1, batchSize: batch, verbose: 0 });
  return { steps, elapsed: (performance.now() - start) / 1000, loss: history.history.loss?.[0] };
}

/** Bundles bench/<file> to CommonJS in a temporary folder, loads it, and cleans up after `use`. */
export async function withTfjsBundle<M, R>(
  file: string,
  use: (module: M, wasmDir: string) => Promise<R>,
): Promise<R> {
  const here = dirname(fileURLToPath(import.meta.url));
  const require = createRequire(import.meta.url);
  const outDir = mkdtempSync(join(tmpdir(), "tessera-bench-"));
  try {
    const { buildSync } = await import("esbuild");
    const outfile = join(outDir, file.replace(/\.ts$/, ".cjs"));
    buildSync({
      entryPoints: [join(here, file)],
      bundle: true,
      platform: "node",
      format: "cjs",
      mainFields: ["module", "main"],
      outfile,
      logLevel: "error",
    });
    const wasmDir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
    return await use(require(outfile) as M, wasmDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The first line of an error, for a table note. */
export function errorLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/**
 * Runs a PyTorch script (argv[1] = seconds, then `args`) that prints {"per_second", "steps", "version"} as its
 * last line, on `threads` threads, with the strongest torch found (bench/peers.ts); a row saying why
 * when torch is missing or the script fails. The note names torch's version and the threads it used.
 */
export function runTorch(
  script: string,
  seconds: number,
  threads: number,
  args: readonly string[] = [],
): BenchRow {
  const peer = torchPeer();
  const base = {
    framework: "PyTorch",
    backend: `cpu, ${threads} thread${threads > 1 ? "s" : ""}`,
    perSecond: null,
  };
  if (peer.python === undefined) return { ...base, note: peer.note };
  const env = {
    ...process.env,
    OPENBLAS_CORETYPE: "SkylakeX",
    OMP_WAIT_POLICY: "PASSIVE",
    OMP_NUM_THREADS: String(threads),
    TORCH_THREADS: String(threads),
  };
  const result = spawnSync(peer.python, ["-c", script + TORCH_EPILOGUE, String(seconds), ...args], {
    env,
    encoding: "utf8",
    timeout: 900_000,
  });
  if (result.status !== 0) return { ...base, note: `failed: ${result.stderr.trim().split("\n").at(-1)}` };
  const lines = result.stdout.trim().split("\n");
  const parsed = JSON.parse(lines.at(-2) ?? "{}") as { per_second: number; steps: number; version: string };
  const info = JSON.parse(lines.at(-1) ?? "{}") as { peer_threads?: number; peer_max_rss_mb?: number };
  return {
    ...base,
    perSecond: parsed.per_second,
    note: `torch ${parsed.version} (${peer.note}), ${info.peer_threads ?? "?"} threads, ${parsed.steps} steps, peak RSS ${info.peer_max_rss_mb ?? "?"} MB`,
  };
}

/** The result table, with each entry's ratio to the best PyTorch row when there is one. */
export function formatTable(rows: readonly BenchRow[], unit: string, perStep: number): string {
  const torch = Math.max(0, ...rows.filter((r) => r.framework === "PyTorch").map((r) => r.perSecond ?? 0));
  const header = ["framework", "backend", unit, "ms/step", torch > 0 ? "vs PyTorch" : "", "note"];
  const body = rows.map((r) => [
    r.framework,
    r.backend,
    r.perSecond === null ? "-" : r.perSecond.toFixed(0),
    r.perSecond === null ? "-" : ((perStep / r.perSecond) * 1000).toFixed(1),
    torch === 0 || r.perSecond === null ? "" : `${(r.perSecond / torch).toFixed(2)}x`,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}
