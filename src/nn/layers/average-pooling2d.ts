// nn/layers/average-pooling2d: AveragePooling2D, the mean (padding not counted) of each poolSize window of (batch, height, width, channels) inputs
// (or channels-first with dataFormat).
import { avgPool2d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { BasePooling, type PoolingArgs } from "./base-pooling.js";

/** Keras AveragePooling2D: poolSize 2, strides default to poolSize, padding "valid". */
export class AveragePooling2D extends BasePooling {
  static override readonly className = "AveragePooling2D";

  constructor(args: PoolingArgs = {}) {
    super(args, 2);
  }

  protected override pool(x: Tensor): Tensor {
    return avgPool2d(x, this.poolSize, { strides: this.strides, padding: this.padding });
  }
}
registerLayer("AveragePooling2D", AveragePooling2D);
