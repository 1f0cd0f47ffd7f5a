// optim/schedules: learning-rate schedules with Keras 3's formulas and argument names (camelCase,
// snake_case accepted). Each returns a function of the step (0 for the first update) that also
// carries getConfig(), so an optimizer holding it can be serialized and rebuilt.

import { ConfigError, ValueError } from "../core/errors.js";
import { Registry } from "../core/registry.js";
import { type LearningRateSchedule, learningRateSchedule, type SerializedConfig } from "./learning-rate.js";
import {
  booleanOption,
  describe,
  nullableNumberOption,
  numberOption,
  type OptionAliases,
  readOptions,
  stringOption,
} from "./options.js";

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of decaySteps. */
  staircase?: boolean;
  name?: string;
}

export interface PiecewiseConstantDecayOptions {
  /** Increasing steps where the value changes. */
  boundaries: readonly number[];
  /** One more value than boundaries: values[0] up to boundaries[0], then the next ones. */
  values: readonly number[];
  name?: string;
}

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  /** Restart the decay every decaySteps (with a decay length that grows). */
  cycle?: boolean;
  name?: string;
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Minimum as a fraction of the initial (or warmup target) rate. */
  alpha?: number;
  /** Rate reached by a linear warmup from initialLearningRate; null for no warmup. */
  warmupTarget?: number | null;
  warmupSteps?: number;
  name?: string;
}

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  firstDecaySteps: number;
  /** Each period is tMul times longer than the previous one. */
  tMul?: number;
  /** Each restart starts at mMul times the previous initial rate. */
  mMul?: number;
  alpha?: number;
  name?: string;
}

const COMMON: OptionAliases = {
  initialLearningRate: ["initial_learning_rate"],
  decaySteps: ["decay_steps"],
  name: [],
};

function required(owner: string, options: Map<string, unknown>, name: string): number {
  if (!options.has(name)) throw new ConfigError(`${owner}: ${name} is required`);
  return numberOption(owner, options, name, 0);
}

function positive(owner: string, name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: ${name} must be a finite number > 0 (got ${value})`);
  }
  return value;
}

function nonNegative(owner: string, name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: ${name} must be a finite number >= 0 (got ${value})`);
  }
  return value;
}

/**
 * initialLearningRate * decayRate ^ (step / decaySteps), the exponent floored when staircase.
 * @example
 * exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })(1000); // 0.096
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const owner = "exponentialDecay";
  const o = readOptions(owner, options, { ...COMMON, decayRate: ["decay_rate"], staircase: [] });
  const initial = nonNegative(owner, "initialLearningRate", required(owner, o, "initialLearningRate"));
  const decaySteps = positive(owner, "decaySteps", required(owner, o, "decaySteps"));
  const decayRate = nonNegative(owner, "decayRate", required(owner, o, "decayRate"));
  const staircase = booleanOption(owner, o, "staircase", false);
  const name = stringOption(owner, o, "name", "ExponentialDecay");
  return learningRateSchedule(
    (step) => {
      const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
      return initial * decayRate ** p;
    },
    "ExponentialDecay",
    { initialLearningRate: initial, decaySteps, decayRate, staircase, name },
  );
}

/**
 * values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i],
 * and the last value after the last boundary.
 */
export function piecewiseConstantDecay(options: PiecewiseConstantDecayOptions): LearningRateSchedule {
  const owner = "piecewiseConstantDecay";
  const o = readOptions(owner, options, { boundaries: [], values: [], name: [] });
  const boundaries = numberList(owner, o, "boundaries");
  const values = numberList(owner, o, "values");
  if (values.length !== boundaries.length + 1) {
    throw new ValueError(
      `${owner}: values must have one more entry than boundaries (got ${boundaries.length} boundaries and ${values.length} values)`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i]! > boundaries[i - 1]!)) {
      throw new ValueError(`${owner}: boundaries must be increasing (got [${boundaries.join(", ")}])`);
    }
  }
  const name = stringOption(owner, o, "name", "PiecewiseConstant");
  return learningRateSchedule(
    (step) => {
      for (let i = 0; i < boundaries.length; i++) if (step <= boundaries[i]!) return values[i]!;
      return values[values.length - 1]!;
    },
    "PiecewiseConstantDecay",
    { boundaries: [...boundaries], values: [...values], name },
  );
}

function numberList(owner: string, o: Map<string, unknown>, name: string): number[] {
  const value = o.get(name);
  if (value === undefined) throw new ConfigError(`${owner}: ${name} is required`);
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    throw new ValueError(`${owner}: ${name} must be an array of finite numbers (got ${describe(value)})`);
  }
  return value as number[];
}

/**
 * (initial - end) * (1 - step / decaySteps) ^ power + end, with step capped at decaySteps, or, when
 * cycling, decaySteps stretched to the next multiple above step.
 */
export function polynomialDecay(options: PolynomialDecayOptions): LearningRateSchedule {
  const owner = "polynomialDecay";
  const o = readOptions(owner, options, {
    ...COMMON,
    endLearningRate: ["end_learning_rate"],
    power: [],
    cycle: [],
  });
  const initial = nonNegative(owner, "initialLearningRate", required(owner, o, "initialLearningRate"));
  const decaySteps = positive(owner, "decaySteps", required(owner, o, "decaySteps"));
  const end = nonNegative(owner, "endLearningRate", numberOption(owner, o, "endLearningRate", 0.0001));
  const power = numberOption(owner, o, "power", 1);
  const cycle = booleanOption(owner, o, "cycle", false);
  const name = stringOption(owner, o, "name", "PolynomialDecay");
  return learningRateSchedule(
    (step) => {
      let s = step;
      let steps = decaySteps;
      if (cycle) steps = decaySteps * (s === 0 ? 1 : Math.ceil(s / decaySteps));
      else s = Math.min(s, decaySteps);
      return (initial - end) * (1 - s / steps) ** power + end;
    },
    "PolynomialDecay",
    { initialLearningRate: initial, decaySteps, endLearningRate: end, power, cycle, name },
  );
}

/** initial / (1 + decayRate * step / decaySteps), the ratio floored when staircase. */
export function inverseTimeDecay(options: InverseTimeDecayOptions): LearningRateSchedule {
  const owner = "inverseTimeDecay";
  const o = readOptions(owner, options, { ...COMMON, decayRate: ["decay_rate"], staircase: [] });
  const initial = nonNegative(owner, "initialLearningRate", required(owner, o, "initialLearningRate"));
  const decaySteps = positive(owner, "decaySteps", required(owner, o, "decaySteps"));
  const decayRate = nonNegative(owner, "decayRate", required(owner, o, "decayRate"));
  const staircase = booleanOption(owner, o, "staircase", false);
  const name = stringOption(owner, o, "name", "InverseTimeDecay");
  return learningRateSchedule(
    (step) => {
      const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
      return initial / (1 + decayRate * p);
    },
    "InverseTimeDecay",
    { initialLearningRate: initial, decaySteps, decayRate, staircase, name },
  );
}

/** rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, steps) / steps)) + alpha) */
function cosineFraction(t: number, steps: number, alpha: number): number {
  const fraction = Math.min(t, steps) / steps;
  return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
}

/**
 * Cosine decay from initialLearningRate (or, with warmupTarget, a linear warmup over warmupSteps
 * to warmupTarget first, then the decay from there) down to alpha times the start rate.
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const owner = "cosineDecay";
  const o = readOptions(owner, options, {
    ...COMMON,
    alpha: [],
    warmupTarget: ["warmup_target"],
    warmupSteps: ["warmup_steps"],
  });
  const initial = nonNegative(owner, "initialLearningRate", required(owner, o, "initialLearningRate"));
  const decaySteps = positive(owner, "decaySteps", required(owner, o, "decaySteps"));
  const alpha = nonNegative(owner, "alpha", numberOption(owner, o, "alpha", 0));
  const warmupTarget = nullableNumberOption(owner, o, "warmupTarget", null);
  const warmupSteps = nonNegative(owner, "warmupSteps", numberOption(owner, o, "warmupSteps", 0));
  if (warmupTarget !== null) nonNegative(owner, "warmupTarget", warmupTarget);
  const name = stringOption(owner, o, "name", "CosineDecay");
  return learningRateSchedule(
    (step) => {
      if (warmupTarget === null) return initial * cosineFraction(step, decaySteps, alpha);
      if (step < warmupSteps) return initial + (warmupTarget - initial) * (step / warmupSteps);
      return warmupTarget * cosineFraction(step - warmupSteps, decaySteps, alpha);
    },
    "CosineDecay",
    { initialLearningRate: initial, decaySteps, alpha, warmupTarget, warmupSteps, name },
  );
}

/**
 * SGDR: cosine decay over firstDecaySteps, then restarts with periods tMul times longer and
 * starting rates mMul times lower (Loshchilov & Hutter, 2017).
 */
export function cosineDecayRestarts(options: CosineDecayRestartsOptions): LearningRateSchedule {
  const owner = "cosineDecayRestarts";
  const o = readOptions(owner, options, {
    initialLearningRate: ["initial_learning_rate"],
    firstDecaySteps: ["first_decay_steps"],
    tMul: ["t_mul"],
    mMul: ["m_mul"],
    alpha: [],
    name: [],
  });
  const initial = nonNegative(owner, "initialLearningRate", required(owner, o, "initialLearningRate"));
  const firstDecaySteps = positive(owner, "firstDecaySteps", required(owner, o, "firstDecaySteps"));
  const tMul = positive(owner, "tMul", numberOption(owner, o, "tMul", 2));
  const mMul = nonNegative(owner, "mMul", numberOption(owner, o, "mMul", 1));
  const alpha = nonNegative(owner, "alpha", numberOption(owner, o, "alpha", 0));
  const name = stringOption(owner, o, "name", "SGDRDecay");
  return learningRateSchedule(
    (step) => {
      const { restart, fraction } = locateRestart(step / firstDecaySteps, tMul);
      const cosine = 0.5 * mMul ** restart * (1 + Math.cos(Math.PI * fraction));
      return initial * ((1 - alpha) * cosine + alpha);
    },
    "CosineDecayRestarts",
    { initialLearningRate: initial, firstDecaySteps, tMul, mMul, alpha, name },
  );
}

// Which period a position (in units of the first period) falls in, and how far into it. Walking the
// periods avoids the rounding of Keras's closed form log(1 - x (1 - tMul)) / log(tMul) at the exact
// start of a period; periods that shrink (tMul < 1) use the closed form, which ends in NaN past
// their finite total like Keras.
function locateRestart(position: number, tMul: number): { restart: number; fraction: number } {
  if (tMul === 1) {
    const restart = Math.floor(position);
    return { restart, fraction: position - restart };
  }
  if (tMul > 1) {
    let start = 0;
    let length = 1;
    let restart = 0;
    while (position >= start + length) {
      start += length;
      length *= tMul;
      restart += 1;
    }
    return { restart, fraction: (position - start) / length };
  }
  const restart = Math.floor(Math.log(1 - position * (1 - tMul)) / Math.log(tMul));
  const start = (1 - tMul ** restart) / (1 - tMul);
  return { restart, fraction: (position - start) / tMul ** restart };
}

/** The schedules by Keras class name (case and underscores ignored). */
const SCHEDULES = new Registry<(config: never) => LearningRateSchedule>({ kind: "schedule" });
SCHEDULES.register("ExponentialDecay", exponentialDecay);
SCHEDULES.register("PiecewiseConstantDecay", piecewiseConstantDecay);
SCHEDULES.register("PolynomialDecay", polynomialDecay);
SCHEDULES.register("InverseTimeDecay", inverseTimeDecay);
SCHEDULES.register("CosineDecay", cosineDecay);
SCHEDULES.register("CosineDecayRestarts", cosineDecayRestarts);

/** Rebuilds a schedule from its getConfig() (Keras class names, snake_case config keys accepted). */
export function deserializeSchedule(serialized: SerializedConfig): LearningRateSchedule {
  if (typeof serialized !== "object" || serialized === null || typeof serialized.className !== "string") {
    throw new ConfigError(
      `deserializeSchedule: expected { className, config } (got ${describe(serialized)})`,
    );
  }
  const factory = SCHEDULES.require("deserializeSchedule", serialized.className).value;
  return factory((serialized.config ?? {}) as never);
}
