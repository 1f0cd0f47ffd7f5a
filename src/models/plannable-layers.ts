// models/plannable-layers: which layers an inference plan (models/inference-plan) may replay. A
// plan replays the kernel calls of one recorded forward pass, so a layer qualifies only when its
// inference call is kernel calls whose order and arguments depend on shapes and configuration
// alone: no values read in JavaScript, no state kept between calls, no masks. Listed by class
// (the class must declare its own className, so a user's subclass with another call() is not
// mistaken for its parent); the entry's predicate rules out configurations that break the rule.
// Anything else, custom layers included, runs eagerly: correct first, fast where proven.
import type { Layer } from "../nn/layer.js";
import { Embedding } from "../nn/layers/embedding.js";
import { RecurrentLayer } from "../nn/layers/recurrent-base.js";

type LayerCheck = (layer: Layer) => string | null;

const always: LayerCheck = () => null;

/** Recurrent layers carry state between calls when stateful; masks never reach them (no masking layer is listed). */
const recurrent: LayerCheck = (layer) =>
  layer instanceof RecurrentLayer && layer.stateful
    ? "a stateful recurrent layer keeps state between calls"
    : null;

/** maskZero makes a mask from the ids, which later layers read. */
const embedding: LayerCheck = (layer) =>
  layer instanceof Embedding && layer.maskZero ? "maskZero produces a mask" : null;

const PLANNABLE: Readonly<Record<string, LayerCheck>> = {
  InputLayer: always,
  Dense: always,
  Activation: always,
  Dropout: always,
  GaussianNoise: always,
  Flatten: always,
  Reshape: always,
  Permute: always,
  RepeatVector: always,
  Conv1D: always,
  Conv2D: always,
  Conv2DTranspose: always,
  DepthwiseConv2D: always,
  SeparableConv2D: always,
  MaxPooling1D: always,
  MaxPooling2D: always,
  AveragePooling1D: always,
  AveragePooling2D: always,
  GlobalAveragePooling1D: always,
  GlobalAveragePooling2D: always,
  GlobalMaxPooling1D: always,
  GlobalMaxPooling2D: always,
  ZeroPadding2D: always,
  Cropping2D: always,
  UpSampling2D: always,
  BatchNormalization: always,
  LayerNormalization: always,
  RMSNormalization: always,
  GroupNormalization: always,
  Embedding: embedding,
  LSTM: recurrent,
  GRU: recurrent,
  SimpleRNN: recurrent,
  Add: always,
  Subtract: always,
  Multiply: always,
  Average: always,
  Maximum: always,
  Minimum: always,
  Concatenate: always,
};

/** The models whose own call only runs their layers (a subclassed Model's call is user code). */
const CONTAINERS = new Set(["Sequential", "Functional"]);

function ownClassName(layer: Layer): string | null {
  const ctor = layer.constructor as { className?: unknown };
  return Object.hasOwn(ctor, "className") && typeof ctor.className === "string" ? ctor.className : null;
}

/**
 * Why `layer` (a model: every layer inside it) cannot be replayed from a plan, or null when it can.
 * @example
 * unplannableReason(sequential([layers.dense({ units: 2, inputShape: [3] })])); // null
 */
export function unplannableReason(layer: Layer): string | null {
  const name = ownClassName(layer);
  if (name !== null && CONTAINERS.has(name)) {
    for (const child of layer.childLayers()) {
      const reason = unplannableReason(child);
      if (reason !== null) return reason;
    }
    return null;
  }
  const check = name === null ? undefined : PLANNABLE[name];
  if (check === undefined)
    return `layer "${layer.name}" (${name ?? layer.constructor.name}) is not plannable`;
  const reason = check(layer);
  return reason === null ? null : `layer "${layer.name}": ${reason}`;
}
