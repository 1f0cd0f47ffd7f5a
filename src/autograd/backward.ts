// autograd/backward: recording graph nodes and walking them in reverse topological order,
// accumulating each leaf's gradient into `.grad`. With createGraph the walk itself records (the
// gradient rules run with recording on and sums use a recorded add), so a gradient can be
// differentiated again; without it the walk runs under noGrad on raw arrays, the training fast path.

import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit } from "../core/dtype.js";
import { DTypeError, GradError, ShapeError } from "../core/errors.js";
import { formatShape, shapesEqual, stridesOf } from "../core/shape.js";
import { type GradNode, Tensor } from "../tensor/tensor.js";
import { type GradientRecycler, withRecycler } from "./gradient-recycler.js";
import { enableGrad, isGradEnabled, noGrad } from "./mode.js";
import { isConsumed, nextNodeSerial, ScratchCollector } from "./scratch-activations.js";

/**
 * How a node is differentiated a second time. Omitted: the gradient rule is written in recorded
 * ops, so running it with recording on is enough. A function: the op's composed form (the same
 * math in differentiable ops), recomputed from the node's inputs and differentiated when a graph
 * is created; fused ops whose rule calls a raw kernel give one. "unsupported": the rule cannot be
 * differentiated again, and a second-order gradient through it raises a GradError naming the op.
 */
export type HigherOrder = ((inputs: readonly Tensor[]) => Tensor) | "unsupported";

const higherOrderOf = new WeakMap<GradNode, HigherOrder>();

/**
 * Marks `out` as computed from `inputs` by `op` when recording is on and some input requires a
 * gradient. `backward` maps the gradient of `out` to one gradient per input; `higherOrder` says how
 * that rule is differentiated again (see HigherOrder) when it calls raw kernels.
 */
export function record(
  op: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
  higherOrder?: HigherOrder,
): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  const node: GradNode = { op, inputs, serial: nextNodeSerial(), backward };
  if (higherOrder !== undefined) higherOrderOf.set(node, higherOrder);
  out.gradNode = node;
  return out;
}

/** Options of backward(). */
export interface BackwardOptions {
  /**
   * Record the backward pass itself, so the gradients (in `.grad`) are part of the graph and can
   * be differentiated again (second and higher derivatives). Default false: the fast path.
   */
  createGraph?: boolean;
  /**
   * Keep the graph walkable by a later backward(). Default false: the scratch activations layers
   * marked private (autograd/scratch-activations) are recycled after the walk, and a second walk
   * through the nodes that saved them raises a GradError.
   */
  retainGraph?: boolean;
}

/** a + b (same shape and dtype) as a new tensor; recorded when recording is on. */
export function addTensors(a: Tensor, b: Tensor): Tensor {
  const out = allocateUninit(a.dtype, a.size); // the kernel writes every element
  const strides = stridesOf(a.shape);
  kernels().binary.add(a.data, strides, b.data, strides, out, a.shape);
  return record("add", new Tensor(out, a.shape), [a, b], (dy) => [dy, dy]);
}

/** acc += b in place (same shape and dtype); for a walk-owned gradient nothing else can see. */
function addInto(acc: Tensor, b: Tensor): void {
  const strides = stridesOf(acc.shape);
  kernels().binary.add(acc.data, strides, b.data, strides, acc.data, acc.shape);
}

/** A copy of t with its own data array; recorded (gradient passes through) when recording is on. */
function copyOf(t: Tensor): Tensor {
  return record("clone", new Tensor(t.data.slice(), t.shape), [t], (dy) => [dy]);
}

/** t's data under a new tensor linked to t by an identity node when t is part of a recorded graph. */
export function linkedLeaf(t: Tensor): Tensor {
  const out = record("identity", new Tensor(t.data, t.shape), [t], (dy) => [dy]);
  out.requiresGrad = true;
  return out;
}

/** Tensors root depends on, root first, each before its inputs; the walk stops at `stopAt`. */
function topologicalOrder(root: Tensor, stopAt: ReadonlySet<Tensor>): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative DFS so deep graphs (long RNN unrolls) do not overflow the stack
  const stack: { t: Tensor; expanded: boolean }[] = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.t);
      continue;
    }
    if (visited.has(top.t)) continue;
    visited.add(top.t);
    stack.push({ t: top.t, expanded: true });
    if (stopAt.has(top.t)) continue;
    for (const input of top.t.gradNode?.inputs ?? [])
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
  }
  return order.reverse();
}

/** The seed gradient of a backward pass from root: ones for a scalar, else the caller's. */
function seedFor(op: string, root: Tensor, gradient: Tensor | undefined): Tensor {
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new GradError(
        `${op}: a gradient can only be implied for a scalar output (got shape ${formatShape(root.shape)}); pass an upstream gradient`,
      );
    }
    const one = allocate(root.dtype, 1);
    one[0] = 1;
    return new Tensor(one, root.shape);
  }
  if (!(gradient instanceof Tensor)) throw new GradError(`${op}: the upstream gradient must be a Tensor`);
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(
      `${op}: upstream gradient shape ${formatShape(gradient.shape)} differs from output shape ${formatShape(root.shape)}`,
    );
  }
  if (gradient.dtype !== root.dtype) {
    throw new DTypeError(
      `${op}: upstream gradient dtype ${gradient.dtype} differs from output dtype ${root.dtype}`,
    );
  }
  return gradient;
}

/**
 * Computes gradients of `root` with respect to every tensor it depends on that requires one, and
 * adds them into their `.grad`. A non-scalar root needs an upstream gradient of its shape.
 * @example
 * const x = tensor([2], { requiresGrad: true });
 * backward(sum(pow(x, 3)), undefined, { createGraph: true }); // x.grad = 12, itself differentiable
 */
export function backward(
  root: Tensor,
  gradient?: Tensor | BackwardOptions,
  options: BackwardOptions = {},
): void {
  if (gradient !== undefined && !(gradient instanceof Tensor)) {
    backward(root, undefined, gradient);
    return;
  }
  if (!root.requiresGrad) {
    throw new GradError("backward: the tensor does not require a gradient (no input had requiresGrad: true)");
  }
  const seed = seedFor("backward", root, gradient);
  const createGraph = options.createGraph ?? false;
  // NOTE: one gradient array may reach several leaves (add passes its dy to both inputs, reshape
  // shares data) and the seed may be the caller's tensor. A leaf's first gradient is taken as is
  // unless its array was already handed out (or is the seed's): .grad arrays never alias, and the
  // common case, every parameter with a gradient array of its own, copies nothing.
  const handedOut = new Set([seed.data]);
  const scratch = createGraph || options.retainGraph === true ? null : new ScratchCollector();
  propagate(root, seed, createGraph, new Set(), scratch, (leaf, dy) => {
    if (leaf.grad !== null) {
      leaf.grad = addTensors(leaf.grad, dy);
      return;
    }
    const own = handedOut.has(dy.data) ? copyOf(dy) : dy;
    handedOut.add(own.data);
    leaf.grad = own;
  });
}

/**
 * Gradients of `root` with respect to `wrt` (null where root does not depend on one), seeded with
 * `gradient` (ones for a one-element root), without touching any `.grad`: what grad(),
 * valueAndGrad(), jvp() and hvp() build on. The walk stops at the `wrt` tensors, so they need not
 * be leaves. With createGraph the results are part of the graph and can be differentiated again.
 */
export function gradientsOf(
  root: Tensor,
  wrt: readonly Tensor[],
  gradient?: Tensor,
  options: BackwardOptions = {},
): (Tensor | null)[] {
  const seed = seedFor("gradientsOf", root, gradient);
  const createGraph = options.createGraph ?? false;
  const wanted = new Set(wrt);
  const found = new Map<Tensor, Tensor>();
  if (root.requiresGrad) {
    propagate(root, seed, createGraph, wanted, null, (leaf, dy) => {
      if (wanted.has(leaf)) found.set(leaf, dy);
    });
  }
  // copies, so no two results (and no result and the seed) share an array
  const handedOut = new Set([seed.data]);
  return wrt.map((t) => {
    const g = found.get(t);
    if (g === undefined) return null;
    const own = handedOut.has(g.data)
      ? createGraph
        ? enableGrad(() => copyOf(g))
        : noGrad(() => copyOf(g))
      : g;
    handedOut.add(own.data);
    return own;
  });
}

/** The gradients of node's inputs for dy when a graph is being created (see HigherOrder). */
function differentiableRule(node: GradNode, dy: Tensor): readonly (Tensor | null)[] {
  const how = higherOrderOf.get(node);
  if (how === undefined) return node.backward(dy);
  if (how === "unsupported") {
    const dxs = noGrad(() => node.backward(dy));
    return dxs.map((dx) =>
      dx === null
        ? null
        : record(`${node.op} gradient`, new Tensor(dx.data, dx.shape), [dy, ...node.inputs], () => {
            throw new GradError(
              `backward: the gradient of ${node.op} cannot be differentiated again (no second-order rule); compute higher derivatives through the composed ops instead`,
            );
          }),
    );
  }
  // recompute the op in composed form from the same inputs and differentiate that, recording
  const y = how(node.inputs);
  if (!shapesEqual(y.shape, dy.shape)) {
    throw new ShapeError(
      `backward: the composed form of ${node.op} gave shape ${formatShape(y.shape)} for an output of shape ${formatShape(dy.shape)}`,
    );
  }
  const found = new Map<Tensor, Tensor>();
  if (y.requiresGrad) propagate(y, dy, true, new Set(node.inputs), null, (leaf, g) => found.set(leaf, g));
  // found holds each tensor's total over all its uses: a tensor passed twice (swiglu(x, x)) gets
  // it once, at its first position, or the caller would add it twice
  const given = new Set<Tensor>();
  return node.inputs.map((t) => {
    if (!t.requiresGrad || given.has(t)) return null;
    given.add(t);
    return found.get(t) ?? null;
  });
}

/**
 * Walks the graph from root in reverse topological order; onLeaf gets the total gradient of each
 * leaf and of each tensor in stopAt. createGraph records the walk (rules and sums). With a
 * `scratch` collector (backward() on the fast path) the scratch activations the walked nodes read
 * are recycled once it is done.
 */
function propagate(
  root: Tensor,
  seed: Tensor,
  createGraph: boolean,
  stopAt: ReadonlySet<Tensor>,
  scratch: ScratchCollector | null,
  onLeaf: (leaf: Tensor, dy: Tensor) => void,
): void {
  // recycler: on the fast path, dead intermediate gradient arrays go back to core/buffer-pool
  const walk = (recycler: GradientRecycler | null) => {
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    recycler?.hold(seed);
    for (const t of topologicalOrder(root, stopAt)) {
      // every node of the graph counts, also one no gradient reaches: it too reads its saved arrays
      if (recycler !== null && t.gradNode !== null) scratch?.visit(t.gradNode, t);
      const dy = grads.get(t);
      if (dy === undefined) continue;
      const node = t.gradNode;
      if (node === null || stopAt.has(t)) {
        recycler?.escape(dy);
        onLeaf(t, dy);
        continue;
      }
      if (isConsumed(node)) {
        throw new GradError(
          `backward: the graph through ${node.op} was already walked by backward() and its saved activations recycled; pass { retainGraph: true } to the first backward() to walk it again`,
        );
      }
      grads.delete(t); // free intermediate gradients as soon as they are consumed
      recycler?.drop(dy);
      const dxs = createGraph ? differentiableRule(node, dy) : node.backward(dy);
      node.inputs.forEach((input, i) => {
        const dx = dxs[i];
        if (dx === null || dx === undefined) return;
        if (!input.requiresGrad) {
          recycler?.consider(dx);
          return;
        }
        if (!shapesEqual(dx.shape, input.shape)) {
          throw new ShapeError(
            `backward: gradient rule of ${node.op} returned shape ${formatShape(dx.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        const prev = grads.get(input);
        if (prev !== undefined && recycler?.canAccumulateInto(prev, dy, dxs) === true) {
          addInto(prev, dx);
          recycler.consider(dx);
          return;
        }
        const total = prev === undefined ? dx : addTensors(prev, dx);
        grads.set(input, total);
        recycler?.hold(total);
        if (prev !== undefined) {
          recycler?.drop(prev);
          recycler?.consider(dx);
        }
      });
      recycler?.releaseDead();
    }
    if (recycler !== null) scratch?.finish((array) => recycler.releaseScratch(array));
  };
  if (createGraph) enableGrad(() => walk(null));
  else noGrad(() => withRecycler(walk));
}

/** Clears `.grad` of each tensor. */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  for (const t of tensors) t.grad = null;
}
