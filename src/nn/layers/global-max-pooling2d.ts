// nn/layers/global-max-pooling2d: GlobalMaxPooling2D, the max over the spatial axes: (batch, height, width, channels) -> (batch, channels)
// (channels-first with dataFormat; keepdims keeps the spatial axes with size 1).
import { registerLayer } from "../registry.js";
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./base-global-pooling.js";

/** Keras GlobalMaxPooling2D. */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className = "GlobalMaxPooling2D";

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, "max");
  }
}
registerLayer("GlobalMaxPooling2D", GlobalMaxPooling2D);
