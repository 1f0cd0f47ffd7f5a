// bench/common: what the training benchmarks (MLP, CNN, LSTM, GPT) share: timing targets, result
// rows, running each Tessera entry in a child process of its own (so its peak RSS is its own),
// bundling a TensorFlow.js runner with esbuild (its ESM build uses directory imports Node
// rejects), running a PyTorch script with the strongest torch found (bench/peers.ts), and the table.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BackendName, Model, Tensor } from "../src/index.js";
import { TORCH_EPILOGUE, torchPeer } from "./peers.js";

export interface BenchRow {
  framework: string;
  backend: string;
  /** Samples (or tokens) per second; null when the entry could not run. */
  perSecond: number | null;
  note: string;
  /** Peak resident set of the process that ran only this entry, MB (undefined: not measured alone). */
  peakRssMB?: number;
}

/** Set in a bench's child process: the Tessera backend that child runs alone. */
const CHILD_BACKEND_ENV = "TESSERA_BENCH_CHILD_BACKEND";

/** This process's peak resident set so far, MB (the kernel's maxRSS). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Runs the bench file `benchUrl` (its import.meta.url) in a child process that measures only
 * Tessera on `backend` and prints that row (see runChildIfAsked); returns the row with the child's
 * peak RSS, or `failed(reason)` when the child fails.
 */
export function tesseraInChild<R extends object>(
  benchUrl: string,
  backend: string,
  failed: (reason: string) => R,
): R & { peakRssMB?: number } {
  const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(benchUrl)], {
    env: { ...process.env, [CHILD_BACKEND_ENV]: backend },
    encoding: "utf8",
    maxBuffer: 1 << 24,
    timeout: 900_000,
  });
  const last = child.stdout?.trim().split("\n").at(-1) ?? "";
  if (child.status !== 0 || !last.startsWith("{")) {
    return failed(child.stderr?.trim().split("\n").at(-1) ?? `exit ${child.status}`);
  }
  return JSON.parse(last) as R & { peakRssMB?: number };
}

/**
 * In a child started by tesseraInChild: runs `runOne` on the backend it was given, prints the row
 * with this process's peak RSS as one JSON line, and returns true. Elsewhere returns false.
 */
export async function runChildIfAsked<R extends object>(
  runOne: (backend: BackendName) => Promise<R>,
): Promise<boolean> {
  const backend = process.env[CHILD_BACKEND_ENV];
  if (backend === undefined || backend === "") return false;
  const row = await runOne(backend as BackendName);
  console.log(JSON.stringify({ ...row, peakRssMB: Math.round(peakRssMB()) }));
  return true;
}

/** "123" (MB), or "-" when not measured. */
export function formatRss(mb: number | undefined | null): string {
  return mb === undefined || mb === null ? "-" : mb.toFixed(0);
}

/** Peak RSS as a multiple of the PyTorch row's ("1.10x"), or "" when either is missing. */
export function rssRatio(mb: number | undefined | null, torchMB: number | undefined | null): string {
  if (mb === undefined || mb === null || torchMB === undefined || torchMB === null || torchMB <= 0) return "";
  return `${(mb / torchMB).toFixed(2)}x`;
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
    note: `torch ${parsed.version} (${peer.note}), ${info.peer_threads ?? "?"} threads, ${parsed.steps} steps`,
    ...(info.peer_max_rss_mb === undefined ? {} : { peakRssMB: info.peer_max_rss_mb }),
  };
}

/**
 * The result table, with each entry's ratio to the best PyTorch row when there is one, and each
 * entry's peak RSS (measured in a process of its own) next to that PyTorch row's.
 */
export function formatTable(rows: readonly BenchRow[], unit: string, perStep: number): string {
  const torchRows = rows.filter((r) => r.framework === "PyTorch" && r.perSecond !== null);
  const bestTorch = torchRows.reduce<BenchRow | undefined>(
    (a, r) => (a === undefined || (r.perSecond ?? 0) > (a.perSecond ?? 0) ? r : a),
    undefined,
  );
  const torch = bestTorch?.perSecond ?? 0;
  const header = [
    "framework",
    "backend",
    unit,
    "ms/step",
    torch > 0 ? "vs PyTorch" : "",
    "peak RSS MB",
    "RSS vs PyTorch",
    "note",
  ];
  const body = rows.map((r) => [
    r.framework,
    r.backend,
    r.perSecond === null ? "-" : r.perSecond.toFixed(0),
    r.perSecond === null ? "-" : ((perStep / r.perSecond) * 1000).toFixed(1),
    torch === 0 || r.perSecond === null ? "" : `${(r.perSecond / torch).toFixed(2)}x`,
    formatRss(r.peakRssMB),
    r.framework === "PyTorch" ? "" : rssRatio(r.peakRssMB, bestTorch?.peakRssMB),
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
