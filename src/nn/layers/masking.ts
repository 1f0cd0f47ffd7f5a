// nn/layers/masking: Masking (Keras): a time step whose features all equal `maskValue` is padding.
// The output zeroes those steps and carries a (B, T) mask for recurrent layers and attention.
import { any, cast, mul, notEqual } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, finiteNumber, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { registerLayer } from "../registry.js";

export interface MaskingArgs extends LayerArgs {
  /** The padding value (default 0). */
  maskValue?: number;
}

/**
 * Masks time steps whose every feature equals maskValue.
 * @example
 * const m = new Masking({ maskValue: 0 });
 * const y = m.apply(x); // getMask(y) is (B, T) bool
 */
export class Masking extends Layer {
  static override readonly className = "Masking";
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    this.supportsMasking = true;
    this.maskValue = optional(args.maskValue, 0, (v) => finiteNumber("Masking", "maskValue", v));
  }

  /** (..., T) bool: whether any feature of a step differs from maskValue. */
  private keep(x: Tensor): Tensor {
    return any(notEqual(x, this.maskValue), -1);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    return mul(x, cast(any(notEqual(x, this.maskValue), -1, { keepDims: true }), x.dtype));
  }

  override computeMask(inputs: LayerInputs, _masks: MaskList): Tensor {
    return this.keep(this.single(inputs));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
registerLayer("Masking", Masking);
