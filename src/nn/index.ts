// nn: the Layer base class, the built-in layers, activations, initializers, regularizers and
// constraints, and the closed registry configs are read through.
export * as activations from "./activations.js";
export {
  type Activation,
  type ActivationFn,
  getActivation,
  listActivations,
  registerActivation,
} from "./activations.js";
export * from "./config.js";
export * as constraints from "./constraints.js";
export { Constraint, type ConstraintIdentifier, getConstraint, registerConstraint } from "./constraints.js";
export * as initializers from "./initializers.js";
export {
  type FloatDType,
  getInitializer,
  Initializer,
  type InitializerIdentifier,
  registerInitializer,
} from "./initializers.js";
export { activeKVCache, KVCache, type KVCacheEntry, withKVCache } from "./kv-cache.js";
export {
  type CallContext,
  type CallOptions,
  Layer,
  type LayerArgs,
  type LayerInputs,
  type LayerShape,
  type WeightEntry,
  type WeightOptions,
} from "./layer.js";
export { resetLayerNames, toSnakeCase, uniqueLayerName } from "./layer-names.js";
export * as layers from "./layers/index.js";
export { input } from "./layers/input.js";
export { getMask, type MaskList, setMask } from "./mask.js";
export {
  deserializeLayer,
  type LayerClass,
  registeredLayers,
  registerLayer,
  serializeLayer,
} from "./registry.js";
export * as regularizers from "./regularizers.js";
export {
  getRegularizer,
  Regularizer,
  type RegularizerIdentifier,
  registerRegularizer,
} from "./regularizers.js";
export { formatSymbolicShape, Node, type SymbolicShape, SymbolicTensor } from "./symbolic-tensor.js";
