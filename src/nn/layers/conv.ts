// nn/layers/conv: the part Conv1D and Conv2D share on top of BaseConv: `filters`, `groups`, and the
// kernel weight (...kernelSize, inputChannels / groups, filters) with its initializer, regularizer
// and constraint.
import { ConfigError, ShapeError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, optional, positiveInt, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import type { LayerShape } from "../layer.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { BaseConv, type BaseConvArgs, type ConvPadding } from "./base-conv.js";

export interface ConvArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** Channel groups (input channels and filters are split into `groups` independent convolutions). Default 1. */
  groups?: number;
  /** Default "glorot_uniform". */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

/** A standard (optionally grouped) convolution over `rank` spatial axes. */
export abstract class Conv extends BaseConv {
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel: Tensor | null = null;

  constructor(args: ConvArgs, rank: number, paddings: readonly ConvPadding[]) {
    super(args, rank, paddings);
    const op = this.className;
    this.filters = positiveInt(op, "filters", args.filters);
    this.groups = optional(args.groups, 1, (v) => positiveInt(op, "groups", v));
    if (this.filters % this.groups !== 0) {
      throw new ConfigError(`${op}: filters (${this.filters}) must be divisible by groups (${this.groups})`);
    }
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, `${op} kernelRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${op} kernelConstraint`);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.knownChannels(inputShape);
    if (channels % this.groups !== 0) {
      throw new ShapeError(
        `${this.name}: input channels (${channels}) must be divisible by groups (${this.groups})`,
      );
    }
    this.kernel = this.addWeight("kernel", [...this.kernelSize, channels / this.groups, this.filters], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  /** Checks the call-time channels against the built kernel. */
  protected checkChannels(x: Tensor): void {
    const channels = x.shape[x.rank - 1]!;
    const expected = this.kernel!.shape[this.rank]! * this.groups;
    if (channels !== expected) {
      throw new ShapeError(
        `${this.name}: expected inputs with ${expected} channels (got shape [${x.shape.join(",")}], ${this.dataFormat})`,
      );
    }
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    return this.windowOutputShape(inputShape, this.filters);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      filters: this.filters,
      groups: this.groups,
      kernelInitializer: this.kernelInitializer.serialize(),
      kernelRegularizer: serializeOrNull(this.kernelRegularizer),
      kernelConstraint: serializeOrNull(this.kernelConstraint),
    };
  }
}
