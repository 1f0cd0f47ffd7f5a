// nn/layers/up-sampling2d: UpSampling2D, enlarges (batch, height, width, channels) inputs by integer
// factors: "nearest" repeats rows and columns; "bilinear" interpolates with half-pixel centres (as
// tf.image.resize and torch's align_corners=False do), as two small interpolation-matrix products.
import { ConfigError } from "../../core/errors.js";
import { matmul, repeat, reshape } from "../../ops/index.js";
import { tensor } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, oneOf, optional } from "../config.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import {
  type DataFormat,
  dataFormatOption,
  fromChannelsLast,
  intTuple,
  joinShape,
  splitShape,
  toChannelsLast,
} from "./conv-utils.js";

export type UpSamplingInterpolation = "nearest" | "bilinear";

export interface UpSampling2DArgs extends LayerArgs {
  /** Row and column factors: one integer for both or a pair. Default 2. */
  size?: number | readonly [number, number];
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat | null;
  /** "nearest" (default) or "bilinear". */
  interpolation?: UpSamplingInterpolation;
}

/**
 * Row-stochastic (outSize, inSize) matrix of linear interpolation with half-pixel centres: output o
 * samples input coordinate (o + 0.5) * in / out - 0.5, clamped to [0, in - 1].
 */
export function bilinearWeights(inSize: number, outSize: number): number[][] {
  const rows: number[][] = [];
  for (let o = 0; o < outSize; o++) {
    const row = new Array<number>(inSize).fill(0);
    const src = Math.min(Math.max(((o + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const lo = Math.floor(src);
    const hi = Math.min(lo + 1, inSize - 1);
    const frac = src - lo;
    row[lo]! += 1 - frac;
    row[hi]! += frac;
    rows.push(row);
  }
  return rows;
}

/** Keras UpSampling2D. */
export class UpSampling2D extends Layer {
  static override readonly className = "UpSampling2D";
  readonly size: number[];
  readonly dataFormat: DataFormat;
  readonly interpolation: UpSamplingInterpolation;

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    const op = this.className;
    this.size = intTuple(op, "size", args.size ?? 2, 2);
    this.dataFormat = dataFormatOption(op, args.dataFormat);
    if (
      typeof args.interpolation === "string" &&
      ["bicubic", "lanczos3", "lanczos5", "area"].includes(args.interpolation)
    ) {
      throw new ConfigError(
        `${op}: interpolation "${args.interpolation}" is not supported yet (use "nearest" or "bilinear")`,
      );
    }
    this.interpolation = optional(args.interpolation, "nearest", (v) =>
      oneOf(op, "interpolation", v, ["nearest", "bilinear"] as const),
    );
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const given = this.single(inputs);
    splitShape(this.name, given.shape, 2, this.dataFormat);
    const x = toChannelsLast(given, this.dataFormat); // (N, H, W, C)
    const [sh, sw] = this.size as [number, number];
    if (this.interpolation === "nearest") {
      return fromChannelsLast(repeat(repeat(x, sh, 1), sw, 2), this.dataFormat);
    }
    const [N, H, W, C] = x.shape as [number, number, number, number];
    const rowsW = tensor(bilinearWeights(H, H * sh), { dtype: x.dtype }); // (OH, H)
    const colsW = tensor(bilinearWeights(W, W * sw), { dtype: x.dtype }); // (OW, W)
    // rows: (OH, H) @ (N, H, W * C) -> (N, OH, W * C)
    const byRows = matmul(rowsW, reshape(x, [N, H, W * C]));
    // columns: (OW, W) @ (N * OH, W, C) -> (N * OH, OW, C)
    const byCols = matmul(colsW, reshape(byRows, [N * H * sh, W, C]));
    const y = reshape(byCols, [N, H * sh, W * sw, C]);
    return fromChannelsLast(y, this.dataFormat);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const { batch, spatial, channels } = splitShape(
      this.name,
      this.singleShape(inputShape),
      2,
      this.dataFormat,
    );
    const out = spatial.map((s, i) => (s === null ? null : s * this.size[i]!));
    return joinShape(batch, out, channels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      size: [...this.size],
      dataFormat: this.dataFormat,
      interpolation: this.interpolation,
    };
  }
}
registerLayer("UpSampling2D", UpSampling2D);
