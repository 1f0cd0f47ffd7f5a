// core/options: reading an options object whose keys may be camelCase names or their Keras
// snake_case aliases, rejecting unknown and doubled names, and the typed readers for one option.
// Shared by optimizers, schedules, losses and metrics. Layer: core.

import { describe, expectedOneOf } from "./config.js";
import { ConfigError, ValueError } from "./errors.js";

/** camelCase option name -> its accepted Keras aliases. */
export type OptionAliases = Readonly<Record<string, readonly string[]>>;

/**
 * Returns the options under their camelCase names. Throws on unknown names, on a name given
 * twice (camelCase and alias), and on a non-object argument.
 */
export function readOptions(owner: string, raw: unknown, aliases: OptionAliases): Map<string, unknown> {
  if (raw === undefined || raw === null) return new Map();
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${owner}: expected an options object (got ${describe(raw)})`);
  }
  const canonical = new Map<string, string>();
  for (const [name, list] of Object.entries(aliases)) {
    canonical.set(name, name);
    for (const alias of list) canonical.set(alias, name);
  }
  const out = new Map<string, unknown>();
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = canonical.get(key);
    if (name === undefined) {
      throw new ConfigError(`${owner}: unknown option "${key}" ${expectedOneOf(key, Object.keys(aliases))}`);
    }
    const previous = given.get(name);
    if (previous !== undefined) {
      throw new ConfigError(`${owner}: option "${name}" given twice (as "${previous}" and "${key}")`);
    }
    given.set(name, key);
    if (value !== undefined) out.set(name, value);
  }
  return out;
}

/** Options as readOptions returns them: camelCase name -> the value given. */
type Options = ReadonlyMap<string, unknown>;

/** The option `name` when `accept` takes it, `fallback` when absent, else `name must be <expected>`. */
function typedOption<T>(
  owner: string,
  options: Options,
  name: string,
  fallback: T,
  accept: (value: unknown) => value is T,
  expected: string,
): T {
  const value = options.get(name);
  if (value === undefined) return fallback;
  if (!accept(value)) throw new ValueError(`${owner}: ${name} must be ${expected} (got ${describe(value)})`);
  return value;
}

const isNumber = (value: unknown): value is number => typeof value === "number" && !Number.isNaN(value);

/** A number option (NaN refused), or `fallback` when absent. */
export function numberOption(owner: string, options: Options, name: string, fallback: number): number {
  return typedOption(owner, options, name, fallback, isNumber, "a number");
}

/** A number-or-null option (an explicit null stays null; absent gives `fallback`). */
export function nullableNumberOption(
  owner: string,
  options: Options,
  name: string,
  fallback: number | null,
): number | null {
  const accept = (value: unknown): value is number | null => value === null || isNumber(value);
  return typedOption(owner, options, name, fallback, accept, "a number or null");
}

export function booleanOption(owner: string, options: Options, name: string, fallback: boolean): boolean {
  const accept = (value: unknown): value is boolean => typeof value === "boolean";
  return typedOption(owner, options, name, fallback, accept, "true or false");
}

export function stringOption(owner: string, options: Options, name: string, fallback: string): string {
  const accept = (value: unknown): value is string => typeof value === "string";
  return typedOption(owner, options, name, fallback, accept, "a string");
}

/**
 * Checks lo <= value <= hi (or lo <= value < hi with `upperOpen`) and throws the torch-style
 * `owner: Invalid <label> value: v (expected ...)` otherwise.
 */
export function checkRange(
  owner: string,
  label: string,
  value: number,
  lo: number,
  hi: number,
  upperOpen = false,
): number {
  const ok = value >= lo && (upperOpen ? value < hi : value <= hi);
  if (!ok) {
    const range =
      hi === Number.POSITIVE_INFINITY
        ? `a finite number >= ${lo}`
        : `${lo} <= ${label} ${upperOpen ? "<" : "<="} ${hi}`;
    throw new ValueError(`${owner}: Invalid ${label} value: ${value} (expected ${range})`);
  }
  if (!Number.isFinite(value)) throw new ValueError(`${owner}: Invalid ${label} value: ${value}`);
  return value;
}
