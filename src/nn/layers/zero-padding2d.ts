// nn/layers/zero-padding2d: ZeroPadding2D, rows and columns of zeros around (batch, height, width,
// channels) inputs (or channels-first with dataFormat).
import { pad } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { ConfigObject } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { type DataFormat, dataFormatOption, joinShape, pairOfPairs, splitShape } from "./conv-utils.js";

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. Default 1. */
  padding?:
    | number
    | readonly [number, number]
    | readonly [readonly [number, number], readonly [number, number]];
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat | null;
}

/** Keras ZeroPadding2D. */
export class ZeroPadding2D extends Layer {
  static override readonly className = "ZeroPadding2D";
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    this.padding = pairOfPairs(this.className, "padding", args.padding ?? 1);
    this.dataFormat = dataFormatOption(this.className, args.dataFormat);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    splitShape(this.name, x.shape, 2, this.dataFormat);
    const [rows, cols] = this.padding;
    const none: [number, number] = [0, 0];
    return pad(x, this.dataFormat === "channels_last" ? [none, rows, cols, none] : [none, none, rows, cols]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const { batch, spatial, channels } = splitShape(
      this.name,
      this.singleShape(inputShape),
      2,
      this.dataFormat,
    );
    const out = spatial.map((size, i) =>
      size === null ? null : size + this.padding[i]![0] + this.padding[i]![1],
    );
    return joinShape(batch, out, channels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
registerLayer("ZeroPadding2D", ZeroPadding2D);
