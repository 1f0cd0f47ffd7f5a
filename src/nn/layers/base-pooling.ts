// nn/layers/base-pooling: what MaxPooling1D/2D and AveragePooling1D/2D share (Keras 3's
// BasePooling): poolSize, strides (default: the pool size), padding and dataFormat, the output shape
// rule, and the channels-first transposes around the channels-last pooling ops.
import { isFloatDType } from "../../core/dtype.js";
import { cast } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, oneOf, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import {
  type DataFormat,
  dataFormatOption,
  fromChannelsLast,
  intTuple,
  joinShape,
  splitShape,
  toChannelsLast,
  windowLength,
} from "./conv-utils.js";

export interface PoolingArgs extends LayerArgs {
  /** Window size per spatial axis: one integer for all, or one per axis. Default 2. */
  poolSize?: number | readonly number[];
  /** Step per spatial axis; null (default) uses the pool size. */
  strides?: number | readonly number[] | null;
  /** "valid" (default) or "same" (padding is never counted in a window). */
  padding?: "valid" | "same";
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat | null;
}

/** A max or average pooling layer over `rank` spatial axes. */
export abstract class BasePooling extends Layer {
  readonly rank: number;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;

  constructor(args: PoolingArgs, rank: number) {
    super(args);
    const op = this.className;
    this.rank = rank;
    this.poolSize = intTuple(op, "poolSize", args.poolSize ?? 2, rank);
    this.strides =
      args.strides === undefined || args.strides === null
        ? [...this.poolSize]
        : intTuple(op, "strides", args.strides, rank);
    this.padding = optional(args.padding, "valid", (v) =>
      oneOf(op, "padding", v, ["valid", "same"] as const),
    );
    this.dataFormat = dataFormatOption(op, args.dataFormat);
  }

  /** The pooling op on channels-last x. */
  protected abstract pool(x: Tensor): Tensor;

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const given = this.single(inputs);
    splitShape(this.name, given.shape, this.rank, this.dataFormat);
    const x = isFloatDType(given.dtype) ? given : cast(given, this.dtype);
    return fromChannelsLast(this.pool(toChannelsLast(x, this.dataFormat)), this.dataFormat);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    const { batch, spatial, channels } = splitShape(this.name, shape, this.rank, this.dataFormat);
    const out = spatial.map((size, i) =>
      windowLength(this.name, size, this.poolSize[i]!, this.strides[i]!, 1, this.padding),
    );
    return joinShape(batch, out, channels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}
