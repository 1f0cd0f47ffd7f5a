// nn/weight-budget: a bound on the weight memory that layers may allocate while some code runs.
// loadModel rebuilds an architecture from a file inside withWeightBudget(), so a file that declares
// a billion-unit Dense is refused when its first weight would pass the weights file's size, before
// the weight is allocated. Layer.addWeight charges every weight to the innermost open budget.
// The budget is a scope (like noGrad), not an argument of every fromConfig/build: layers that
// create sub-layers inside build() are covered without each layer passing it on.
import { DTYPE_BYTES, type DType } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";

/** A weight-memory limit and the error to raise when a weight would pass it. */
export interface WeightBudget {
  /** Bytes all weights created inside the scope may take together. */
  readonly bytes: number;
  /** The error for the weight `path` ("<layer>/<name>") of `shape` that would pass the limit. */
  exceeded(path: string, shape: Shape): Error;
}

interface OpenBudget {
  readonly budget: WeightBudget;
  used: number;
}

const open: OpenBudget[] = [];

/**
 * Runs `build` (synchronous) with every weight created inside it charged to `budget`.
 * @example
 * const model = withWeightBudget({ bytes: fileSize, exceeded: (path, shape) => new FormatError(...) },
 *   () => deserializeLayer(architecture));
 */
export function withWeightBudget<T>(budget: WeightBudget, build: () => T): T {
  open.push({ budget, used: 0 });
  try {
    return build();
  } finally {
    open.pop();
  }
}

/** Charges a weight about to be allocated to the open budget; throws its error when it would pass. */
export function chargeWeight(path: string, shape: Shape, dtype: DType): void {
  const current = open[open.length - 1];
  if (current === undefined) return;
  let elements = 1;
  for (const d of shape) elements *= d;
  current.used += elements * DTYPE_BYTES[dtype];
  // NOTE: written as !(used <= bytes) so a NaN size (a bad shape) is refused too.
  if (!(current.used <= current.budget.bytes)) throw current.budget.exceeded(path, shape);
}
