// autograd/scratch-activations: forward activations a layer declares private to its own call, so a
// training step's backward() may recycle their arrays instead of leaving them to the garbage
// collector (a tiny GPT step computes about 35 MB of them; as fresh external memory they forced
// two scavenges and a major GC per step). A layer marks the region of the graph its call recorded:
// every tensor recorded after the call began that its output depends on, which the call created
// and which only the recorded ops leading to the output read. backward() (not gradientsOf, not
// createGraph, not retainGraph) hands those arrays to core/buffer-pool once its walk is done, and
// the nodes that saved them refuse a second walk with a GradError instead of reading recycled
// memory (PyTorch's "backward through the graph a second time"). Tensors recorded before the call
// (its inputs), leaves (weights) and anything unrecorded (masks, constants) are boundaries: their
// arrays, and views of them, are never marked.

import type { TypedArray } from "../core/dtype.js";
import type { GradNode, Tensor } from "../tensor/tensor.js";

let serial = 0;

/** The serial of the next recorded node (autograd/backward's record numbers its nodes with it). */
export function nextNodeSerial(): number {
  return ++serial;
}

/** How many nodes have been recorded so far: pass it to markScratchRegion as `since`. */
export function recordedNodes(): number {
  return serial;
}

/** Buffers of marked region tensors. */
const scratch = new WeakSet<ArrayBufferLike>();
/** Nodes whose saved arrays a walk recycled. */
const consumed = new WeakSet<GradNode>();

/**
 * Marks every tensor of `output`'s graph recorded after `since` (= recordedNodes() when the call
 * began) as a scratch activation, `output` itself excluded: the caller promises that its call
 * created them and that nothing but the ops leading to `output` reads them. Buffers shared with a
 * boundary (an earlier tensor, a leaf, anything unrecorded, and views of those) are left alone.
 * Returns `output`.
 * @example
 * const since = recordedNodes();
 * return markScratchRegion(since, feedforward(attention(x)));
 */
export function markScratchRegion(since: number, output: Tensor): Tensor {
  if (output.gradNode === null || output.gradNode.serial <= since) return output;
  const inside: Tensor[] = [];
  const boundary = new Set<ArrayBufferLike>([output.data.buffer]);
  const seen = new Set<Tensor>([output]);
  const stack: Tensor[] = [...output.gradNode.inputs];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (t.gradNode === null || t.gradNode.serial <= since) {
      boundary.add(t.data.buffer);
      continue;
    }
    inside.push(t);
    for (const input of t.gradNode.inputs) stack.push(input);
  }
  for (const t of inside) if (!boundary.has(t.data.buffer)) scratch.add(t.data.buffer);
  return output;
}

/** True when `t`'s array belongs to a marked region (and has not been recycled yet). */
export function isScratch(t: Tensor): boolean {
  return scratch.has(t.data.buffer);
}

/** True when a backward() walk recycled arrays this node's rule reads. */
export function isConsumed(node: GradNode): boolean {
  return consumed.has(node);
}

/** Collects, during one backward() walk, the scratch arrays its nodes read. */
export class ScratchCollector {
  private readonly arrays = new Map<ArrayBufferLike, TypedArray>();
  private readonly nodes: GradNode[] = [];

  /** `node` (which computed `output`) was walked. */
  visit(node: GradNode, output: Tensor): void {
    // a consumed node's arrays were recycled already and may belong to newer tensors by now
    if (consumed.has(node)) return;
    let reads = this.take(output);
    for (const input of node.inputs) if (this.take(input)) reads = true;
    if (reads) this.nodes.push(node);
  }

  private take(t: Tensor): boolean {
    const a = t.data;
    if (!scratch.has(a.buffer)) return false;
    // keep an array spanning the whole buffer (the pool takes only those)
    if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) this.arrays.set(a.buffer, a);
    return true;
  }

  /** After the walk: the visited nodes become unwalkable and `release` gets each array once. */
  finish(release: (array: TypedArray) => void): void {
    for (const node of this.nodes) consumed.add(node);
    for (const [buffer, array] of this.arrays) {
      scratch.delete(buffer);
      release(array);
    }
  }
}
