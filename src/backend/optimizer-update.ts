// backend/optimizer-update: how an optimizer's update rule reaches a backend. The rule itself, the
// specification as a plain loop, lives beside its optimizer in optim/<name>.ts (as torch.optim
// keeps _single_tensor_adam beside Adam); there it declares its name and how the step's scalars
// travel to a positional backend, and gets back the function the optimizer calls. That function
// runs the active backend's fused update of the same name (native `${name}Update`, an accelerated
// copy of the rule with a parity test) when the backend has one and every array shares the
// parameter's float type, and the rule itself otherwise. The registry decides; optim/ never asks.
import type { FloatArray } from "../core/dtype.js";
import { type AnyKernel, asAnyKernel, type KernelFunction, type ParamsOf } from "./fused/define.js";
import { type PositionalEntry, positionalEntry } from "./registry.js";

/** An update rule: param, grad and the slot arrays (or nulls), then its params record. */
export interface OptimizerUpdate<F extends KernelFunction> {
  /** The optimizer's name; a positional backend exports the fused copy as `${name}Update`. */
  readonly name: string;
  /** The specification: one step on one parameter as a plain loop. */
  readonly reference: F;
  /** Writes the step's scalars into k in the order the native kernel reads them (native/src/optim.h). */
  scalars(params: ParamsOf<F>, k: Float64Array): void;
}

/** True when every array of the call (the params record excluded) has the parameter's type. */
function sameFloatType(args: readonly unknown[]): boolean {
  const type = (args[0] as FloatArray).constructor;
  for (let i = 1; i < args.length - 1; i++) {
    const value = args[i];
    if (value !== null && (value as FloatArray).constructor !== type) return false;
  }
  return true;
}

/**
 * The rule bound to one positional entry point: the arrays, then the scalars in one reused
 * Float64Array; a call whose arrays mix float types (a float64 gradient for a float32 parameter)
 * runs the rule.
 */
export function bindPositionalUpdate<F extends KernelFunction>(
  update: OptimizerUpdate<F>,
  fn: PositionalEntry,
): F {
  const reference = asAnyKernel(update.reference);
  const k = new Float64Array(16);
  const call: AnyKernel = (...args) => {
    if (!sameFloatType(args)) {
      reference(...args);
      return;
    }
    update.scalars(args[args.length - 1] as ParamsOf<F>, k);
    args[args.length - 1] = k;
    fn(...args);
  };
  // NOTE: call takes exactly F's arguments (it forwards them); the type system cannot see that
  return call as unknown as F;
}

/** Declares an update rule; returns the function an optimizer calls (see the file header). */
export function defineOptimizerUpdate<F extends KernelFunction>(update: OptimizerUpdate<F>): F {
  const entryName = `${update.name}Update`;
  let boundFor: PositionalEntry | undefined;
  const reference = asAnyKernel(update.reference);
  let bound = reference;
  const dispatch: AnyKernel = (...args) => {
    const fn = positionalEntry(entryName);
    if (fn === undefined) {
      reference(...args);
      return;
    }
    if (fn !== boundFor) {
      bound = asAnyKernel(bindPositionalUpdate(update, fn));
      boundFor = fn;
    }
    bound(...args);
  };
  // NOTE: dispatch forwards exactly F's arguments; the type system cannot see that
  return dispatch as unknown as F;
}
