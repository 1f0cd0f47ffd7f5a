// backend/fused/define: what a fused op is, in one record. A definition names the op, carries its
// reference kernel (the specification, plain loops over typed arrays), the reference adjoint (its
// gradient rule: the vector-Jacobian product as a kernel) and, for backends that take positional
// arguments (the native addon, later WebAssembly), how a call's params record becomes the trailing
// arguments. The kernel table's type and its reference entries are derived from the list of
// definitions (backend/fused/index), and every backend binds its entries by name, so a new fused
// op is its own file plus its native kernel; no table, merge or wrapper lists it by hand.
import type { FloatArray } from "../../core/dtype.js";

/**
 * A kernel: arrays (or nulls) first, its params record (or flag) last; it writes its outputs.
 * Every kernel signature is assignable to this type (never[] accepts any parameter list).
 */
export type KernelFunction = (...args: never[]) => void;

/** A kernel called generically, with the arguments it was given (the binders' view). */
export type AnyKernel = (...args: unknown[]) => void;

/** A kernel as the generic binders call it. */
export function asAnyKernel(kernel: KernelFunction): AnyKernel {
  return kernel as AnyKernel;
}

/** The last parameter of a kernel: its params record. */
export type ParamsOf<F extends KernelFunction> =
  Parameters<F> extends readonly [...unknown[], infer P] ? P : never;

/** The name lists a positional backend exports beside its functions (the addon's code tables). */
export interface PositionalNames {
  /** Cell activation names in the order of their numeric codes. */
  cellActivations: readonly string[];
}

/**
 * The arguments a positional backend takes after the arrays for one call, or undefined when this
 * call must run the reference kernel instead (an activation the backend has no code for, arrays of
 * mixed precision). `args` is the whole call, params last.
 */
export type PositionalTail<F extends KernelFunction> = (
  params: ParamsOf<F>,
  args: Parameters<F>,
  names: PositionalNames,
) => readonly unknown[] | undefined;

/** How a positional backend's entry points for the op (same names as the table's) are called. */
export interface PositionalBinding<F extends KernelFunction, B extends KernelFunction | undefined> {
  forward: PositionalTail<F>;
  backward: B extends KernelFunction ? PositionalTail<B> : undefined;
}

/** A fused op: forward kernel `name`, adjoint kernel `${name}Backward` when it has a gradient rule. */
export interface FusedOp<
  N extends string = string,
  F extends KernelFunction = KernelFunction,
  B extends KernelFunction | undefined = KernelFunction | undefined,
> {
  readonly name: N;
  /** The specification of the forward kernel. */
  readonly reference: F;
  /** The gradient rule: the adjoint kernel's specification (undefined: the op has none of its own). */
  readonly vjp: B;
  /** How positional backends receive a call (the trailing arguments after the arrays). */
  readonly positional: PositionalBinding<F, B>;
}

/** Declares a fused op; the value is the definition itself, typed precisely for the table. */
export function defineFusedOp<
  N extends string,
  F extends KernelFunction,
  B extends KernelFunction | undefined,
>(op: FusedOp<N, F, B>): FusedOp<N, F, B> {
  return op;
}

/** The kernel-table entries one definition contributes. */
export type KernelsOf<D> =
  D extends FusedOp<infer N, infer F, infer B>
    ? { [K in N]: F } & (B extends KernelFunction ? { [K in `${N}Backward`]: B } : unknown)
    : never;

/** The entries of every definition in a tuple, as one table type. */
export type KernelsOfAll<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? KernelsOf<H> & KernelsOfAll<R>
  : unknown;

/** The table key of an op's adjoint kernel. */
export function backwardName<N extends string>(name: N): `${N}Backward` {
  return `${name}Backward`;
}

/** One kernel-table entry of an op, as the generic binders see it. */
export interface KernelEntry {
  name: string;
  reference: AnyKernel;
  /** A method, so every op's typed tail is accepted here (parameters compare bivariantly). */
  tail(params: unknown, args: unknown[], names: PositionalNames): readonly unknown[] | undefined;
}

/** Every entry an op contributes to the table: its forward kernel, then its adjoint. */
export function entriesOf(op: FusedOp): KernelEntry[] {
  const entries: KernelEntry[] = [
    { name: op.name, reference: asAnyKernel(op.reference), tail: op.positional.forward },
  ];
  if (op.vjp !== undefined && op.positional.backward !== undefined)
    entries.push({
      name: backwardName(op.name),
      reference: asAnyKernel(op.vjp),
      tail: op.positional.backward,
    });
  return entries;
}

/** A float array of n zeros in like's precision (scratch for reference kernels). */
export function scratchLike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}
