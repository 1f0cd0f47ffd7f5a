// nn/layers/conv2d: Conv2D, a 2-D convolution over (batch, height, width, channels) inputs (or
// channels-first with dataFormat). Calls ops.conv2d, which fuses bias and relu/sigmoid/tanh.
import { conv2d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallContext, LayerInputs } from "../layer.js";
import { registerLayer } from "../registry.js";
import { Conv, type ConvArgs } from "./conv.js";

export interface Conv2DArgs extends ConvArgs {
  padding?: "valid" | "same";
}

/**
 * 2-D convolution layer (Keras Conv2D): kernel (KH, KW, channels / groups, filters).
 * @example
 * const c = new Conv2D({ filters: 32, kernelSize: 3, activation: "relu" });
 * c.apply(randn([8, 28, 28, 1])).shape; // [8, 26, 26, 32]
 */
export class Conv2D extends Conv {
  static override readonly className = "Conv2D";

  constructor(args: Conv2DArgs) {
    super(args, 2, ["valid", "same"]);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.channelsLast(this.single(inputs));
    this.checkChannels(x);
    const y = conv2d(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      bias: this.bias,
      activation: this.epilogue,
    });
    return this.finish(y);
  }
}
registerLayer("Conv2D", Conv2D);
