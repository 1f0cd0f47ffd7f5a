// nn/config: the JSON shape of layer, initializer, regularizer and constraint configs, and the
// small validators every constructor runs on its options. Options may come from a file (fromConfig),
// so each one is checked as `unknown` here rather than trusted because of its static type.
import { describe, isPlainObject } from "../core/config.js";
import { ConfigError } from "../core/errors.js";

// one describe and one name normaliser for the whole library (core/config); re-exported for nn/'s
// files and the public nn namespace
export { describe, isPlainObject, normalizeName } from "../core/config.js";

/** A JSON value as it appears in a config. */
export type ConfigValue = null | boolean | number | string | readonly ConfigValue[] | ConfigObject;
/** A JSON object as it appears in a config. */
export interface ConfigObject {
  readonly [key: string]: ConfigValue;
}

/** How a configurable object is written to JSON: a registered class name and its config. */
// a type alias (not an interface) so that it is assignable to ConfigObject's index signature
export type Serialized = {
  readonly className: string;
  readonly config: ConfigObject;
};

/** An initializer, regularizer or constraint's config, or null when there is none. */
export function serializeOrNull(x: { serialize(): ConfigValue } | null): ConfigValue {
  return x === null ? null : x.serialize();
}

/** Checks that a value is a {className, config} pair with a string name and an object config. */
export function isSerialized(value: unknown): value is Serialized {
  return isPlainObject(value) && typeof value.className === "string" && isPlainObject(value.config);
}

/** Checks that a value is JSON data (no functions, no NaN, no class instances), for configs. */
export function checkConfigValue(where: string, value: unknown, depth = 0): ConfigValue {
  if (depth > 64) throw new ConfigError(`${where}: config is nested too deeply`);
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ConfigError(`${where}: expected a finite number (got ${value})`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => checkConfigValue(`${where}[${i}]`, v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, ConfigValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = checkConfigValue(`${where}.${k}`, v, depth + 1);
    return out;
  }
  throw new ConfigError(`${where}: expected JSON data (got ${typeof value})`);
}

/** Checks that a config is a plain object of JSON data. */
export function checkConfigObject(where: string, value: unknown): ConfigObject {
  if (!isPlainObject(value))
    throw new ConfigError(`${where}: expected a config object (got ${describe(value)})`);
  return checkConfigValue(where, value) as ConfigObject;
}

// The validators below throw ConfigError `Dense: units must be a positive integer (got -1)`.

export function positiveInt(op: string, key: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${op}: ${key} must be a positive integer (got ${describe(value)})`);
  }
  return value;
}

export function integer(op: string, key: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new ConfigError(`${op}: ${key} must be an integer (got ${describe(value)})`);
  }
  return value;
}

export function finiteNumber(op: string, key: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(`${op}: ${key} must be a finite number (got ${describe(value)})`);
  }
  return value;
}

/** A number in [min, max) (or [min, max] when `inclusiveMax`). */
export function numberInRange(
  op: string,
  key: string,
  value: unknown,
  min: number,
  max: number,
  inclusiveMax = false,
): number {
  const v = finiteNumber(op, key, value);
  if (v < min || v > max || (!inclusiveMax && v === max)) {
    throw new ConfigError(`${op}: ${key} must be in [${min}, ${max}${inclusiveMax ? "]" : ")"} (got ${v})`);
  }
  return v;
}

export function boolean(op: string, key: string, value: unknown): boolean {
  if (typeof value !== "boolean")
    throw new ConfigError(`${op}: ${key} must be true or false (got ${describe(value)})`);
  return value;
}

export function string(op: string, key: string, value: unknown): string {
  if (typeof value !== "string")
    throw new ConfigError(`${op}: ${key} must be a string (got ${describe(value)})`);
  return value;
}

export function optional<T>(value: unknown, fallback: T, check: (v: unknown) => T): T {
  return value === undefined ? fallback : check(value);
}

/** A list of integers (an axis list, a target shape, a permutation). */
export function intList(op: string, key: string, value: unknown, min = Number.NEGATIVE_INFINITY): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((d) => typeof d === "number" && Number.isInteger(d) && d >= min)
  ) {
    throw new ConfigError(
      `${op}: ${key} must be a list of integers${min > -Infinity ? ` >= ${min}` : ""} (got ${describe(value)})`,
    );
  }
  return value as number[];
}

/** A shape without its batch axis: positive integers, or null for a size known only at run time. */
export function shapeList(op: string, key: string, value: unknown): (number | null)[] {
  if (
    !Array.isArray(value) ||
    !value.every((d) => d === null || (typeof d === "number" && Number.isInteger(d) && d >= 0))
  ) {
    throw new ConfigError(
      `${op}: ${key} must be a list of non-negative integers or null (got ${describe(value)})`,
    );
  }
  return value as (number | null)[];
}

/** The value if it is one of `choices`. */
export function oneOf<T extends string>(op: string, key: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${op}: ${key} must be one of ${choices.map((c) => `"${c}"`).join(", ")} (got ${describe(value)})`,
    );
  }
  return value as T;
}
