// train/callbacks/reduce-lr-on-plateau: multiplies the optimizer's learning rate by `factor` when a
// monitored quantity has not improved for `patience` epochs, then waits `cooldown` epochs.
import { ConfigError, ValueError } from "../../core/errors.js";
import { defaultWriter, type ProgressWriter } from "../progbar.js";
import { Callback, type CallbackModel, type CallbackOptimizer, type Logs } from "./callback.js";
import { checkMode, type MonitorMode, resolveMode } from "./monitor.js";

export interface ReduceLROnPlateauOptions {
  /** Logged quantity to watch (default "val_loss"). */
  monitor?: string;
  /** New rate = rate * factor; must be < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1 prints a line at each reduction (default 0). */
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Improvements smaller than this do not count (default 1e-4). */
  minDelta?: number;
  /** Epochs after a reduction during which nothing is counted (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
  writer?: ProgressWriter;
}

/** The optimizer of a compiled model, or an error naming the callback. */
export function requireOptimizer(op: string, optimizer: CallbackOptimizer | null): CallbackOptimizer {
  if (optimizer === null) throw new ValueError(`${op}: the model has no optimizer (call compile first)`);
  return optimizer;
}

/**
 * Lowers the learning rate on a plateau.
 * @example
 * callbacks: [reduceLROnPlateau({ monitor: "val_loss", factor: 0.2, patience: 5, minLr: 1e-4 })]
 */
export class ReduceLROnPlateau extends Callback<CallbackModel> {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = Number.POSITIVE_INFINITY;
  private direction: "min" | "max" | null = null;
  private readonly writer: ProgressWriter | undefined;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const op = "reduceLROnPlateau";
    this.monitor = options.monitor ?? "val_loss";
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) {
      throw new ConfigError(`${op}: factor must be in [0, 1) (got ${options.factor})`);
    }
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    for (const [name, value] of [
      ["patience", this.patience],
      ["cooldown", this.cooldown],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new ConfigError(`${op}: ${name} must be an integer >= 0 (got ${value})`);
      }
    }
    this.verbose = options.verbose ?? 0;
    this.mode = checkMode(op, options.mode ?? "auto");
    this.minDelta = options.minDelta ?? 1e-4;
    this.minLr = options.minLr ?? 0;
    if (!(this.minLr >= 0)) throw new ConfigError(`${op}: minLr must be >= 0 (got ${options.minLr})`);
    this.writer = options.writer;
  }

  override onTrainBegin(_logs: Logs): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.direction = null;
  }

  private improves(value: number): boolean {
    return this.direction === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = requireOptimizer("reduceLROnPlateau", this.model.optimizer);
    logs.learning_rate = optimizer.learningRate;
    if (this.direction === null) {
      this.direction = resolveMode("reduceLROnPlateau", this.monitor, this.mode, this.model);
      this.best = this.direction === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    const current = logs[this.monitor];
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const oldLr = optimizer.learningRate;
    if (oldLr > Math.fround(this.minLr)) {
      const newLr = Math.max(oldLr * this.factor, this.minLr);
      optimizer.setLearningRate(newLr);
      if (this.verbose > 0) {
        (this.writer ?? defaultWriter()).write(
          `\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.\n`,
        );
      }
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}

/** A ReduceLROnPlateau callback (Keras defaults: factor 0.1, patience 10, minDelta 1e-4). */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(options);
}
