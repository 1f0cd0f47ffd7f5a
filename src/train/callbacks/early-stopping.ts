// train/callbacks/early-stopping: stops fit when a monitored quantity has not improved for
// `patience` epochs, optionally restoring the weights of the best epoch (Keras 3 semantics).
import { ConfigError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { ProgressWriter } from "../progbar.js";
import { defaultWriter } from "../progbar.js";
import { Callback, type CallbackModel, type Logs } from "./callback.js";
import { checkMode, type MonitorMode, resolveMode } from "./monitor.js";
import { restoreWeights, snapshotWeights } from "./weights-snapshot.js";

export interface EarlyStoppingOptions {
  /** Logged quantity to watch (default "val_loss"). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1 prints "Epoch N: early stopping" and the restore message (default 0). */
  verbose?: 0 | 1;
  /** "min", "max", or "auto" (from the metric; default). */
  mode?: MonitorMode;
  /** Training stops unless the quantity beats this value within `patience` epochs. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring at all (default 0). */
  startFromEpoch?: number;
  writer?: ProgressWriter;
}

function nonNegativeInteger(op: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${op}: ${name} must be an integer >= 0 (got ${value})`);
  }
  return value;
}

/**
 * Stops training when `monitor` stops improving.
 * @example
 * model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [earlyStopping({ patience: 5, restoreBestWeights: true })] });
 */
export class EarlyStopping extends Callback<CallbackModel> {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The (0-based) epoch at which training was stopped, 0 when it was not. */
  stoppedEpoch = 0;
  /** The (0-based) epoch with the best monitored value. */
  bestEpoch = 0;
  best = Number.POSITIVE_INFINITY;
  private direction: "min" | "max" | null = null;
  private bestWeights: Tensor[] | null = null;
  private warnedMissing = false;
  private readonly writer: ProgressWriter | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const op = "earlyStopping";
    this.monitor = options.monitor ?? "val_loss";
    this.minDelta = Math.abs(options.minDelta ?? 0);
    if (!Number.isFinite(this.minDelta))
      throw new ConfigError(`${op}: minDelta must be finite (got ${options.minDelta})`);
    this.patience = nonNegativeInteger(op, "patience", options.patience ?? 0);
    this.verbose = options.verbose ?? 0;
    this.mode = checkMode(op, options.mode ?? "auto");
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = nonNegativeInteger(op, "startFromEpoch", options.startFromEpoch ?? 0);
    this.writer = options.writer;
  }

  override onTrainBegin(_logs: Logs): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.direction = null;
    this.warnedMissing = false;
  }

  /** Whether `value` beats `reference` by more than minDelta in the monitored direction. */
  private isImprovement(value: number, reference: number): boolean {
    return this.direction === "min" ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.direction === null) {
      this.direction = resolveMode("earlyStopping", this.monitor, this.mode, this.model);
      this.best = this.direction === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warnedMissing) {
        const available = Object.keys(logs).join(", ");
        this.write(`earlyStopping: "${this.monitor}" is not in the logs (available: ${available})\n`, true);
      }
      this.warnedMissing = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the first monitored epoch's weights are the best we have.
      this.bestWeights = snapshotWeights(this.model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = snapshotWeights(this.model);
      // The wait restarts only when the baseline is beaten too.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(_logs: Logs): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0)
      this.write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) {
        this.write(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.\n`);
      }
      restoreWeights(this.model, this.bestWeights);
    }
  }

  private write(text: string, always = false): void {
    if (always || this.verbose > 0) (this.writer ?? defaultWriter()).write(text);
  }
}

/** An EarlyStopping callback (Keras defaults: monitor "val_loss", patience 0, minDelta 0). */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
