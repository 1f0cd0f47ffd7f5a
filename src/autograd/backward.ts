// autograd/backward: recording graph nodes and walking them in reverse topological order,
// accumulating each leaf's gradient into `.grad`.

import { kernels } from "../backend/registry.js";
import { allocate } from "../core/dtype.js";
import { DTypeError, GradError, ShapeError } from "../core/errors.js";
import { formatShape, shapesEqual, stridesOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "./mode.js";

/**
 * Marks `out` as computed from `inputs` by `op` when recording is on and some input requires a
 * gradient. `backward` maps the gradient of `out` to one gradient per input.
 */
export function record(
  op: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.gradNode = { op, inputs, backward };
  return out;
}

/** Adds b into a (same shape and dtype), returning a new tensor. */
function addTensors(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  const strides = stridesOf(a.shape);
  kernels().binary.add(a.data, strides, b.data, strides, out, a.shape);
  return new Tensor(out, a.shape);
}

function topologicalOrder(root: Tensor): Tensor[] {
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
    for (const input of top.t.gradNode?.inputs ?? [])
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
  }
  return order.reverse();
}

/**
 * Computes gradients of `root` with respect to every tensor it depends on that requires one, and
 * adds them into their `.grad`. A non-scalar root needs an upstream gradient of its shape.
 */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new GradError("backward: the tensor does not require a gradient (no input had requiresGrad: true)");
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new GradError(
        `backward: a gradient can only be implied for a scalar output (got shape ${formatShape(root.shape)}); pass an upstream gradient`,
      );
    }
    const one = allocate(root.dtype, 1);
    one[0] = 1;
    seed = new Tensor(one, root.shape);
  } else {
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw new ShapeError(
        `backward: upstream gradient shape ${formatShape(gradient.shape)} differs from output shape ${formatShape(root.shape)}`,
      );
    }
    if (gradient.dtype !== root.dtype) {
      throw new DTypeError(
        `backward: upstream gradient dtype ${gradient.dtype} differs from output dtype ${root.dtype}`,
      );
    }
    seed = gradient;
  }
  // NOTE: one gradient array may reach several leaves (add passes its dy to both inputs, reshape
  // shares data) and the seed may be the caller's tensor. A leaf's first gradient is taken as is
  // unless its array was already handed out (or is the seed's): .grad arrays never alias, and the
  // common case, every parameter with a gradient array of its own, copies nothing.
  const handedOut = new Set([seed.data]);
  propagate(root, seed, (leaf, dy) => {
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
 * Gradients of a one-element `root` with respect to `leaves` (null where it does not depend on
 * one), computed without touching the `.grad` of any tensor: what grad() and valueAndGrad() need,
 * so they never accumulate into parameters a function merely closes over.
 */
export function gradientsOf(root: Tensor, leaves: readonly Tensor[]): (Tensor | null)[] {
  if (root.size !== 1) {
    throw new GradError(`gradientsOf: expected a one-element output (got shape ${formatShape(root.shape)})`);
  }
  const wanted = new Set(leaves);
  const found = new Map<Tensor, Tensor>();
  if (root.requiresGrad) {
    const one = allocate(root.dtype, 1);
    one[0] = 1;
    propagate(root, new Tensor(one, root.shape), (leaf, dy) => {
      if (wanted.has(leaf)) found.set(leaf, copyOf(dy));
    });
  }
  return leaves.map((leaf) => found.get(leaf) ?? null);
}

function copyOf(t: Tensor): Tensor {
  return new Tensor(t.data.slice(), t.shape);
}

/** Walks the graph from root in reverse topological order; onLeaf gets each leaf's total gradient. */
function propagate(root: Tensor, seed: Tensor, onLeaf: (leaf: Tensor, dy: Tensor) => void): void {
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    for (const t of topologicalOrder(root)) {
      const dy = grads.get(t);
      if (dy === undefined) continue;
      const node = t.gradNode;
      if (node === null) {
        onLeaf(t, dy);
        continue;
      }
      grads.delete(t); // free intermediate gradients as soon as they are consumed
      const dxs = node.backward(dy);
      node.inputs.forEach((input, i) => {
        const dx = dxs[i];
        if (!input.requiresGrad || dx === null || dx === undefined) return;
        if (!shapesEqual(dx.shape, input.shape)) {
          throw new ShapeError(
            `backward: gradient rule of ${node.op} returned shape ${formatShape(dx.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? dx : addTensors(prev, dx));
      });
    }
  });
}

/** Clears `.grad` of each tensor. */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  for (const t of tensors) t.grad = null;
}
