// nn/layers/depthwise-conv2d: DepthwiseConv2D, each input channel convolved with its own
// depthMultiplier kernels (no mixing across channels); output channel c * depthMultiplier + m.
import { ShapeError } from "../../core/errors.js";
import { depthwiseConv2d } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, optional, positiveInt, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { BaseConv, type BaseConvArgs } from "./base-conv.js";

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  padding?: "valid" | "same";
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default "glorot_uniform". */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * Depthwise 2-D convolution (Keras DepthwiseConv2D): kernel (KH, KW, channels, depthMultiplier).
 * @example
 * new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }).apply(randn([1, 8, 8, 3])).shape; // [1, 6, 6, 6]
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className = "DepthwiseConv2D";
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  kernel: Tensor | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 2);
    const op = this.className;
    this.depthMultiplier = optional(args.depthMultiplier, 1, (v) => positiveInt(op, "depthMultiplier", v));
    this.depthwiseInitializer = getInitializer(
      args.depthwiseInitializer ?? "glorot_uniform",
      `${op} depthwiseInitializer`,
    );
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, `${op} depthwiseRegularizer`);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint, `${op} depthwiseConstraint`);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.knownChannels(inputShape);
    this.kernel = this.addWeight("kernel", [...this.kernelSize, channels, this.depthMultiplier], {
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.addBias(channels * this.depthMultiplier);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.channelsLast(this.single(inputs));
    const channels = this.kernel!.shape[2]!;
    if (x.shape[3] !== channels) {
      throw new ShapeError(
        `${this.name}: expected inputs with ${channels} channels (got shape [${x.shape.join(",")}])`,
      );
    }
    const y = depthwiseConv2d(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      bias: this.bias,
      activation: this.epilogue,
    });
    return this.finish(y);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const { channels } = this.inputParts(inputShape);
    return this.windowOutputShape(inputShape, channels === null ? null : channels * this.depthMultiplier);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: this.depthwiseInitializer.serialize(),
      depthwiseRegularizer: serializeOrNull(this.depthwiseRegularizer),
      depthwiseConstraint: serializeOrNull(this.depthwiseConstraint),
    };
  }
}
registerLayer("DepthwiseConv2D", DepthwiseConv2D);
