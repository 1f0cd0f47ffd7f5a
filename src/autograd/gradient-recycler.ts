// autograd/gradient-recycler: the bookkeeping that lets backward()'s walk hand dead intermediate
// gradient arrays to core/buffer-pool. A gradient array is dead once the rule that consumed it has
// returned and no pending gradient, no returned gradient and no `.grad` (or gradientsOf result)
// shares its buffer: gradients flow along the graph and nothing else holds them (a rule may pass
// its dy through, as add and reshape do, which the counts see). Only arrays the walk itself
// allocated are ever released (core/buffer-pool checks), so forward tensors and the caller's
// seed are never touched. Used by the fast path only (no createGraph).

import {
  beginPoolScope,
  bornInScope,
  endPoolScope,
  isBufferPoolingEnabled,
  noteAllocated,
  releaseToPool,
} from "../core/buffer-pool.js";
import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../tensor/tensor.js";

/** Counts of pending gradients per buffer, and the buffers that left the walk. */
export class GradientRecycler {
  private readonly held = new Map<ArrayBufferLike, number>();
  private readonly escaped = new Set<ArrayBufferLike>();
  private candidates: Tensor[] = [];

  /** A gradient entered the pending map. */
  hold(g: Tensor): void {
    const buffer = g.data.buffer;
    this.held.set(buffer, (this.held.get(buffer) ?? 0) + 1);
  }

  /** A gradient left the pending map; it becomes a candidate for release. */
  drop(g: Tensor): void {
    const buffer = g.data.buffer;
    const count = (this.held.get(buffer) ?? 0) - 1;
    if (count > 0) this.held.set(buffer, count);
    else this.held.delete(buffer);
    this.candidates.push(g);
  }

  /** A gradient that may be dead once the current node is done (a consumed operand of a sum). */
  consider(g: Tensor): void {
    this.candidates.push(g);
  }

  /**
   * True when the pending gradient `prev` may be summed into in place: the walk allocated its
   * buffer, its own pending entry is the only one holding it, nothing left the walk with it, and
   * neither the node's dy nor any gradient the node's rule returned shares it.
   */
  canAccumulateInto(prev: Tensor, dy: Tensor, dxs: readonly (Tensor | null | undefined)[]): boolean {
    const buffer = prev.data.buffer;
    if (this.held.get(buffer) !== 1 || this.escaped.has(buffer) || !bornInScope(prev.data)) return false;
    if (dy.data.buffer === buffer) return false;
    for (const dx of dxs) if (dx !== null && dx !== undefined && dx.data.buffer === buffer) return false;
    return true;
  }

  /** A gradient handed outside the walk (a leaf's .grad, a gradientsOf result): never released. */
  escape(g: Tensor): void {
    this.escaped.add(g.data.buffer);
  }

  /**
   * After the walk: gives the pool a forward array the walk has proven dead (a scratch activation,
   * autograd/scratch-activations) unless a gradient of the walk shares it; the walk adopts it first.
   */
  releaseScratch(array: TypedArray): void {
    const buffer = array.buffer;
    if (this.held.has(buffer) || this.escaped.has(buffer)) return;
    noteAllocated(array);
    releaseToPool(array);
  }

  /** After a node: releases each candidate no pending gradient shares and none escaped. */
  releaseDead(): void {
    for (const g of this.candidates) {
      const buffer = g.data.buffer;
      if (!this.held.has(buffer) && !this.escaped.has(buffer)) releaseToPool(g.data);
    }
    this.candidates = [];
  }
}

let depth = 0;
/** The recycler of the walk running now, for retainGradient. */
let active: GradientRecycler | null = null;

/**
 * Marks a gradient a rule keeps beyond its own call (layer-capture's privacy taps store the dy
 * they pass on), so the running walk never recycles its array. Returns `g`.
 */
export function retainGradient(g: Tensor): Tensor {
  active?.escape(g);
  return g;
}

/**
 * Runs `walk` with a recycler (null when pooling is off, and inside a walk already running: a
 * nested walk recycles nothing, so the outer walk's counts stay the only ones that decide).
 */
export function withRecycler(walk: (recycler: GradientRecycler | null) => void): void {
  if (depth > 0 || !isBufferPoolingEnabled()) {
    walk(null);
    return;
  }
  depth++;
  beginPoolScope();
  active = new GradientRecycler();
  try {
    walk(active);
  } finally {
    active = null;
    endPoolScope();
    depth--;
  }
}
