// optim/learning-rate: what an optimizer accepts as its learning rate (a number, a schedule built
// by optim/schedules, or any function of the step) and how it is validated and serialized.

import { ConfigError, ValueError } from "../core/errors.js";

/** A serialized object: its class name and its constructor options. */
export interface SerializedConfig {
  className: string;
  config: Record<string, unknown>;
}

/** A learning rate that depends on the optimizer step (0 for the first update). */
export interface LearningRateSchedule {
  (step: number): number;
  getConfig(): SerializedConfig;
}

/** A constant, a schedule from optim/schedules, or a plain function of the step (not serializable). */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

/**
 * Wraps a function of the step as a schedule that can be serialized under `className`.
 * @example
 * const halve = learningRateSchedule((step) => 0.1 / 2 ** Math.floor(step / 100), "Halving", {});
 */
export function learningRateSchedule(
  fn: (step: number) => number,
  className: string,
  config: Record<string, unknown>,
): LearningRateSchedule {
  const frozen = { ...config };
  const schedule = (step: number): number => fn(step);
  return Object.assign(schedule, {
    getConfig: (): SerializedConfig => ({ className, config: { ...frozen } }),
  });
}

/** Throws `owner: Invalid learning rate: v` unless v is a finite number >= 0 or a function. */
export function validateLearningRate(owner: string, value: unknown): LearningRate {
  if (typeof value === "function") return value as LearningRate;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValueError(
      `${owner}: Invalid learning rate: ${String(value)} (expected a finite number >= 0 or a schedule)`,
    );
  }
  return value;
}

/** The learning rate at `step`. */
export function evaluateLearningRate(lr: LearningRate, step: number): number {
  return typeof lr === "number" ? lr : lr(step);
}

/** A number, or the schedule's serialized form; a plain function cannot be serialized. */
export function serializeLearningRate(owner: string, lr: LearningRate): number | SerializedConfig {
  if (typeof lr === "number") return lr;
  const withConfig = lr as Partial<LearningRateSchedule>;
  if (typeof withConfig.getConfig !== "function") {
    throw new ConfigError(
      `${owner}: the learning rate is a plain function and cannot be serialized; build it with learningRateSchedule(fn, className, config)`,
    );
  }
  return withConfig.getConfig();
}
