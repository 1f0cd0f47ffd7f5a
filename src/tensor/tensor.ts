// tensor/tensor: the Tensor class. A tensor is a shape, a dtype and a contiguous row-major typed
// array owned by the garbage collector (no dispose). Math methods are attached by ops/methods.ts.
import type { DType, TypedArray } from "../core/dtype.js";
import { dtypeOfArray } from "../core/dtype.js";
import { DTypeError, IndexError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape, type Shape, sizeOf, validateShape } from "../core/shape.js";
import { formatTensor } from "./format.js";

/** How a tensor was computed, for backward(): its inputs and the rule mapping dy to each dx. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Recording order: a node recorded later has a larger serial (autograd/scratch-activations). */
  readonly serial: number;
  /** Returns one gradient per input (null where an input needs none), each of that input's shape. */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

/** Nested JS arrays as returned by toArray(). */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array. Create one with `tensor()`, `zeros()`, `randn()` and friends.
 * @example
 * const t = tensor([[1, 2], [3, 4]]);
 * t.shape; // [2, 2]
 */
export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: TypedArray;
  /** Whether backward() should compute a gradient for this tensor. */
  requiresGrad = false;
  /** Accumulated gradient after backward(), same shape and dtype as this tensor. */
  grad: Tensor | null = null;
  /** The op that produced this tensor when it is part of a gradient graph. */
  gradNode: GradNode | null = null;

  /** Wraps a typed array (not copied). Prefer the creation functions. */
  constructor(data: TypedArray, shape: Shape, dtype?: DType) {
    const actual = dtypeOfArray(data);
    if (actual === undefined)
      throw new DTypeError("Tensor: data must be a Float32Array, Float64Array, Int32Array or Uint8Array");
    if (dtype !== undefined && dtype !== actual) {
      throw new DTypeError(`Tensor: data is a ${data.constructor.name} but dtype ${dtype} was given`);
    }
    validateShape("Tensor", shape);
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError(
        `Tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements (got ${data.length})`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = actual;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** The storage typed array itself (not a copy): Float32Array, Float64Array, Int32Array or Uint8Array. */
  dataSync(): TypedArray {
    return this.data;
  }

  /** Nested JS arrays of numbers (booleans for bool tensors); a scalar tensor gives a number. */
  toArray(): NestedArray {
    const { data, shape } = this;
    const asBool = this.dtype === "bool";
    const read = (i: number): number | boolean => (asBool ? data[i] !== 0 : data[i]!);
    if (shape.length === 0) return read(0);
    let offset = 0;
    const build = (axis: number): NestedArray[] => {
      const out: NestedArray[] = [];
      const n = shape[axis]!;
      if (axis === shape.length - 1) for (let i = 0; i < n; i++) out.push(read(offset++));
      else for (let i = 0; i < n; i++) out.push(build(axis + 1));
      return out;
    };
    return build(0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new ValueError(`item: expected a tensor with one element (got shape ${formatShape(this.shape)})`);
    }
    return this.data[0]!;
  }

  /** Element at a full index (negative indices count from the end). */
  at(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new IndexError(`at: expected ${this.rank} indices (got ${index.length})`);
    }
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const n = this.shape[d]!;
      let i = index[d]!;
      if (i < 0) i += n;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new IndexError(`at: index ${index[d]} is out of range for axis ${d} of size ${n}`);
      }
      flat = flat * n + i;
    }
    return this.data[flat]!;
  }

  toString(): string {
    return formatTensor(this.data, this.shape, this.dtype, this.requiresGrad);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
