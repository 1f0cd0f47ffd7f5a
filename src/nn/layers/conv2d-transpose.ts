// nn/layers/conv2d-transpose: Conv2DTranspose, the transposed convolution (the input-gradient of a
// Conv2D), used to upsample feature maps. Output lengths follow Keras's deconv_output_length.
import { ConfigError, ShapeError } from "../../core/errors.js";
import { conv2dTranspose, transposedLength } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, positiveInt, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { BaseConv, type BaseConvArgs } from "./base-conv.js";
import { intTuple, joinShape } from "./conv-utils.js";

export interface Conv2DTransposeArgs extends BaseConvArgs {
  /** Output channels. */
  filters: number;
  padding?: "valid" | "same";
  /** Extra rows/columns at the bottom/right of the output, each smaller than its stride; null (default) infers. */
  outputPadding?: number | readonly number[] | null;
  /** Default "glorot_uniform". */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

/**
 * Transposed 2-D convolution (Keras Conv2DTranspose): kernel (KH, KW, filters, input channels).
 * @example
 * new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: "same" }).apply(randn([1, 7, 7, 16])).shape; // [1, 14, 14, 8]
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly className = "Conv2DTranspose";
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel: Tensor | null = null;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 2);
    const op = this.className;
    this.filters = positiveInt(op, "filters", args.filters);
    this.outputPadding =
      args.outputPadding === undefined || args.outputPadding === null
        ? null
        : intTuple(op, "outputPadding", args.outputPadding, 2, 0);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]!) {
        throw new ConfigError(
          `${op}: outputPadding must be smaller than strides (got outputPadding [${this.outputPadding!.join(",")}], strides [${this.strides.join(",")}])`,
        );
      }
    });
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, `${op} kernelRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${op} kernelConstraint`);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.knownChannels(inputShape);
    this.kernel = this.addWeight("kernel", [...this.kernelSize, this.filters, channels], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.channelsLast(this.single(inputs));
    const channels = this.kernel!.shape[3]!;
    if (x.shape[3] !== channels) {
      throw new ShapeError(
        `${this.name}: expected inputs with ${channels} channels (got shape [${x.shape.join(",")}])`,
      );
    }
    const y = conv2dTranspose(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding as "valid" | "same",
      outputPadding: this.outputPadding,
      dilationRate: this.dilationRate,
      bias: this.bias,
      activation: this.epilogue,
    });
    return this.finish(y);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    const { spatial } = this.inputParts(shape);
    const out = spatial.map((size, i) => {
      if (size === null) return null;
      const span = (this.kernelSize[i]! - 1) * this.dilationRate[i]! + 1;
      const extra = this.outputPadding === null ? null : this.outputPadding[i]!;
      return transposedLength(size, span, this.strides[i]!, this.padding as "valid" | "same", extra);
    });
    return joinShape(shape[0] ?? null, out, this.filters, this.dataFormat);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      filters: this.filters,
      outputPadding: this.outputPadding === null ? null : [...this.outputPadding],
      kernelInitializer: this.kernelInitializer.serialize(),
      kernelRegularizer: serializeOrNull(this.kernelRegularizer),
      kernelConstraint: serializeOrNull(this.kernelConstraint),
    };
  }
}
registerLayer("Conv2DTranspose", Conv2DTranspose);
