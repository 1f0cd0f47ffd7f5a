// nn/layers/global-average-pooling2d: GlobalAveragePooling2D, the mean over the spatial axes: (batch, height, width, channels) -> (batch, channels)
// (channels-first with dataFormat; keepdims keeps the spatial axes with size 1).
import { registerLayer } from "../registry.js";
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./base-global-pooling.js";

/** Keras GlobalAveragePooling2D. */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className = "GlobalAveragePooling2D";

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, "mean");
  }
}
registerLayer("GlobalAveragePooling2D", GlobalAveragePooling2D);
