// ml/estimator: what every estimator shares: getParams(), a JSON state (toJSON / fromJSON through
// ml/registry) and the "not fitted yet" check. State holds plain numbers and arrays only, so a
// saved estimator loads without running code.
import { FormatError, ValueError } from "../core/errors.js";

/** A JSON value as written into model.json. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The serialised form of an estimator. */
export interface EstimatorState {
  format: "tessera-estimator";
  version: 1;
  /** The estimator's class name, a key of ml/registry's table. */
  kind: string;
  /** Constructor options, as getParams() returns them. */
  params: { [key: string]: JsonValue };
  /** What fit() learned; null for an estimator that was never fitted. */
  fitted: { [key: string]: JsonValue } | null;
}

/** Throws when an estimator is used before fit(). */
export function requireFitted<T>(op: string, value: T | null | undefined): T {
  if (value === null || value === undefined)
    throw new ValueError(`${op}: the estimator is not fitted yet; call fit() first`);
  return value;
}

/** Builds a state object. */
export function makeState(
  kind: string,
  params: object,
  fitted: { [key: string]: JsonValue } | null,
): EstimatorState {
  return {
    format: "tessera-estimator",
    version: 1,
    kind,
    params: JSON.parse(JSON.stringify(params)) as { [key: string]: JsonValue },
    fitted,
  };
}

/** Reads a field of a fitted state as a float64 array, checking it holds numbers (and its length). */
export function stateNumbers(
  kind: string,
  fitted: { [key: string]: JsonValue },
  key: string,
  length?: number,
): Float64Array {
  const v = fitted[key];
  if (!Array.isArray(v) || !v.every((e) => typeof e === "number")) {
    throw new FormatError(`${kind}.fromJSON: fitted.${key} must be an array of numbers`);
  }
  if (length !== undefined && v.length !== length) {
    throw new FormatError(`${kind}.fromJSON: fitted.${key} must hold ${length} numbers (got ${v.length})`);
  }
  return Float64Array.from(v as number[]);
}

/** Reads a number field of a fitted state. */
export function stateNumber(kind: string, fitted: { [key: string]: JsonValue }, key: string): number {
  const v = fitted[key];
  if (typeof v !== "number") throw new FormatError(`${kind}.fromJSON: fitted.${key} must be a number`);
  return v;
}

/** Checks a state's envelope and kind, returning its fitted part (or null). */
export function checkState(kind: string, state: EstimatorState): { [key: string]: JsonValue } | null {
  if (state.format !== "tessera-estimator" || state.version !== 1) {
    throw new FormatError(`${kind}.fromJSON: expected format "tessera-estimator" version 1`);
  }
  if (state.kind !== kind)
    throw new FormatError(`${kind}.fromJSON: state is a ${JSON.stringify(state.kind)}`);
  return state.fitted;
}

/** Plain number array for JSON. */
export function toNumbers(a: ArrayLike<number>): number[] {
  return Array.from(a);
}
