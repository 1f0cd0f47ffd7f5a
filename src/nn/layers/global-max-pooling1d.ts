// nn/layers/global-max-pooling1d: GlobalMaxPooling1D, the max over the spatial axes: (batch, steps, channels) -> (batch, channels)
// (channels-first with dataFormat; keepdims keeps the spatial axes with size 1).
import { registerLayer } from "../registry.js";
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./base-global-pooling.js";

/** Keras GlobalMaxPooling1D. */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly className = "GlobalMaxPooling1D";

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, "max");
  }
}
registerLayer("GlobalMaxPooling1D", GlobalMaxPooling1D);
