// models/inference-plan: a model's forward pass at one input signature (shapes and dtypes),
// recorded once as the list of kernel calls it made and replayed into the same buffers.
//
// Why: at batch 1 an MLP's arithmetic is a few microseconds; the rest of an eager call is the
// layers and ops around the kernels (validation, shape arithmetic, Tensor objects, fresh arrays,
// autograd bookkeeping). A replay is only the kernel calls, with the arguments the eager pass gave
// them: the weights' arrays (read at call time, so in-place updates by an optimizer, setWeights or
// a load are seen), the intermediates allocated once by the recorded pass, and the model's input
// arrays swapped in through input slots. Outputs are copied out, so two calls never share memory.
//
// Capture (capturePlan) runs the model eagerly with a tracing kernel table (backend/kernel-trace):
// each call's arguments are cloned (params records included; input arrays become slots), and each
// array's bytes are compared before and after the call to learn which arrays kernels write.
// A plan is then proven before use, on a probe: the inputs rotated by one element (same shapes,
// same values, so integer ids stay valid ids, in new places). The eager pass on the probe must
// equal, byte for byte, a replay on it with every written array first poisoned (0xFF bytes: NaN,
// -1). That catches work done outside kernels (a JavaScript fill or copy the replay would skip).
// When poisoning fails but replaying with each written array restored to its content before the
// recorded pass (a zero state a kernel accumulates into) passes, the plan restores them on every
// call ("restore" mode). Otherwise the model stays eager at that signature.
// Safety at replay: gather/scatterAdd index arrays are checked against their axis first; a bad
// index returns null so the caller runs the eager pass, which raises the proper error.
import type { AnyKernel } from "../backend/fused/define.js";
import { tracedKernels } from "../backend/kernel-trace.js";
import type { Kernels } from "../backend/kernels.js";
import { kernels, withKernelTable } from "../backend/registry.js";
import type { TypedArray } from "../core/dtype.js";
import { getMask } from "../nn/mask.js";
import { Tensor } from "../tensor/tensor.js";

/** Runs the model eagerly on a list of inputs, in inference mode without a gradient graph. */
export type EagerForward = (inputs: readonly Tensor[]) => Tensor[];

type Container = Record<string, unknown> | unknown[];

/** Where model input `input` goes in a step's arguments: container[key]. */
interface InputSlot {
  container: Container;
  key: string | number;
  input: number;
}

/** One recorded kernel call, with its (cloned) arguments. */
interface Step {
  name: string;
  kernel: AnyKernel;
  args: unknown[];
}

/** An output: a copy of model input `input`, or of a plan-owned array. */
type OutputSource = { input: number } | { array: TypedArray };

/** Kernels whose integer index array (argument 4) and axis size (argument 2) must agree. */
const INDEXED_KERNELS = new Set(["gather", "scatterAdd"]);

function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function bytesOf(array: TypedArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function sameBytes(a: TypedArray, b: TypedArray): boolean {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The typed arrays among a call's arguments (params records searched too), each once. */
function arraysIn(value: unknown, found: Set<TypedArray>): Set<TypedArray> {
  if (isTypedArray(value)) found.add(value);
  else if (Array.isArray(value)) for (const v of value) arraysIn(v, found);
  else if (isPlainObject(value)) for (const v of Object.values(value)) arraysIn(v, found);
  return found;
}

/**
 * A copy of a call's argument: arrays and plain records are cloned (a caller may reuse its params
 * record), typed arrays kept by reference; a model input's array becomes a slot.
 */
function cloneArgument(
  value: unknown,
  inputs: readonly TypedArray[],
  slots: InputSlot[],
  container: Container,
  key: string | number,
): unknown {
  if (isTypedArray(value)) {
    const input = inputs.indexOf(value);
    if (input >= 0) slots.push({ container, key, input });
    return value;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    value.forEach((v, i) => {
      copy.push(cloneArgument(v, inputs, slots, copy, i));
    });
    return copy;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = cloneArgument(v, inputs, slots, copy, k);
    return copy;
  }
  return value;
}

/** A model's forward pass at one input signature, replayed without the layers around its kernels. */
export class InferencePlan {
  /** "restore": written arrays get their recorded initial content back before each replay. */
  mode: "fast" | "restore" = "fast";
  private readonly indexed: readonly Step[];

  constructor(
    /** The kernel table the plan was recorded with (another backend needs another plan). */
    readonly table: Kernels,
    private readonly steps: readonly Step[],
    private readonly slots: readonly InputSlot[],
    private readonly outputs: readonly {
      source: OutputSource;
      shape: readonly number[];
      dtype: Tensor["dtype"];
    }[],
    /** Each array a kernel wrote, with its content before the recorded pass touched it. */
    private written: ReadonlyMap<TypedArray, TypedArray | null>,
  ) {
    this.indexed = steps.filter((s) => INDEXED_KERNELS.has(s.name));
  }

  /** Drops the initial contents kept for "restore" mode (a "fast" plan never needs them). */
  forgetInitial(): void {
    this.written = new Map([...this.written.keys()].map((a) => [a, null]));
  }

  /** Number of kernel calls one replay makes. */
  get kernelCalls(): number {
    return this.steps.length;
  }

  /** The outputs for `inputs` (the recorded shapes and dtypes), or null when an index is out of range. */
  run(inputs: readonly Tensor[]): Tensor[] | null {
    for (const slot of this.slots)
      (slot.container as Record<string | number, unknown>)[slot.key] = inputs[slot.input]!.data;
    try {
      if (!this.indicesInRange()) return null;
      if (this.mode === "restore")
        for (const [array, initial] of this.written) if (initial !== null) array.set(initial);
      for (const step of this.steps) step.kernel.apply(undefined, step.args);
      return this.outputs.map(({ source, shape, dtype }) => {
        const data = "input" in source ? inputs[source.input]!.data : source.array;
        return new Tensor(data.slice(), shape, dtype);
      });
    } finally {
      // the plan does not keep the caller's arrays alive
      for (const slot of this.slots) (slot.container as Record<string | number, unknown>)[slot.key] = null;
    }
  }

  /** Fills every array a kernel writes with 0xFF bytes (NaN for floats, -1 for int32). */
  poison(): void {
    for (const array of this.written.keys()) bytesOf(array).fill(0xff);
  }

  private indicesInRange(): boolean {
    for (const step of this.indexed) {
      const size = step.args[2] as number;
      const indices = step.args[4] as Int32Array;
      for (let i = 0; i < indices.length; i++) {
        const v = indices[i]!;
        if (!(v >= 0 && v < size)) return false;
      }
    }
    return true;
  }
}

/** The eager outputs of the recorded call, and its plan or why there is none. */
export interface Capture {
  outputs: Tensor[];
  plan: InferencePlan | null;
  reason: string | null;
}

/** The inputs with their elements rotated by one place (the probe a plan is proven on). */
function rotated(inputs: readonly Tensor[]): Tensor[] {
  return inputs.map((t) => {
    const data = t.data.slice();
    if (data.length > 1) {
      data.copyWithin(0, 1);
      data[data.length - 1] = t.data[0]!;
    }
    return new Tensor(data, t.shape, t.dtype);
  });
}

function sameOutputs(a: readonly Tensor[], b: readonly Tensor[] | null): boolean {
  return b !== null && a.length === b.length && a.every((t, i) => sameBytes(t.data, b[i]!.data));
}

/**
 * Runs `forward` on `inputs` while recording its kernel calls; returns its outputs (the caller's
 * result) and, when the recording replays exactly on a probe, the plan.
 */
export function capturePlan(
  forward: EagerForward,
  inputs: readonly Tensor[],
  weights: readonly Tensor[],
): Capture {
  const table = kernels();
  const inputArrays = inputs.map((t) => t.data);
  const weightArrays = new Set(weights.map((w) => w.data));
  const steps: Step[] = [];
  const slots: InputSlot[] = [];
  const firstSeen = new Map<TypedArray, TypedArray>();
  const written = new Set<TypedArray>();
  let reason: string | null = null;
  const tracer = (name: string, kernel: AnyKernel, args: unknown[]): void => {
    const watched = [...arraysIn(args, new Set())].filter(
      (a) => !weightArrays.has(a) && !inputArrays.includes(a),
    );
    const before = watched.map((a) => a.slice());
    watched.forEach((a, i) => {
      if (!firstSeen.has(a)) firstSeen.set(a, before[i]!);
    });
    const copy: unknown[] = [];
    args.forEach((v, i) => {
      copy.push(cloneArgument(v, inputArrays, slots, copy, i));
    });
    steps.push({ name, kernel, args: copy });
    const result: unknown = kernel(...args);
    if (result !== undefined) reason ??= `kernel ${name} returned a value`;
    watched.forEach((a, i) => {
      if (!sameBytes(a, before[i]!)) written.add(a);
    });
  };
  const outputs = withKernelTable(tracedKernels(table, tracer), () => forward(inputs));
  if (reason === null && outputs.some((o) => getMask(o) !== null)) reason = "an output carries a mask";
  if (reason !== null) return { outputs, plan: null, reason };
  const initial = new Map<TypedArray, TypedArray>();
  for (const array of written) initial.set(array, firstSeen.get(array)!);
  const plan = new InferencePlan(
    table,
    steps,
    slots,
    outputs.map((o) => {
      const input = inputArrays.indexOf(o.data);
      return { source: input >= 0 ? { input } : { array: o.data }, shape: o.shape, dtype: o.dtype };
    }),
    initial,
  );
  for (const slot of slots) (slot.container as Record<string | number, unknown>)[slot.key] = null;
  // the recorded outputs' arrays now belong to the plan (later replays write them): the caller gets copies
  const copies = outputs.map((o) => new Tensor(o.data.slice(), o.shape, o.dtype));
  return { outputs: copies, ...prove(plan, forward, inputs) };
}

/** Checks a fresh plan against the eager pass on a probe; sets its mode. */
function prove(
  plan: InferencePlan,
  forward: EagerForward,
  inputs: readonly Tensor[],
): { plan: InferencePlan | null; reason: string | null } {
  const probe = rotated(inputs);
  let expected: Tensor[];
  try {
    expected = forward(probe);
  } catch (error) {
    return {
      plan: null,
      reason: `the probe failed eagerly (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  plan.poison();
  if (sameOutputs(expected, plan.run(probe))) {
    plan.forgetInitial();
    return { plan, reason: null };
  }
  plan.mode = "restore";
  plan.poison();
  if (sameOutputs(expected, plan.run(probe))) return { plan, reason: null };
  return { plan: null, reason: "the replay differs from the eager pass" };
}
