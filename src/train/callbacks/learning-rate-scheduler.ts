// train/callbacks/learning-rate-scheduler: sets the learning rate at the start of every epoch to
// `schedule(epoch, currentRate)` and logs the rate used as "learning_rate".

import { describe } from "../../core/config.js";
import { ConfigError, ValueError } from "../../core/errors.js";
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

/** The object form (as tfjs-style code writes it): the schedule beside the options. */
export interface LearningRateSchedulerConfig extends LearningRateSchedulerOptions {
  schedule: Schedule;
}

/** The schedule and options of either call form; anything else is refused here, not during fit. */
function scheduleOf(
  spec: Schedule | LearningRateSchedulerConfig,
  options: LearningRateSchedulerOptions,
): { schedule: Schedule; options: LearningRateSchedulerOptions } {
  if (typeof spec === "function") return { schedule: spec, options };
  if (typeof spec === "object" && spec !== null && typeof spec.schedule === "function") {
    const { schedule, ...rest } = spec;
    return { schedule, options: { ...rest, ...options } };
  }
  throw new ConfigError(
    `learningRateScheduler: expected a schedule function (epoch, learningRate) => rate or { schedule } (got ${describe(spec)})`,
  );
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

  constructor(schedule: Schedule | LearningRateSchedulerConfig, options: LearningRateSchedulerOptions = {}) {
    super();
    const resolved = scheduleOf(schedule, options);
    this.schedule = resolved.schedule;
    this.verbose = resolved.options.verbose ?? 0;
    this.writer = resolved.options.writer;
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

/**
 * A LearningRateScheduler callback: `learningRateScheduler(fn, options)` or
 * `learningRateScheduler({ schedule: fn, verbose })`.
 */
export function learningRateScheduler(
  schedule: Schedule | LearningRateSchedulerConfig,
  options: LearningRateSchedulerOptions = {},
): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options);
}
