// ml/search-space: hyper-parameter distributions for GridSearch and RandomSearch: choice (a list),
// uniform, logUniform and intUniform (ranges). Each checks its range when built, samples from a
// seeded generator, and (choice only, or an intUniform) lists its values for a grid.
import { ConfigError, ValueError } from "../core/errors.js";
import type { Generator } from "../core/random.js";

/** A parameter value a search can set. */
export type ParamValue = number | string | boolean | null;

export interface Distribution {
  readonly kind: "choice" | "uniform" | "logUniform" | "intUniform";
  sample(rng: Generator): ParamValue;
  /** Every value, for grid search; null for a continuous range. */
  values(): ParamValue[] | null;
}

/** A search space: one distribution per parameter name. */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/**
 * One of the listed values, each equally likely.
 * @example
 * choice(["l2", "none"])
 */
export function choice(options: readonly ParamValue[]): Distribution {
  if (!Array.isArray(options) || options.length === 0)
    throw new ValueError("choice: expected a non-empty list of values (got an empty list)");
  const values = [...options];
  return { kind: "choice", sample: (rng) => values[rng.int(0, values.length)]!, values: () => [...values] };
}

function checkRange(op: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new ValueError(`${op}: expected finite low < high (got ${low} and ${high}); the range is empty`);
  }
}

/** A float drawn uniformly from [low, high). */
export function uniform(low: number, high: number): Distribution {
  checkRange("uniform", low, high);
  return { kind: "uniform", sample: (rng) => rng.uniform(low, high), values: () => null };
}

/** A float whose logarithm is uniform on [log low, log high): for scales such as C or a learning rate. */
export function logUniform(low: number, high: number): Distribution {
  checkRange("logUniform", low, high);
  if (low <= 0) throw new ValueError(`logUniform: low must be > 0 (got ${low})`);
  const a = Math.log(low);
  const b = Math.log(high);
  return { kind: "logUniform", sample: (rng) => Math.exp(rng.uniform(a, b)), values: () => null };
}

/** An integer drawn uniformly from low..high, both included. */
export function intUniform(low: number, high: number): Distribution {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) {
    throw new ValueError(
      `intUniform: expected integers low <= high (got ${low} and ${high}); the range is empty`,
    );
  }
  return {
    kind: "intUniform",
    sample: (rng) => rng.int(low, high + 1),
    values: () => Array.from({ length: high - low + 1 }, (_, i) => low + i),
  };
}

/** Every combination of the space's values (names in the space's order), for grid search. */
export function gridOf(space: SearchSpace): Record<string, ParamValue>[] {
  let grid: Record<string, ParamValue>[] = [{}];
  for (const [name, distribution] of Object.entries(space)) {
    const values = distribution.values();
    if (values === null)
      throw new ValueError(
        `GridSearch: parameter "${name}" is a continuous ${distribution.kind} range; use choice([...]) or RandomSearch`,
      );
    grid = grid.flatMap((params) => values.map((v) => ({ ...params, [name]: v })));
  }
  return grid;
}

/**
 * A search space from JSON (a tune spec): each parameter is {"choice": [...]}, {"uniform": [lo, hi]},
 * {"logUniform": [lo, hi]} or {"intUniform": [lo, hi]}.
 * @example
 * spaceFromJSON({ C: { logUniform: [0.001, 100] }, penalty: { choice: ["l2", "none"] } });
 */
export function spaceFromJSON(value: unknown, where = "space"): SearchSpace {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError(`${where}: must be an object of parameter distributions`);
  const out: Record<string, Distribution> = {};
  for (const [name, spec] of Object.entries(value)) {
    const keys = typeof spec === "object" && spec !== null && !Array.isArray(spec) ? Object.keys(spec) : [];
    const kind = keys[0];
    if (keys.length !== 1 || kind === undefined)
      throw new ConfigError(
        `${where}.${name}: expected one of {"choice": [...]}, {"uniform": [lo, hi]}, {"logUniform": [lo, hi]}, {"intUniform": [lo, hi]}`,
      );
    const args = (spec as Record<string, unknown>)[kind];
    if (kind === "choice") {
      if (
        !Array.isArray(args) ||
        !args.every((v) => v === null || ["number", "string", "boolean"].includes(typeof v))
      )
        throw new ConfigError(`${where}.${name}.choice: expected a list of numbers, strings or booleans`);
      out[name] = choice(args as ParamValue[]);
      continue;
    }
    if (!Array.isArray(args) || args.length !== 2 || !args.every((v) => typeof v === "number"))
      throw new ConfigError(`${where}.${name}.${kind}: expected [low, high]`);
    const [low, high] = args as [number, number];
    if (kind === "uniform") out[name] = uniform(low, high);
    else if (kind === "logUniform") out[name] = logUniform(low, high);
    else if (kind === "intUniform") out[name] = intUniform(low, high);
    else
      throw new ConfigError(
        `${where}.${name}: unknown distribution "${kind}" (expected choice, uniform, logUniform or intUniform)`,
      );
  }
  return out;
}
