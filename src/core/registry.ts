// core/registry: the one lookup table behind every "pick a built-in by name" registry (layers,
// initializers, regularizers, constraints, activations, optimizers, losses, metrics, preprocessing).
// An entry has a canonical name and any aliases; a lookup takes a name (case and underscores
// ignored, unless the registry matches exactly), a serialized `{ className, config }` or an
// instance. Entries live in a Map, never an object literal: a name such as "constructor" must not
// find Object.prototype's member. Layer: core.

import { describe, expectedOneOf, isPlainObject, normalizeName } from "./config.js";
import { ConfigError } from "./errors.js";

/** A registered value and the canonical name it was registered under. */
export interface RegistryEntry<T> {
  readonly name: string;
  readonly value: T;
}

export interface RegistryOptions {
  /** What an entry is, for messages: `unknown ${kind} "x"` ("optimizer", "layer class"). */
  readonly kind: string;
  /**
   * "loose" (the default): "mean_squared_error", "meanSquaredError" and "MeanSquaredError" are one
   * name. "exact": names compare as written (class names in saved files).
   */
  readonly match?: "loose" | "exact";
  /** Said right after an unknown name, before the list of known ones (how to register one). */
  readonly hint?: (name: string) => string;
}

/**
 * A closed table of named values. Re-registering a name replaces its entry.
 * @example
 * const losses = new Registry<LossFactory>({ kind: "loss" });
 * losses.register("meanSquaredError", meanSquaredError, "mse");
 * losses.require("getLoss", "mean_squared_error").value; // meanSquaredError
 */
export class Registry<T> {
  readonly kind: string;
  private readonly exact: boolean;
  private readonly hint: ((name: string) => string) | undefined;
  /** lookup key (normalised unless exact) -> entry */
  private readonly byKey = new Map<string, RegistryEntry<T>>();
  /** canonical names in registration order (a Set keeps them unique) */
  private readonly canonical = new Set<string>();

  constructor(options: RegistryOptions) {
    this.kind = options.kind;
    this.exact = options.match === "exact";
    this.hint = options.hint;
  }

  /** Registers `value` under a canonical `name` and any `aliases` (other spellings that find it). */
  register(name: string, value: T, ...aliases: string[]): void {
    const entry: RegistryEntry<T> = { name, value };
    for (const spelling of [name, ...aliases]) this.byKey.set(this.key(spelling), entry);
    this.canonical.add(name);
  }

  /** The entry a name finds, or undefined. */
  entry(name: string): RegistryEntry<T> | undefined {
    return this.byKey.get(this.key(name));
  }

  /** The value a name finds, or undefined. */
  get(name: string): T | undefined {
    return this.entry(name)?.value;
  }

  has(name: string): boolean {
    return this.byKey.has(this.key(name));
  }

  /**
   * The entry a name finds, or a ConfigError
   * `where: unknown <kind> "name"[; hint] (expected one of ...; did you mean "..."?)`.
   */
  require(where: string, name: string): RegistryEntry<T> {
    const found = this.entry(name);
    if (found !== undefined) return found;
    const hint = this.hint === undefined ? "" : `; ${this.hint(name)}`;
    throw new ConfigError(
      `${where}: unknown ${this.kind} "${name}"${hint} ${expectedOneOf(name, this.names())}`,
    );
  }

  /** The canonical names, in registration order (aliases are not listed). */
  names(): string[] {
    // a name re-registered as another's alias no longer finds its own entry: list live names only
    return [...this.canonical].filter((name) => this.byKey.get(this.key(name))?.name === name);
  }

  private key(name: string): string {
    return this.exact ? name : normalizeName(name);
  }
}

/** How `resolve` turns a spec into a value. */
export interface ResolveOptions<F, T> {
  /** The function or op named in messages ("getInitializer", "Dense kernelInitializer"). */
  readonly where: string;
  /** What was expected, for messages: "an initializer name, config or instance". */
  readonly expected: string;
  /** True for a value that is already resolved (an instance): it is returned as is. */
  readonly isInstance: (spec: unknown) => spec is T;
  /** Builds the value from a registered factory and a config (`{}` for a bare name). */
  readonly build: (factory: F, config: Record<string, unknown>, name: string) => T;
}

/**
 * Resolves a name, a serialized `{ className, config }` (config optional) or an instance through a
 * registry of factories; anything else is a ConfigError saying what was expected and what came.
 * @example
 * resolve(initializers, "he_normal", { where, expected, isInstance, build: (make, c) => make(c) });
 */
export function resolve<F, T>(registry: Registry<F>, spec: unknown, options: ResolveOptions<F, T>): T {
  if (options.isInstance(spec)) return spec;
  const named = nameAndConfig(spec);
  if (named === undefined) {
    throw new ConfigError(`${options.where}: expected ${options.expected} (got ${describe(spec)})`);
  }
  const entry = registry.require(options.where, named.name);
  return options.build(entry.value, named.config, entry.name);
}

/** A factory that builds a value from its (unvalidated) config. */
export type ConfigFactory<T> = (config: Record<string, unknown>) => T;

/**
 * `resolve` for the common case: a registry of config factories and the class whose instances pass
 * through as is. Errors read `where: expected an initializer name, config or instance (got 3)`.
 * @example
 * getInitializer = (id, where) => resolveInstance(INITIALIZERS, id, where, Initializer);
 */
export function resolveInstance<T>(
  registry: Registry<ConfigFactory<T>>,
  spec: unknown,
  where: string,
  cls: abstract new (...args: never[]) => T,
): T {
  const article = /^[aeiou]/i.test(registry.kind) ? "an" : "a";
  return resolve(registry, spec, {
    where,
    expected: `${article} ${registry.kind} name, config or instance`,
    isInstance: (value): value is T => value instanceof cls,
    build: (make, config) => make(config),
  });
}

/**
 * The name and config of a spec: a string is a name with an empty config; `{ className, config }`
 * (config an object, null or absent) gives both; anything else is undefined.
 */
export function nameAndConfig(spec: unknown): { name: string; config: Record<string, unknown> } | undefined {
  if (typeof spec === "string") return { name: spec, config: {} };
  if (!isPlainObject(spec)) return undefined;
  const { className, config } = spec;
  if (typeof className !== "string") return undefined;
  if (config === undefined || config === null) return { name: className, config: {} };
  if (!isPlainObject(config)) return undefined;
  return { name: className, config: config as Record<string, unknown> };
}
