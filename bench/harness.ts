// bench/harness: shared helpers for the benchmarks: best-of timing, table printing, and running
// the Python frameworks (NumPy, PyTorch) in a child process. Benchmarks are never part of
// `npm test`; they print numbers, they assert nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numpyPython } from "./peers.js";

export interface TimingOptions {
  /** Stop after this many seconds of runs (at least minReps runs). */
  seconds?: number;
  minReps?: number;
  maxReps?: number;
}

/** Best wall time in seconds of fn over several runs (one untimed warm-up first). */
export function bestTime(fn: () => void, options: TimingOptions = {}): number {
  const { seconds = 0.4, minReps = 3, maxReps = 200 } = options;
  fn();
  let best = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let rep = 0; rep < maxReps; rep++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (rep + 1 >= minReps && (performance.now() - start) / 1000 > seconds) break;
  }
  return best;
}

/** Async variant for frameworks whose results arrive asynchronously. */
export async function bestTimeAsync(fn: () => Promise<void>, options: TimingOptions = {}): Promise<number> {
  const { seconds = 0.4, minReps = 3, maxReps = 200 } = options;
  await fn();
  let best = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let rep = 0; rep < maxReps; rep++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (rep + 1 >= minReps && (performance.now() - start) / 1000 > seconds) break;
  }
  return best;
}

/** Keeps the best (largest) value seen per key across rounds. */
export class BestOf {
  private readonly values = new Map<string, number>();
  add(key: string, value: number): void {
    if (Number.isFinite(value) && value > (this.values.get(key) ?? Number.NEGATIVE_INFINITY))
      this.values.set(key, value);
  }
  get(key: string): number | undefined {
    return this.values.get(key);
  }
}

/** A right-aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function fixed(value: number | undefined, digits = 1): string {
  return value === undefined ? "-" : value.toFixed(digits);
}

const FRAMEWORKS_SCRIPT = fileURLToPath(new URL("./frameworks.py", import.meta.url));

/**
 * Runs bench/frameworks.py (with .venv-torch's interpreter when present: bench/peers.ts) with `args` and parses the JSON it prints; undefined when Python or
 * the module is missing (the reason goes to stderr of the bench).
 */
export function runFrameworks(args: readonly string[], env: Record<string, string>): unknown {
  const python = numpyPython();
  if (!existsSync(python)) return undefined;
  const result = spawnSync(python, [FRAMEWORKS_SCRIPT, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 24,
    timeout: 30 * 60 * 1000,
  });
  if (result.status !== 0) {
    process.stderr.write(
      `frameworks.py ${args.join(" ")} failed: ${result.stderr.split("\n").slice(-3).join(" ")}\n`,
    );
    return undefined;
  }
  return JSON.parse(result.stdout) as unknown;
}
