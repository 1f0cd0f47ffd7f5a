// train/progbar: Keras 3's progress bar and its number formats. A live bar with ETA when the writer
// is a TTY (redrawn in place with "\r"), one final line per epoch otherwise. Output goes through an
// injectable writer so tests (and programs) can capture it. NO_COLOR turns the colours off.
import { envVariable } from "../core/env.js";

/** Where progress text goes. `process.stdout` is one; tests pass an object collecting strings. */
export interface ProgressWriter {
  write(text: string): unknown;
  /** True when the writer is a terminal: the bar is then redrawn in place as batches finish. */
  readonly isTTY?: boolean;
}

/** Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch; "auto" means 1. */
export type Verbosity = 0 | 1 | 2 | "auto";

/** Standard output when there is a `process` (Node), else the console one line at a time. */
export function defaultWriter(): ProgressWriter {
  const stdout = globalThis.process?.stdout;
  if (stdout !== undefined) return stdout;
  let pending = "";
  return {
    write(text: string): void {
      pending += text.replaceAll("\r", "\n");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.length > 0) console.log(line);
    },
  };
}

/** A collecting writer for tests and programs that want the text: `lines()` splits what was written. */
export function memoryWriter(isTTY = false): ProgressWriter & { text: string; lines(): string[] } {
  return {
    isTTY,
    text: "",
    write(chunk: string): void {
      this.text += chunk;
    },
    lines(): string[] {
      return this.text.split("\n").filter((line) => line.length > 0);
    },
  };
}

/** Keras's metric format: four decimals, or scientific notation (Python's `.4e`) for tiny values. */
export function formatMetricValue(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Math.abs(value) > 1e-3) return value.toFixed(4);
  // JS writes 1.0000e-4 where Python writes 1.0000e-04: pad the exponent to two digits.
  return value.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}

/** Keras's time-per-unit format: `2s/step`, `15ms/step` or `830us/step` (seconds in, text out). */
export function formatTimePerUnit(seconds: number, unit = "step"): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/${unit}`;
  return `${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

/** Keras's ETA format: `h:mm:ss` past an hour, `m:ss` past a minute, else whole seconds. */
export function formatEta(seconds: number): string {
  const two = (n: number): string => String(Math.floor(n)).padStart(2, "0");
  if (seconds > 3600)
    return `${Math.floor(seconds / 3600)}:${two((seconds % 3600) / 60)}:${two(seconds % 60)}`;
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${two(seconds % 60)}`;
  return `${Math.floor(seconds)}s`;
}

export interface ProgbarOptions {
  /** Total steps, or null when unknown (the first epoch over a dataset of unknown length). */
  target: number | null;
  /** 1: bar (live on a TTY, final line otherwise); 2: one summary line at the end. */
  verbose: 1 | 2;
  writer: ProgressWriter;
  /** Bar width in characters (Keras 3: 20). */
  width?: number;
  /** Minimum seconds between two redraws of a live bar (Keras: 0.05). */
  interval?: number;
  /** Clock in milliseconds (performance.now by default); injectable for tests. */
  now?: () => number;
}

const BOLD = "\x1b[1m";
const GREEN = "\x1b[32m";
const WHITE = "\x1b[37m";
const RESET = "\x1b[0m";
const BAR_CHAR = "━";

/**
 * One epoch's (or one evaluation's) progress bar.
 * @example
 * const bar = new Progbar({ target: 25, verbose: 1, writer: process.stdout });
 * bar.update(25, [["loss", 0.4982]], true); // 25/25 ━━━━━━━━━━━━━━━━━━━━ 2s 15ms/step - loss: 0.4982
 */
export class Progbar {
  target: number | null;
  private readonly verbose: 1 | 2;
  private readonly writer: ProgressWriter;
  private readonly width: number;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly dynamic: boolean;
  /** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
  private readonly color: boolean;
  private readonly start: number;
  private timeAfterFirstStep: number | null = null;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private previousWidth = 0;
  private values: [string, number][] = [];

  constructor(options: ProgbarOptions) {
    this.target = options.target;
    this.verbose = options.verbose;
    this.writer = options.writer;
    this.width = options.width ?? 20;
    this.interval = options.interval ?? 0.05;
    this.now = options.now ?? (() => performance.now());
    this.dynamic = options.writer.isTTY === true;
    this.color = this.dynamic && envVariable("NO_COLOR") === undefined;
    this.start = this.now();
  }

  /**
   * Records that `current` steps are done with the given (already averaged) values. The line is
   * written when `finalize` is true, and also redrawn live on a TTY at most every `interval` s.
   */
  update(current: number, values: Iterable<readonly [string, number]> = [], finalize?: boolean): void {
    const done = finalize ?? (this.target !== null && current >= this.target);
    const merged = new Map(this.values);
    for (const [k, v] of values) merged.set(k, v);
    this.values = [...merged];
    const nowMs = this.now();
    const perStep = this.estimateStepSeconds(current, nowMs);
    const elapsed = (nowMs - this.start) / 1000;
    if (this.verbose === 1) {
      if (!done && (!this.dynamic || (nowMs - this.lastUpdate) / 1000 < this.interval)) return;
      this.lastUpdate = nowMs;
      this.writeBarLine(current, done, perStep, elapsed);
    } else if (done && this.target !== null && this.target > 0) {
      const count = `${String(current).padStart(digits(this.target))}/${this.target}`;
      this.writer.write(
        `${count} - ${elapsed.toFixed(0)}s - ${formatTimePerUnit(perStep)}${this.metricsText()}\n`,
      );
    }
  }

  private writeBarLine(current: number, done: boolean, perStep: number, elapsed: number): void {
    const color = this.color;
    let plain: string;
    let styled: string;
    const target = this.target;
    if (target !== null && target > 0) {
      const count = `${String(current).padStart(digits(target))}/${target}`;
      const filled = Math.min(this.width, Math.floor((this.width * current) / target));
      const doneBar = BAR_CHAR.repeat(filled);
      const restBar = BAR_CHAR.repeat(this.width - filled);
      plain = `${count} ${doneBar}${restBar}`;
      styled = color
        ? `${BOLD}${count}${RESET} ${filled > 0 ? `${GREEN}${doneBar}${RESET}` : ""}${WHITE}${restBar}${RESET}`
        : plain;
    } else {
      plain = `${String(current).padStart(7)}/Unknown`;
      styled = plain;
    }
    const time =
      target !== null && target > 0 && !done
        ? formatEta(perStep * (target - current))
        : `${elapsed.toFixed(0)}s`;
    const info = ` ${formatTimePerUnit(perStep)}${this.metricsText()}`;
    plain += ` ${time}${info}`;
    styled += ` ${color ? `${BOLD}${time}${RESET}` : time}${info}`;
    let message = this.dynamic ? `\r${styled}` : styled;
    if (this.dynamic && this.previousWidth > plain.length)
      message += " ".repeat(this.previousWidth - plain.length);
    if (done) message += "\n";
    this.previousWidth = plain.length;
    this.writer.write(message);
  }

  private metricsText(): string {
    let text = "";
    for (const [k, v] of this.values) text += ` - ${k}: ${formatMetricValue(v)}`;
    return text;
  }

  /** Seconds per step, leaving out the first step (compilation, warm-up) once there are more. */
  private estimateStepSeconds(current: number, nowMs: number): number {
    if (current <= 0) return 0;
    let perStep: number;
    if (this.timeAfterFirstStep !== null && current > 1) {
      perStep = (nowMs - this.timeAfterFirstStep) / (current - 1);
    } else {
      perStep = (nowMs - this.start) / current;
    }
    if (current === 1) this.timeAfterFirstStep = nowMs;
    return perStep / 1000;
  }
}

function digits(n: number): number {
  return String(Math.max(1, Math.floor(n))).length;
}
