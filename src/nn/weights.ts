// nn/weights: creating a layer weight (initialised leaf tensor plus metadata) and writing values
// into existing weights in place, with the checks both need.
import { noGrad } from "../autograd/mode.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { formatShape, type Shape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { boolean, describe, optional } from "./config.js";
import { type Constraint, getConstraint } from "./constraints.js";
import { type FloatDType, getInitializer } from "./initializers.js";
import { getRegularizer, type Regularizer } from "./regularizers.js";

/** Options of addWeight(). */
export interface WeightOptions {
  /** Default "glorot_uniform" (Keras add_weight). */
  initializer?: unknown;
  regularizer?: unknown;
  constraint?: unknown;
  /** Default true; false for state such as BatchNormalization's moving statistics. */
  trainable?: boolean;
  dtype?: FloatDType;
}

/** A weight with its metadata. */
export interface WeightEntry {
  /** Short name inside the layer ("kernel"). */
  readonly name: string;
  /** Stable name inside a model ("dense_1/kernel"). */
  readonly path: string;
  readonly tensor: Tensor;
  /** Whether the weight is trainable when its layer is (false for moving statistics). */
  readonly trainable: boolean;
  readonly regularizer: Regularizer | null;
  readonly constraint: Constraint | null;
}

let weightsCreatedCount = 0;

/**
 * How many weights addWeight has created in this thread so far: a cheap stamp that says no layer
 * was built (or rebuilt) since it was read (models/inference-plans checks it on every call).
 */
export function weightsCreated(): number {
  return weightsCreatedCount;
}

/** A new weight of layer `owner`; it requires a gradient when trainable and the layer is not frozen. */
export function createWeight(
  owner: string,
  existing: readonly WeightEntry[],
  name: string,
  shape: Shape,
  options: WeightOptions,
  defaultDType: FloatDType,
  layerTrainable: boolean,
): WeightEntry {
  const op = `${owner}.addWeight`;
  if (
    typeof name !== "string" ||
    name === "" ||
    name.includes("/") ||
    existing.some((w) => w.name === name)
  ) {
    throw new ValueError(
      `${op}: weight names must be unique, non-empty and without "/" (got ${describe(name)})`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(`${op}: "${name}" needs a known shape (got ${formatShape(shape)})`);
  }
  const dtype = options.dtype ?? defaultDType;
  const initializer = getInitializer(options.initializer ?? "glorot_uniform", `${op} initializer`);
  const trainable = optional(options.trainable, true, (v) => boolean(op, "trainable", v));
  const tensor = noGrad(() => initializer.generate(shape, dtype));
  if (tensor.dtype !== dtype)
    throw new ValueError(`${op}: initializer gave ${tensor.dtype}, expected ${dtype}`);
  tensor.requiresGrad = trainable && layerTrainable;
  weightsCreatedCount++;
  return {
    name,
    path: `${owner}/${name}`,
    tensor,
    trainable,
    regularizer: getRegularizer(options.regularizer, `${op} regularizer`),
    constraint: getConstraint(options.constraint, `${op} constraint`),
  };
}

/** Copies `values` into the weights' data in place (count and shapes checked first; dtypes converted). */
export function assignWeights(
  owner: string,
  entries: readonly WeightEntry[],
  values: readonly Tensor[],
): void {
  const op = `${owner}.setWeights`;
  if (!Array.isArray(values) || values.length !== entries.length) {
    throw new ValueError(
      `${op}: expected ${entries.length} weights (got ${describe(Array.isArray(values) ? values.length : values)})`,
    );
  }
  entries.forEach((w, i) => {
    const v = values[i];
    if (!(v instanceof Tensor))
      throw new ValueError(`${op}: weight ${i} (${w.path}) must be a Tensor (got ${describe(v)})`);
    if (v.shape.length !== w.tensor.shape.length || v.shape.some((d, k) => d !== w.tensor.shape[k])) {
      throw new ShapeError(
        `${op}: weight ${i} (${w.path}) has shape ${formatShape(w.tensor.shape)} (got ${formatShape(v.shape)})`,
      );
    }
  });
  entries.forEach((w, i) => {
    w.tensor.data.set(values[i]!.data);
  });
}
