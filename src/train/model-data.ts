// train/model-data: what fit/evaluate/predict accept as inputs and targets (one tensor, a list in
// model order, or a record keyed by input/output name) turned into tensor lists in model order,
// and the element formats a batch iterable may yield ({x, y, sampleWeight} or [x, y, sampleWeight]).
import { describe } from "../core/config.js";
import { ConfigError, ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { Tensor } from "../tensor/tensor.js";

export type { Batch, ModelData, PredictBatch } from "../models/model-data.js";

/**
 * `data` as a list in the order of `names` (input or output names). A record must hold exactly
 * those names; a list must have one tensor per name (when the names are known).
 */
export function toTensorList(op: string, what: "x" | "y", data: unknown, names: readonly string[]): Tensor[] {
  if (data instanceof Tensor) {
    if (names.length > 1) {
      throw new ValueError(
        `${op}: the model has ${names.length} ${what === "x" ? "inputs" : "outputs"} (${names.join(", ")}); pass ${what} as a list or a record of tensors`,
      );
    }
    return [data];
  }
  if (Array.isArray(data)) {
    data.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new ValueError(`${op}: ${what}[${i}] must be a Tensor (got ${describe(t)})`);
    });
    if (names.length > 0 && data.length !== names.length) {
      throw new ValueError(
        `${op}: ${what} has ${data.length} tensors but the model has ${names.length} ${what === "x" ? "inputs" : "outputs"} (${names.join(", ")})`,
      );
    }
    if (data.length === 0) throw new ValueError(`${op}: ${what} is an empty list`);
    return [...(data as Tensor[])];
  }
  if (typeof data === "object" && data !== null) {
    const record = data as Record<string, unknown>;
    if (names.length === 0) {
      throw new ValueError(
        `${op}: ${what} is a record but the model's ${what === "x" ? "input" : "output"} names are not known yet`,
      );
    }
    for (const key of Object.keys(record)) {
      if (!names.includes(key)) {
        throw new ValueError(
          `${op}: ${what} has an entry "${key}" that is not a model ${what === "x" ? "input" : "output"} (${names.join(", ")})`,
        );
      }
    }
    return names.map((name) => {
      const t = record[name];
      if (!(t instanceof Tensor))
        throw new ValueError(`${op}: ${what}.${name} must be a Tensor (got ${describe(t)})`);
      return t;
    });
  }
  throw new ValueError(
    `${op}: ${what} must be a Tensor, a list of tensors or a record of tensors (got ${describe(data)})`,
  );
}

/** The inputs of `model` from user data. */
export function inputList(op: string, model: Model, x: unknown): Tensor[] {
  return toTensorList(op, "x", x, model.inputNames);
}

/** The targets of `model` from user data. */
export function targetList(op: string, model: Model, y: unknown): Tensor[] {
  return toTensorList(op, "y", y, model.outputNames);
}

/** Unpacks one element of a batch iterable. */
export function unpackBatch(
  op: string,
  element: unknown,
): { x: unknown; y: unknown; sampleWeight: Tensor | null } {
  if (Array.isArray(element)) {
    if (element.length !== 2 && element.length !== 3) {
      throw new ConfigError(
        `${op}: a batch array must be [x, y] or [x, y, sampleWeight] (got ${element.length} items)`,
      );
    }
    const sw: unknown = element[2];
    if (sw !== undefined && !(sw instanceof Tensor))
      throw new ConfigError(`${op}: a batch's sampleWeight must be a Tensor`);
    return { x: element[0], y: element[1], sampleWeight: sw ?? null };
  }
  if (typeof element === "object" && element !== null && "x" in element && "y" in element) {
    const e = element as { x: unknown; y: unknown; sampleWeight?: unknown };
    if (e.sampleWeight !== undefined && !(e.sampleWeight instanceof Tensor)) {
      throw new ConfigError(`${op}: a batch's sampleWeight must be a Tensor`);
    }
    return { x: e.x, y: e.y, sampleWeight: (e.sampleWeight as Tensor | undefined) ?? null };
  }
  throw new ConfigError(`${op}: each batch must be { x, y } or [x, y] (got ${describe(element)})`);
}

/** Unpacks one element of a predict iterable ({x}, [x] or the inputs). */
export function unpackPredictBatch(element: unknown): unknown {
  if (Array.isArray(element) && element.length === 1) return element[0];
  if (
    typeof element === "object" &&
    element !== null &&
    !(element instanceof Tensor) &&
    "x" in element &&
    !Array.isArray(element)
  ) {
    return (element as { x: unknown }).x;
  }
  return element;
}

/** True for an async (or sync non-array) iterable of batches rather than tensors. */
export function isBatchIterable(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  if (value === null || typeof value !== "object" || value instanceof Tensor || Array.isArray(value))
    return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}
