// io/onnx/import/op-types: what an ONNX operator implementation receives (its input tensors, null
// for an omitted optional input, its attributes) and returns, plus helpers the operator tables
// share (reading small int tensors such as shapes and axes, checked inputs). Layer: io.
import { FormatError } from "../../../core/errors.js";
import { cast } from "../../../ops/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import type { Attrs } from "./onnx-values.js";

/** Where an operator runs: the node's description for errors, and the model's default opset. */
export interface OpContext {
  readonly where: string;
  readonly opset: number;
  /** How many outputs the node names (Split without sizes splits evenly into that many). */
  readonly outputs: number;
}

/** One ONNX operator over Tessera tensors. */
export type OpFn = (inputs: readonly (Tensor | null)[], attrs: Attrs, ctx: OpContext) => Tensor[];

/** The required input `i`, or a FormatError naming the node. */
export function need(inputs: readonly (Tensor | null)[], i: number, ctx: OpContext): Tensor {
  const t = inputs[i];
  if (t === null || t === undefined) throw new FormatError(`${ctx.where}: input ${i} is required`);
  return t;
}

/** A small int tensor (shape, axes, pads) as numbers. */
export function intsOf(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number>, Number);
}

/** A 1-element tensor as a number. */
export function scalarOf(t: Tensor): number {
  return Number(t.data[0]);
}

/** An int32 tensor of the given values and shape. */
export function intTensor(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return new Tensor(Int32Array.from(values), [...shape]);
}

/** A non-negative axis. */
export function axisOf(axis: number, rank: number, ctx: OpContext): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1))
    throw new FormatError(`${ctx.where}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Casts to float32 unless float already (for ops Tessera defines on floats only). */
export function asFloat(t: Tensor): Tensor {
  return t.dtype === "float32" || t.dtype === "float64" ? t : cast(t, "float32");
}

/** Wraps a one-output op. */
export const one =
  (fn: (inputs: readonly (Tensor | null)[], attrs: Attrs, ctx: OpContext) => Tensor): OpFn =>
  (inputs, attrs, ctx) => [fn(inputs, attrs, ctx)];
