// nn/mask: Keras-style masks carried beside tensors. A mask is a bool tensor (B, T) saying which
// time steps of a (B, T, ...) tensor are real (true) rather than padding. Layers attach the masks
// of their outputs here (Embedding with maskZero, Masking) and read those of their inputs (recurrent
// layers, attention); the side table holds no tensor alive, so nothing needs releasing.
import type { Tensor } from "../tensor/tensor.js";

const masks = new WeakMap<Tensor, Tensor>();

/** The mask attached to a tensor by the layer that produced it, or null. */
export function getMask(tensor: Tensor): Tensor | null {
  return masks.get(tensor) ?? null;
}

/** Attaches a mask to a tensor (null removes it). */
export function setMask(tensor: Tensor, mask: Tensor | null): void {
  if (mask === null) masks.delete(tensor);
  else masks.set(tensor, mask);
}

/** The mask(s) a layer call sees or produces: one per tensor, null where there is none. */
export type MaskList = readonly (Tensor | null)[];
