// nn/layers/base-global-pooling: what GlobalMax/AveragePooling1D/2D share: a max or mean over every
// spatial axis, dataFormat, and Keras 3's keepdims (keep the spatial axes with size 1).
import { max, mean } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { type DataFormat, dataFormatOption, joinShape, splitShape } from "./conv-utils.js";

export interface GlobalPoolingArgs extends LayerArgs {
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat | null;
  /** Keep the spatial axes (size 1) instead of dropping them. Default false. */
  keepdims?: boolean;
}

/** A global max or average pooling layer over `rank` spatial axes. */
export abstract class BaseGlobalPooling extends Layer {
  readonly rank: number;
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;
  private readonly reduce: "max" | "mean";

  constructor(args: GlobalPoolingArgs, rank: number, reduce: "max" | "mean") {
    super(args);
    const op = this.className;
    this.rank = rank;
    this.reduce = reduce;
    this.dataFormat = dataFormatOption(op, args.dataFormat);
    this.keepdims = optional(args.keepdims, false, (v) => boolean(op, "keepdims", v));
  }

  /** The spatial axes of an input of rank `rank + 2`. */
  private spatialAxes(): number[] {
    const first = this.dataFormat === "channels_last" ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => first + i);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    splitShape(this.name, x.shape, this.rank, this.dataFormat);
    const options = { keepDims: this.keepdims };
    return this.reduce === "max" ? max(x, this.spatialAxes(), options) : mean(x, this.spatialAxes(), options);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const { batch, channels } = splitShape(
      this.name,
      this.singleShape(inputShape),
      this.rank,
      this.dataFormat,
    );
    if (!this.keepdims) return [batch, channels];
    return joinShape(batch, new Array<number>(this.rank).fill(1), channels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}
