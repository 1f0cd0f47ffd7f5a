// nn/layers/average-pooling1d: AveragePooling1D, the mean (padding not counted) of each poolSize window of (batch, steps, channels) inputs
// (or channels-first with dataFormat).
import { avgPool1d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { BasePooling, type PoolingArgs } from "./base-pooling.js";

/** Keras AveragePooling1D: poolSize 2, strides default to poolSize, padding "valid". */
export class AveragePooling1D extends BasePooling {
  static override readonly className = "AveragePooling1D";

  constructor(args: PoolingArgs = {}) {
    super(args, 1);
  }

  protected override pool(x: Tensor): Tensor {
    return avgPool1d(x, this.poolSize, { strides: this.strides, padding: this.padding });
  }
}
registerLayer("AveragePooling1D", AveragePooling1D);
