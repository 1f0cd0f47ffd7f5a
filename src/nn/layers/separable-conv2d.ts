// nn/layers/separable-conv2d: SeparableConv2D, a depthwise convolution (per-channel spatial
// filtering) followed by a 1x1 pointwise convolution that mixes channels; bias and activation last.
import { ShapeError } from "../../core/errors.js";
import { separableConv2d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, optional, positiveInt, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { BaseConv, type BaseConvArgs } from "./base-conv.js";

export interface SeparableConv2DArgs extends BaseConvArgs {
  /** Output channels of the pointwise step. */
  filters: number;
  padding?: "valid" | "same";
  /** Depthwise output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default "glorot_uniform". */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default "glorot_uniform". */
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * Depthwise-separable 2-D convolution (Keras SeparableConv2D): depthwise kernel
 * (KH, KW, channels, depthMultiplier), pointwise kernel (1, 1, channels * depthMultiplier, filters).
 * @example
 * new SeparableConv2D({ filters: 16, kernelSize: 3 }).apply(randn([1, 8, 8, 3])).shape; // [1, 6, 6, 16]
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className = "SeparableConv2D";
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  depthwiseKernel: Tensor | null = null;
  pointwiseKernel: Tensor | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, 2);
    const op = this.className;
    this.filters = positiveInt(op, "filters", args.filters);
    this.depthMultiplier = optional(args.depthMultiplier, 1, (v) => positiveInt(op, "depthMultiplier", v));
    this.depthwiseInitializer = getInitializer(
      args.depthwiseInitializer ?? "glorot_uniform",
      `${op} depthwiseInitializer`,
    );
    this.pointwiseInitializer = getInitializer(
      args.pointwiseInitializer ?? "glorot_uniform",
      `${op} pointwiseInitializer`,
    );
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, `${op} depthwiseRegularizer`);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, `${op} pointwiseRegularizer`);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint, `${op} depthwiseConstraint`);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint, `${op} pointwiseConstraint`);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.knownChannels(inputShape);
    this.depthwiseKernel = this.addWeight(
      "depthwise_kernel",
      [...this.kernelSize, channels, this.depthMultiplier],
      {
        initializer: this.depthwiseInitializer,
        regularizer: this.depthwiseRegularizer,
        constraint: this.depthwiseConstraint,
      },
    );
    this.pointwiseKernel = this.addWeight(
      "pointwise_kernel",
      [1, 1, channels * this.depthMultiplier, this.filters],
      {
        initializer: this.pointwiseInitializer,
        regularizer: this.pointwiseRegularizer,
        constraint: this.pointwiseConstraint,
      },
    );
    this.addBias(this.filters);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.channelsLast(this.single(inputs));
    const channels = this.depthwiseKernel!.shape[2]!;
    if (x.shape[3] !== channels) {
      throw new ShapeError(
        `${this.name}: expected inputs with ${channels} channels (got shape [${x.shape.join(",")}])`,
      );
    }
    const y = separableConv2d(x, this.depthwiseKernel!, this.pointwiseKernel!, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      bias: this.bias,
      activation: this.epilogue,
    });
    return this.finish(y);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    return this.windowOutputShape(inputShape, this.filters);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: this.depthwiseInitializer.serialize(),
      pointwiseInitializer: this.pointwiseInitializer.serialize(),
      depthwiseRegularizer: serializeOrNull(this.depthwiseRegularizer),
      pointwiseRegularizer: serializeOrNull(this.pointwiseRegularizer),
      depthwiseConstraint: serializeOrNull(this.depthwiseConstraint),
      pointwiseConstraint: serializeOrNull(this.pointwiseConstraint),
    };
  }
}
registerLayer("SeparableConv2D", SeparableConv2D);
