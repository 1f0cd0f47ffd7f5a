// nn/layers/conv1d: Conv1D, a 1-D convolution over (batch, steps, channels) inputs (or
// channels-first with dataFormat); "causal" padding makes output t depend on inputs up to t only.
import { conv1d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallContext, LayerInputs } from "../layer.js";
import { registerLayer } from "../registry.js";
import { Conv, type ConvArgs } from "./conv.js";

/**
 * 1-D convolution layer (Keras Conv1D): kernel (K, channels / groups, filters).
 * @example
 * const c = new Conv1D({ filters: 8, kernelSize: 3, padding: "causal" });
 * c.apply(randn([4, 20, 2])).shape; // [4, 20, 8]
 */
export class Conv1D extends Conv {
  static override readonly className = "Conv1D";

  constructor(args: ConvArgs) {
    super(args, 1, ["valid", "same", "causal"]);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.channelsLast(this.single(inputs));
    this.checkChannels(x);
    const y = conv1d(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      bias: this.bias,
      activation: this.epilogue,
    });
    return this.finish(y);
  }
}
registerLayer("Conv1D", Conv1D);
