// ml/params: argument checks shared by the estimators' constructors. Messages name the estimator
// and the option, e.g. `KMeans: nClusters must be an integer >= 1 (got 0)`.
import { ValueError } from "../core/errors.js";
import { Generator, getGenerator } from "../core/random.js";

/** An integer option >= min. */
export function intOption(
  op: string,
  name: string,
  value: number | undefined,
  fallback: number,
  min = 1,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} (got ${v})`);
  return v;
}

/** A finite number option > 0 (or >= 0 with allowZero). */
export function positiveOption(
  op: string,
  name: string,
  value: number | undefined,
  fallback: number,
  allowZero = false,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ValueError(`${op}: ${name} must be a finite number ${allowZero ? ">= 0" : "> 0"} (got ${v})`);
  }
  return v;
}

/** A number option in [low, high]. */
export function rangeOption(
  op: string,
  name: string,
  value: number | undefined,
  fallback: number,
  low: number,
  high: number,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < low || v > high)
    throw new ValueError(`${op}: ${name} must be in [${low}, ${high}] (got ${v})`);
  return v;
}

/** One of a fixed set of strings. */
export function choiceOption<T extends string>(
  op: string,
  name: string,
  value: T | undefined,
  fallback: T,
  allowed: readonly T[],
): T {
  const v = value ?? fallback;
  if (!allowed.includes(v))
    throw new ValueError(
      `${op}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")} (got ${JSON.stringify(v)})`,
    );
  return v;
}

/** The generator an estimator draws from: its own seed, or a fork of the global generator. */
export function generatorFor(seed: number | undefined): Generator {
  return seed !== undefined ? new Generator(seed) : getGenerator().fork();
}
