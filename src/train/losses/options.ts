// train/losses/options: reading a loss factory's options (camelCase or Keras snake_case names).

import { ValueError } from "../../core/errors.js";
import { type OptionAliases, readOptions } from "../../core/options.js";
import { parseReduction, type Reduction } from "./loss.js";

export interface LossOptions {
  /** Default "sum_over_batch_size" (the batch mean). */
  reduction?: Reduction | null;
  /** Defaults to the Keras name, e.g. "mean_squared_error". */
  name?: string;
}

export interface ReadLossOptions {
  options: Map<string, unknown>;
  reduction: Reduction;
  name: string;
}

/** Reads the shared options plus the loss's own (given as camelCase name -> aliases). */
export function readLossOptions(
  owner: string,
  raw: unknown,
  defaultName: string,
  own: OptionAliases = {},
): ReadLossOptions {
  const options = readOptions(owner, raw, { reduction: [], name: [], ...own });
  const name = options.get("name") ?? defaultName;
  if (typeof name !== "string") throw new ValueError(`${owner}: name must be a string`);
  return { options, reduction: parseReduction(owner, options.get("reduction")), name };
}

/** An optional axis option: an integer, default -1. */
export function axisOption(owner: string, options: Map<string, unknown>): number {
  const axis = options.get("axis") ?? -1;
  if (typeof axis !== "number" || !Number.isInteger(axis)) {
    throw new ValueError(`${owner}: axis must be an integer (got ${String(axis)})`);
  }
  return axis;
}
