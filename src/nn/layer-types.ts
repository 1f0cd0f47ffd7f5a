// nn/layer-types: the option and argument types of the Layer base class (what a layer accepts,
// what apply() takes, what call() receives). Layer: nn.
import type { Tensor } from "../tensor/tensor.js";
import type { FloatDType } from "./initializers.js";
import type { MaskList } from "./mask.js";
import type { SymbolicShape } from "./symbolic-tensor.js";

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique name; "dense", "dense_1", ... by default. */
  name?: string;
  /** false freezes the layer: its weights get no gradient and are not updated. */
  trainable?: boolean;
  /** Dtype of the weights and of the computation (inputs are cast to it). Default float32. */
  dtype?: FloatDType;
  /** Shape of one sample (without the batch axis), for the first layer of a sequential model. */
  inputShape?: readonly (number | null)[];
  /** Fixed batch size that goes with inputShape. */
  batchSize?: number;
}

/** Options of apply(). */
export interface CallOptions {
  /** Training mode (dropout active, batch statistics). Inherited from the enclosing call, else false. */
  training?: boolean;
  /**
   * Masks of the inputs (one, or one per input; null where none), overriding the masks attached to
   * the input tensors by the layers that produced them (Embedding maskZero, Masking).
   */
  mask?: Tensor | null | MaskList;
}

/** What call() receives: the resolved training flag and the inputs' masks. */
export interface CallContext {
  readonly training: boolean;
  /** Mask of the first input ((B, T) bool), or null. */
  readonly mask?: Tensor | null;
  /** One mask per input, null where an input has none. */
  readonly masks?: MaskList;
}

/** The inputs call() receives: one tensor, or a list for multi-input layers. */
export type LayerInputs = Tensor | readonly Tensor[];
/** A build/output shape: one shape, or one per input/output. */
export type LayerShape = SymbolicShape | readonly SymbolicShape[];
