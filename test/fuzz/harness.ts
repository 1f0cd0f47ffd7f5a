// test/fuzz: the harness every fuzz target runs through (property-based, fast-check).
//
// A target is `fuzz(name, arbitrary, body)` in a `*.fuzz.test.ts` file. Each case runs `body` on
// one generated input; the case passes when the body returns, or when it throws one of our typed
// errors (a TesseraError subclass: the input was refused cleanly). Anything else fails the case:
// an untyped error (TypeError, RangeError, a third-party error) escaping, an assertion of the body
// (round trips, bounds), a case slower than the per-case time limit. A watchdog thread kills the
// process when one case runs past the hang limit, after printing how to replay that case, since a
// synchronous infinite loop can be stopped by nothing in its own thread.
//
// Environment (scripts/fuzz.mjs sets these; `npm test` leaves them unset):
//   FUZZ_RUNS     cases per target (default: the target's small budget, 100 unless given)
//   FUZZ_SEED     fast-check seed (default 42 under npm test, so it is reproducible)
//   FUZZ_PATH     replay one failing case: the path fast-check printed (with its FUZZ_SEED)
//   FUZZ_CASE_MS  per-case time limit in ms (default 5000; a slower case fails and is shrunk)
//   FUZZ_HANG_MS  hang limit in ms (default 4 x FUZZ_CASE_MS, at least 20000): the process dies
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { TesseraError } from "../../src/core/errors.js";
import { Table } from "../../src/data/table/table.js";

export { fc };

export interface FuzzOptions {
  /** Cases under `npm test` (FUZZ_RUNS overrides). Keep every target together under ~20 s. */
  readonly runs?: number;
  /**
   * Whether a typed error counts as a pass (an input refused cleanly). Round-trip targets, whose
   * inputs are valid by construction, set this to false: refusing a valid input is a failure.
   */
  readonly typedErrorsPass?: boolean;
}

function envInt(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`fuzz harness: ${name} must be an integer (got ${text})`);
  return value;
}

/** The settings of this run, read once from the environment. */
export const fuzzSettings = {
  runs: envInt("FUZZ_RUNS"),
  seed: envInt("FUZZ_SEED") ?? 42,
  path: process.env.FUZZ_PATH || undefined,
  caseMs: envInt("FUZZ_CASE_MS") ?? 5000,
  get hangMs(): number {
    return envInt("FUZZ_HANG_MS") ?? Math.max(20_000, 4 * this.caseMs);
  },
};

// Shared with the watchdog: [0] start of the current case (ms since epoch, 0 when idle), [1] case
// index (fast-check's path for an initial run is its index, so seed + index replays it).
const WATCHDOG_SOURCE = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const state = new Float64Array(workerData.buffer);
setInterval(() => {
  const start = state[0];
  if (start > 0 && Date.now() - start > workerData.hangMs) {
    writeSync(2, "\\nfuzz: HANG in target " + JSON.stringify(workerData.name) + ": case " + state[1] +
      " ran over " + workerData.hangMs + " ms. Replay: FUZZ_SEED=" + workerData.seed + " FUZZ_PATH=" + state[1] +
      " node --import tsx --test " + workerData.file + "\\n");
    process.kill(process.pid, "SIGKILL");
  }
}, 50);
`;

function startWatchdog(name: string, file: string): { state: Float64Array; stop: () => Promise<number> } {
  const buffer = new SharedArrayBuffer(16);
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { buffer, name, file, seed: fuzzSettings.seed, hangMs: fuzzSettings.hangMs },
  });
  worker.unref();
  return { state: new Float64Array(buffer), stop: () => worker.terminate() };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `non-Error value thrown: ${String(error)}`;
}

const NOTHING_THROWN = Symbol("nothing thrown");

/** Runs one case's outcome through the rule "only our typed errors escape". */
export function judge(error: unknown, typedErrorsPass: boolean): void {
  if (error instanceof TesseraError && typedErrorsPass) {
    assert.ok(error.message.length > 0, `a ${error.name} with an empty message`);
    return;
  }
  if (error instanceof assert.AssertionError) throw error;
  const kind = error instanceof TesseraError ? "typed error on a valid input" : "untyped error escaped";
  throw new Error(`${kind}: ${describeError(error)}`);
}

function caseTimer(state: Float64Array): { begin: () => void; end: () => void } {
  let index = 0;
  let started = 0;
  return {
    begin() {
      state[1] = index++;
      started = performance.now();
      state[0] = Date.now();
    },
    end() {
      state[0] = 0;
      const elapsed = performance.now() - started;
      if (elapsed > fuzzSettings.caseMs) {
        throw new Error(`case took ${elapsed.toFixed(0)} ms (limit FUZZ_CASE_MS=${fuzzSettings.caseMs})`);
      }
    },
  };
}

function parameters(options: FuzzOptions): fc.Parameters<unknown> {
  const runs = fuzzSettings.runs ?? options.runs ?? 100;
  const base = { numRuns: runs, seed: fuzzSettings.seed, verbose: 1 as const };
  return fuzzSettings.path === undefined ? base : { ...base, path: fuzzSettings.path };
}

function callerFile(): string {
  const line = (new Error().stack ?? "").split("\n").find((l) => l.includes(".fuzz.test."));
  const match = line?.match(/(?:file:\/\/)?(\/[^:)]+\.fuzz\.test\.ts)/);
  return match?.[1] ?? "<the fuzz file>";
}

function failureNote(name: string, file: string, error: unknown): Error {
  const message =
    `fuzz target ${JSON.stringify(name)} failed (FUZZ_SEED=${fuzzSettings.seed}; ` +
    `replay with FUZZ_SEED=${fuzzSettings.seed} FUZZ_PATH=<path below> node --import tsx --test ${file})\n` +
    (error instanceof Error ? error.message : String(error)) +
    (error instanceof Error && error.cause instanceof Error ? `\nCause: ${error.cause.message}` : "");
  return new Error(message, { cause: error });
}

/** Runs one case's body, then the time limit and the typed-error rule. */
function judged<T>(timer: ReturnType<typeof caseTimer>, typedErrorsPass: boolean, body: (input: T) => void) {
  return (input: T): void => {
    timer.begin();
    let thrown: unknown = NOTHING_THROWN;
    try {
      body(input);
    } catch (error) {
      thrown = error;
    }
    timer.end();
    if (thrown !== NOTHING_THROWN) judge(thrown, typedErrorsPass);
  };
}

/** Registers a node:test test running `check` (fc.assert of the property) under a watchdog. */
function target(
  name: string,
  check: (timer: ReturnType<typeof caseTimer>, typedErrorsPass: boolean) => void | Promise<void>,
  options: FuzzOptions,
): void {
  const file = callerFile();
  const typedErrorsPass = options.typedErrorsPass ?? true;
  test(`fuzz: ${name}`, { timeout: Number.POSITIVE_INFINITY }, async () => {
    const watchdog = startWatchdog(name, file);
    try {
      await check(caseTimer(watchdog.state), typedErrorsPass);
    } catch (error) {
      throw failureNote(name, file, error);
    } finally {
      await watchdog.stop();
    }
  });
}

/** A synchronous fuzz target: `body` gets one generated input per case. */
export function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  body: (input: T) => void,
  options: FuzzOptions = {},
): void {
  target(
    name,
    (timer, typedErrorsPass) =>
      fc.assert(fc.property(arbitrary, judged(timer, typedErrorsPass, body)), parameters(options)),
    options,
  );
}

/** An asynchronous fuzz target (stream readers): `body` returns a promise per case. */
export function fuzzAsync<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  body: (input: T) => Promise<void>,
  options: FuzzOptions = {},
): void {
  target(
    name,
    (timer, typedErrorsPass) =>
      fc.assert(
        fc.asyncProperty(arbitrary, async (input) => {
          timer.begin();
          let thrown: unknown = NOTHING_THROWN;
          try {
            await body(input);
          } catch (error) {
            thrown = error;
          }
          timer.end();
          if (thrown !== NOTHING_THROWN) judge(thrown, typedErrorsPass);
        }),
        parameters(options),
      ),
    options,
  );
}

/**
 * Memory bounded by input size, checked on what a parser returns: `produced` (cells, elements,
 * bytes) may be at most `factor` times the input's size plus `slack`. A reader that invents rows
 * from a footer or a header's claim fails this.
 */
export function assertBounded(
  what: string,
  produced: number,
  inputSize: number,
  factor = 1,
  slack = 16,
): void {
  assert.ok(
    produced <= factor * inputSize + slack,
    `${what}: ${produced} produced from an input of ${inputSize} (bound ${factor} x input + ${slack})`,
  );
}

/** Bytes of arbitrary content, biased towards the given alphabet (delimiters, quotes, newlines). */
export function bytesFrom(alphabet: string, maxLength = 200): fc.Arbitrary<Uint8Array> {
  const special = fc.constantFrom(...Array.from(new TextEncoder().encode(alphabet)));
  const byte = fc.oneof(
    { weight: 4, arbitrary: special },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
  );
  return fc.array(byte, { maxLength }).map((values) => Uint8Array.from(values));
}

/** `bytes` as an async stream cut after each of `cuts` bytes (the rest in one last piece). */
export async function* inChunks(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of cuts) {
    const end = Math.min(bytes.length, at + cut);
    yield bytes.subarray(at, end);
    at = end;
  }
  yield bytes.subarray(at);
}

/** What a read gave: its value, or the error it threw. */
export async function outcome<T>(read: () => T | Promise<T>): Promise<T | Error> {
  try {
    return await read();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Checks that a whole read and a streamed read of the same input agree: both fail with the same
 * message (less the `op: ` prefix, which names the function), or both succeed. Rethrows the
 * whole read's error for the harness to judge; returns both tables when they succeeded.
 */
export function sameOutcome<T>(whole: T | Error, streamed: T | Error): [T, T] {
  if (whole instanceof Error || streamed instanceof Error) {
    assert.equal(streamed instanceof Error, whole instanceof Error, "one read failed, the other did not");
    const withoutOp = (e: T | Error) => (e as Error).message.replace(/^\w+: /, "");
    assert.equal(withoutOp(streamed), withoutOp(whole));
    throw whole;
  }
  return [whole, streamed];
}

/** All the tables of a stream, stacked (an empty table when it yields none). */
export async function stacked(stream: AsyncIterable<Table>): Promise<Table> {
  const tables: Table[] = [];
  for await (const table of stream) tables.push(table);
  return tables.length === 0 ? Table.fromRecords([]) : Table.concat(tables);
}

/**
 * A reader's whole read and its streamed read (stacked) agree: the same failure, rethrown for the
 * harness to judge (sameOutcome), or the same records.
 */
export async function assertStreamedAsWhole(
  whole: () => Table | Promise<Table>,
  streamed: () => AsyncIterable<Table>,
): Promise<void> {
  const wholeOutcome = await outcome(whole);
  const streamedOutcome = await outcome(() => stacked(streamed()));
  const [a, b] = sameOutcome(wholeOutcome, streamedOutcome);
  if (a.numRows > 0) assert.deepEqual(b.toRecords(), a.toRecords());
}
