// nn/layers/global-average-pooling1d: GlobalAveragePooling1D, the mean over the spatial axes: (batch, steps, channels) -> (batch, channels)
// (channels-first with dataFormat; keepdims keeps the spatial axes with size 1).
import { registerLayer } from "../registry.js";
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./base-global-pooling.js";

/** Keras GlobalAveragePooling1D. */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly className = "GlobalAveragePooling1D";

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, "mean");
  }
}
registerLayer("GlobalAveragePooling1D", GlobalAveragePooling1D);
