// optim/state-dict: the saved form of an optimizer (OptimizerState) and the checks that restore
// it onto attached parameters, kept apart from the Optimizer class so that file stays short.

import type { FloatArray } from "../core/dtype.js";
import { allocate } from "../core/dtype.js";
import { ConfigError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { describe } from "./options.js";

/** What an optimizer saves to resume training exactly: JSON-able except the typed arrays. */
export interface OptimizerState {
  className: string;
  iterations: number;
  /** getConfig().config at the time of saving (learning rate included). */
  config: Record<string, unknown>;
  /** Slot arrays by parameter index, then by slot name (e.g. state["0"].momentum for Adam). */
  state: Record<string, Record<string, FloatArray>>;
  /** Scalars the optimizer keeps besides the slots (e.g. Nadam's momentum-cache product). */
  globals: Record<string, number>;
}

/** A per-parameter slot: its name and initial value. */
export interface SlotSpec {
  readonly name: string;
  readonly initialValue: number;
}

/** Throws unless `state` is an object for `className` with a valid iteration count. */
export function checkStateHeader(where: string, state: OptimizerState, className: string): void {
  if (typeof state !== "object" || state === null) {
    throw new ConfigError(`${where}: expected a state object (got ${describe(state)})`);
  }
  if (state.className !== className) {
    throw new ConfigError(`${where}: state is for ${String(state.className)}, not ${className}`);
  }
  if (!Number.isInteger(state.iterations) || state.iterations < 0) {
    throw new ConfigError(`${where}: iterations must be an integer >= 0 (got ${describe(state.iterations)})`);
  }
}

/** Copies of the saved slots, checked against the attached parameters (count, names, sizes). */
export function restoreSlots(
  where: string,
  state: OptimizerState,
  params: readonly Tensor[],
  specs: readonly SlotSpec[],
): FloatArray[][] {
  const entries = Object.keys(state.state ?? {});
  if (entries.length !== params.length) {
    throw new ConfigError(
      `${where}: state has slots for ${entries.length} parameters but ${params.length} are attached`,
    );
  }
  return params.map((p, i) => {
    const entry = state.state[String(i)];
    if (entry === undefined) throw new ConfigError(`${where}: no slots for parameter ${i}`);
    return specs.map((s) => {
      const saved = entry[s.name];
      if (!(saved instanceof Float32Array || saved instanceof Float64Array)) {
        throw new ConfigError(`${where}: slot "${s.name}" of parameter ${i} is missing or not a float array`);
      }
      if (saved.length !== p.size) {
        throw new ConfigError(
          `${where}: slot "${s.name}" of parameter ${i} has ${saved.length} values but the parameter has ${p.size}`,
        );
      }
      const copy = allocate(p.dtype as "float32" | "float64", p.size);
      copy.set(saved);
      return copy;
    });
  });
}
