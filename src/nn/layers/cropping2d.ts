// nn/layers/cropping2d: Cropping2D, removes rows and columns from the borders of (batch, height,
// width, channels) inputs (or channels-first with dataFormat).
import { ShapeError } from "../../core/errors.js";
import { type SliceSpec, slice } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { ConfigObject } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { type DataFormat, dataFormatOption, joinShape, pairOfPairs, splitShape } from "./conv-utils.js";

export interface Cropping2DArgs extends LayerArgs {
  /** n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. Default 0. */
  cropping?:
    | number
    | readonly [number, number]
    | readonly [readonly [number, number], readonly [number, number]];
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat | null;
}

/** Keras Cropping2D. */
export class Cropping2D extends Layer {
  static override readonly className = "Cropping2D";
  readonly cropping: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: Cropping2DArgs = {}) {
    super(args);
    this.cropping = pairOfPairs(this.className, "cropping", args.cropping ?? 0);
    this.dataFormat = dataFormatOption(this.className, args.dataFormat);
  }

  /** Size left after cropping one spatial axis; at least one row/column must remain. */
  private kept(size: number, axis: number): number {
    const [before, after] = this.cropping[axis]!;
    if (before + after >= size) {
      throw new ShapeError(
        `${this.name}: cropping [${before}, ${after}] leaves nothing of a spatial axis of size ${size}`,
      );
    }
    return size - before - after;
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const { spatial } = splitShape(this.name, x.shape, 2, this.dataFormat);
    const specs: SliceSpec[] = spatial.map((size, i) => {
      const start = this.cropping[i]![0];
      return [start, start + this.kept(size!, i)] as const;
    });
    return slice(x, this.dataFormat === "channels_last" ? [null, ...specs] : [null, null, ...specs]);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const { batch, spatial, channels } = splitShape(
      this.name,
      this.singleShape(inputShape),
      2,
      this.dataFormat,
    );
    const out = spatial.map((size, i) => (size === null ? null : this.kept(size, i)));
    return joinShape(batch, out, channels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
registerLayer("Cropping2D", Cropping2D);
