// cli/output: how the commands write. Results go to stdout; progress, the backend line and
// diagnostics go to stderr, so `tessera train spec.json > result.txt` (or `--json | jq`) captures
// results only. Colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
import { describeBackend, getBackend } from "../backend/registry.js";
import { envVariable } from "../core/env.js";
import type { ProgressWriter } from "../train/progbar.js";
import type { Io } from "./args.js";

// Control Sequence Introducer sequences: colours (SGR, "\x1b[1m") and cursor or erase commands.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The text without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Whether stderr may carry colour: a terminal, and NO_COLOR unset or empty. */
export function colorAllowed(io: Io): boolean {
  return io.errIsTTY === true && !(io.noColor ?? envVariable("NO_COLOR") !== undefined);
}

/**
 * The progress writer of fit/evaluate for a command: stderr, redrawn in place on a terminal,
 * with the bar's colours removed when colour is not allowed.
 */
export function progressWriter(io: Io): ProgressWriter {
  const color = colorAllowed(io);
  return {
    isTTY: io.errIsTTY === true,
    write: (text: string) => io.err(color ? text : stripAnsi(text)),
  };
}

/**
 * The backend fields of every --json result: "backend" is the name model metadata records
 * ("native", "wasm", "reference"); "backendDetail" says more ("native (avx512, 2 threads)").
 */
export function backendFields(): { backend: string; backendDetail: string } {
  return { backend: getBackend(), backendDetail: describeBackend() };
}

/** The first stderr line of a command that computes: "tessera: backend native (avx512, 2 threads)". */
export function writeBackendLine(io: Io): void {
  io.err(`tessera: backend ${describeBackend()}\n`);
}

/** A `--json` result: one document on stdout, 2-space indented, with a final newline. */
export function writeJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
