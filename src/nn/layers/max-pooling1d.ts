// nn/layers/max-pooling1d: MaxPooling1D, the maximum of each poolSize window of (batch, steps, channels) inputs
// (or channels-first with dataFormat).
import { maxPool1d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { BasePooling, type PoolingArgs } from "./base-pooling.js";

/** Keras MaxPooling1D: poolSize 2, strides default to poolSize, padding "valid". */
export class MaxPooling1D extends BasePooling {
  static override readonly className = "MaxPooling1D";

  constructor(args: PoolingArgs = {}) {
    super(args, 1);
  }

  protected override pool(x: Tensor): Tensor {
    return maxPool1d(x, this.poolSize, { strides: this.strides, padding: this.padding });
  }
}
registerLayer("MaxPooling1D", MaxPooling1D);
