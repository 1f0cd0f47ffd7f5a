// nn/layers/base-conv: what every convolution layer shares (Keras 3's BaseConv): the window options
// (kernelSize, strides, padding, dataFormat, dilationRate), the activation (fused into the conv's
// GEMM when it can be), the optional bias with its initializer/regularizer/constraint, the activity
// regularizer, and the channels-first transposes around the channels-last ops.

import { isFloatDType } from "../../core/dtype.js";
import { ConfigError } from "../../core/errors.js";
import { cast } from "../../ops/index.js";
import type { EpilogueActivation } from "../../ops/linalg.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type Activation, type ActivationName, getActivation } from "../activations.js";
import { boolean, type ConfigObject, oneOf, optional, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { Layer, type LayerArgs, type LayerShape } from "../layer.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
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

export type ConvPadding = "valid" | "same" | "causal";

/** Options every convolution layer takes (Keras names in camelCase). */
export interface BaseConvArgs extends LayerArgs {
  /** Window size: one integer for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** "valid" (default) or "same"; Conv1D also takes "causal". */
  padding?: ConvPadding;
  /** "channels_last" (default): (batch, ...spatial, channels); "channels_first": (batch, channels, ...spatial). */
  dataFormat?: DataFormat | null;
  /** Default 1. */
  dilationRate?: number | readonly number[];
  /** Activation name; linear by default. */
  activation?: ActivationName | null;
  /** Default true. */
  useBias?: boolean;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output, added to `losses`. */
  activityRegularizer?: RegularizerIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The shared part of Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D and Conv2DTranspose. */
export abstract class BaseConv extends Layer {
  /** Number of spatial axes (1 or 2). */
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  bias: Tensor | null = null;

  constructor(args: BaseConvArgs, rank: number, paddings: readonly ConvPadding[] = ["valid", "same"]) {
    super(args);
    const op = this.className;
    this.rank = rank;
    if (args.kernelSize === undefined) throw new ConfigError(`${op}: kernelSize is required`);
    this.kernelSize = intTuple(op, "kernelSize", args.kernelSize, rank);
    this.strides = intTuple(op, "strides", args.strides ?? 1, rank);
    this.padding = optional(args.padding, "valid", (v) => oneOf(op, "padding", v, paddings));
    this.dataFormat = dataFormatOption(op, args.dataFormat);
    this.dilationRate = intTuple(op, "dilationRate", args.dilationRate ?? 1, rank);
    this.activation = getActivation(args.activation, `${op} activation`);
    this.useBias = optional(args.useBias, true, (v) => boolean(op, "useBias", v));
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros", `${op} biasInitializer`);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, `${op} biasRegularizer`);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${op} activityRegularizer`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${op} biasConstraint`);
  }

  /** (spatial sizes, channels) of a build/call shape, validating its rank. */
  protected inputParts(inputShape: LayerShape): { spatial: (number | null)[]; channels: number | null } {
    return splitShape(this.name, this.singleShape(inputShape), this.rank, this.dataFormat);
  }

  /** Input channels, which must be known to build the kernel. */
  protected knownChannels(inputShape: LayerShape): number {
    const { channels } = this.inputParts(inputShape);
    if (channels === null)
      throw new ConfigError(`${this.name}: the channels axis of the input must be known to build`);
    return channels;
  }

  /** Creates the bias weight of `filters` entries when useBias is on. */
  protected addBias(filters: number): void {
    if (!this.useBias) return;
    this.bias = this.addWeight("bias", [filters], {
      initializer: this.biasInitializer,
      regularizer: this.biasRegularizer,
      constraint: this.biasConstraint,
    });
  }

  /** The activation fused into the conv's GEMM epilogue, or "none" when it is applied after. */
  protected get epilogue(): EpilogueActivation {
    return this.activation.epilogue ?? "none";
  }

  /** The input moved to channels-last; integer and bool inputs are promoted to the layer's dtype (as Dense does). */
  protected channelsLast(x: Tensor): Tensor {
    return toChannelsLast(isFloatDType(x.dtype) ? x : cast(x, this.dtype), this.dataFormat);
  }

  /** Applies an unfused activation and the activity regularizer, and restores the data format. */
  protected finish(y: Tensor): Tensor {
    let out = this.activation.epilogue === null ? this.activation.fn(y) : y;
    out = fromChannelsLast(out, this.dataFormat);
    if (this.activityRegularizer !== null) this.addLoss(this.activityRegularizer.penalty(out));
    return out;
  }

  /** Output shape of a strided window over the input's spatial axes with `outChannels` channels. */
  protected windowOutputShape(inputShape: LayerShape, outChannels: number | null): SymbolicShape {
    const shape = this.singleShape(inputShape);
    const { spatial } = this.inputParts(shape);
    const out = spatial.map((size, i) =>
      windowLength(
        this.name,
        size,
        this.kernelSize[i]!,
        this.strides[i]!,
        this.dilationRate[i]!,
        this.padding,
      ),
    );
    return joinShape(shape[0] ?? null, out, outChannels, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      biasInitializer: this.biasInitializer.serialize(),
      biasRegularizer: serializeOrNull(this.biasRegularizer),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
      biasConstraint: serializeOrNull(this.biasConstraint),
    };
  }
}
