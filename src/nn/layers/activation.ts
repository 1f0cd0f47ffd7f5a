// nn/layers/activation: Activation, applies a named activation function elementwise.
import type { Tensor } from "../../tensor/tensor.js";
import { type Activation as ActivationEntry, type ActivationName, getActivation } from "../activations.js";
import type { ConfigObject } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";

export interface ActivationArgs extends LayerArgs {
  /** A registered activation name ("relu", "softmax", "leaky_relu", ...). */
  activation: ActivationName;
}

/**
 * Applies an activation function.
 * @example
 * new Activation({ activation: "relu" }).apply(tensor([[-1, 2]])); // [[0, 2]]
 */
export class Activation extends Layer {
  static override readonly className = "Activation";
  readonly activation: ActivationEntry;

  constructor(args: ActivationArgs) {
    super(args);
    this.supportsMasking = true;
    this.activation = getActivation(args.activation, "Activation activation");
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    return this.activation.fn(this.single(inputs));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}
registerLayer("Activation", Activation);
