// bench/inference-paired: Tessera and onnxruntime-node timed in alternation, for a ratio that
// machine drift cannot tilt. On this shared 2-core machine one ORT configuration measured 672 to
// 887 us per batch-256 call in the same process minutes apart, so two tables timed one after the
// other can disagree by more than the effect they compare. Here every round times each contestant
// for one ORT-protocol sample (about 0.2 s, after 60 ms of untimed calls), in a rotating order; the
// table gives each contestant's median over the rounds and Tessera's time over the best ORT
// configuration's, both as a ratio of medians and as the median of the per-round ratios.
import { table } from "./harness.js";

const ROUNDS = 9;
const SAMPLE_SECONDS = 0.2;
const SETTLE_MS = 60;

/** One contestant: a label and a call to time (awaited). */
export interface Contestant {
  label: string;
  ort: boolean;
  call: () => unknown;
}

/**
 * Seconds per call over one sample of about SAMPLE_SECONDS, `iterations` calls, after SETTLE_MS of
 * untimed calls: ORT's intra-op threads keep spinning for tens of ms after its last run (measured:
 * Tessera's first 0.2 s sample after ORT's took 846 instead of 670 us per call, with 25 % more CPU),
 * and the settling calls give whichever runtime comes next the machine back first.
 */
async function sample(call: () => unknown, iterations: number): Promise<number> {
  const settle = performance.now();
  while (performance.now() - settle < SETTLE_MS) await call();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await call();
  return (performance.now() - t0) / 1000 / iterations;
}

/** Calls per sample for `call`, after a warm-up of at least 5 calls and one sample's time. */
async function sized(call: () => unknown): Promise<number> {
  let calls = 0;
  const start = performance.now();
  while (calls < 5 || performance.now() - start < SAMPLE_SECONDS * 1000) {
    await call();
    calls++;
  }
  const perCall = (performance.now() - start) / 1000 / calls;
  return Math.max(1, Math.round(SAMPLE_SECONDS / perCall));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The paired table for one batch size: one line per contestant, Tessera's ratios last. */
export async function pairedTable(batch: number, contestants: readonly Contestant[]): Promise<string> {
  const iterations: number[] = [];
  for (const c of contestants) iterations.push(await sized(c.call));
  const times = contestants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < contestants.length; j++) {
      const i = (round + j) % contestants.length; // rotate who goes first
      times[i]!.push(await sample(contestants[i]!.call, iterations[i]!));
    }
  }
  const bestOrtPerRound = times[0]!.map((_, r) =>
    Math.min(...contestants.flatMap((c, i) => (c.ort ? [times[i]![r]!] : []))),
  );
  const bestOrt = Math.min(...contestants.flatMap((c, i) => (c.ort ? [median(times[i]!)] : [])));
  const rows = contestants.map((c, i) => {
    const m = median(times[i]!);
    const perRound = median(times[i]!.map((t, r) => t / bestOrtPerRound[r]!));
    return [
      c.label,
      String(batch),
      (m * 1e6).toFixed(1),
      (batch / m).toFixed(0),
      `${(Math.min(...times[i]!) * 1e6).toFixed(1)}-${(Math.max(...times[i]!) * 1e6).toFixed(1)}`,
      `${(m / bestOrt).toFixed(2)}x`,
      `${perRound.toFixed(2)}x`,
    ];
  });
  return table(
    [
      "contestant",
      "batch",
      "median us/call",
      "samples/s",
      "range us",
      "vs best ORT (medians)",
      "vs best ORT (per round)",
    ],
    rows,
  );
}
