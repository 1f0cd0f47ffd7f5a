// nn/layers/max-pooling2d: MaxPooling2D, the maximum of each poolSize window of (batch, height, width, channels) inputs
// (or channels-first with dataFormat).
import { maxPool2d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { BasePooling, type PoolingArgs } from "./base-pooling.js";

/** Keras MaxPooling2D: poolSize 2, strides default to poolSize, padding "valid". */
export class MaxPooling2D extends BasePooling {
  static override readonly className = "MaxPooling2D";

  constructor(args: PoolingArgs = {}) {
    super(args, 2);
  }

  protected override pool(x: Tensor): Tensor {
    return maxPool2d(x, this.poolSize, { strides: this.strides, padding: this.padding });
  }
}
registerLayer("MaxPooling2D", MaxPooling2D);
