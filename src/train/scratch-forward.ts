// train/scratch-forward: the default training step's forward pass, with the activations between the
// batch and the prediction marked as scratch (autograd/scratch-activations) when nothing but the ops
// leading to the prediction can read them: the model is a plain Sequential (not a subclass) whose
// layers are all of the built-in kinds below, exactly (not subclasses, no call patched on the
// instance), whose calls keep no tensor past the call. backward() then recycles those arrays into
// the buffer pool instead of leaving them to the garbage collector: the Keras convnet's conv, pool
// and dropout outputs (23 MB of fresh memory per step at batch 128, a quarter of the step's CPU in
// V8's GC threads). Any other model (functional, a custom or stateful layer, a subclass that may
// keep its inputs) trains as before.
import { markScratchRegion, recordedNodes } from "../autograd/scratch-activations.js";
import type { Model } from "../models/model.js";
import { Sequential } from "../models/sequential.js";
import { Activation } from "../nn/layers/activation.js";
import { AveragePooling1D } from "../nn/layers/average-pooling1d.js";
import { AveragePooling2D } from "../nn/layers/average-pooling2d.js";
import { Conv1D } from "../nn/layers/conv1d.js";
import { Conv2D } from "../nn/layers/conv2d.js";
import { Dense } from "../nn/layers/dense.js";
import { Dropout } from "../nn/layers/dropout.js";
import { Flatten } from "../nn/layers/flatten.js";
import { MaxPooling1D } from "../nn/layers/max-pooling1d.js";
import { MaxPooling2D } from "../nn/layers/max-pooling2d.js";
import { Reshape } from "../nn/layers/reshape.js";
import type { Tensor } from "../tensor/tensor.js";

/** Layer classes whose call records ops on its input and keeps nothing (no state, cache or stored tensor). */
const STATELESS_LAYERS: ReadonlySet<unknown> = new Set([
  Activation,
  AveragePooling1D,
  AveragePooling2D,
  Conv1D,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  MaxPooling1D,
  MaxPooling2D,
  Reshape,
]);

/** True when `model`'s training forward pass may mark its activations as scratch (see the header). */
export function hasPrivateActivations(model: Model): boolean {
  const layers = model.layers;
  if (model.constructor !== Sequential || layers.length === 0) return false;
  // a call replaced on the instance (privacy's layer capture, a user's patch) may keep what it sees
  return layers.every((layer) => STATELESS_LAYERS.has(layer.constructor) && !Object.hasOwn(layer, "call"));
}

/**
 * Runs `forward` (the model on a batch in training mode) and, for a model with private activations,
 * marks what it recorded before each prediction as scratch; the predictions themselves, the batch
 * and the weights are boundaries and keep their arrays.
 */
export function scratchForward(model: Model, forward: () => Tensor[]): Tensor[] {
  if (!hasPrivateActivations(model)) return forward();
  const since = recordedNodes();
  const predictions = forward();
  // a Sequential has one output; were there several, each would stay a boundary of the others
  if (predictions.length === 1) markScratchRegion(since, predictions[0]!);
  return predictions;
}
