// train/callbacks/learning-rate-scheduler: sets the learning rate at the start of every epoch to
// `schedule(epoch, currentRate)` and logs the rate used as "learning_rate".
import { ValueError } from "../../core/errors.js";
import { defaultWriter, type ProgressWriter } from "../progbar.js";
import { Callback, type CallbackModel, type Logs } from "./callback.js";
import { requireOptimizer } from "./reduce-lr-on-plateau.js";

/** The new rate for a 0-based epoch, given the current one. */
export type Schedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerOptions {
  /** 1 prints the rate set at each epoch (default 0). */
  verbose?: 0 | 1;
  writer?: ProgressWriter;
}

/**
 * Per-epoch learning rates from a function.
 * @example
 * learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends Callback<CallbackModel> {
  readonly schedule: Schedule;
  private readonly verbose: 0 | 1;
  private readonly writer: ProgressWriter | undefined;

  constructor(schedule: Schedule, options: LearningRateSchedulerOptions = {}) {
    super();
    this.schedule = schedule;
    this.verbose = options.verbose ?? 0;
    this.writer = options.writer;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    const optimizer = requireOptimizer("learningRateScheduler", this.model.optimizer);
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) {
      throw new ValueError(
        `learningRateScheduler: the schedule must return a finite number >= 0 (got ${String(rate)} at epoch ${epoch})`,
      );
    }
    optimizer.setLearningRate(rate);
    if (this.verbose > 0) {
      (this.writer ?? defaultWriter()).write(
        `\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${rate}.\n`,
      );
    }
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = requireOptimizer("learningRateScheduler", this.model.optimizer).learningRate;
  }
}

/** A LearningRateScheduler callback. */
export function learningRateScheduler(
  schedule: Schedule,
  options: LearningRateSchedulerOptions = {},
): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options);
}
