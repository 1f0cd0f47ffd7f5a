// nn/layers/dense: Dense, activation(x @ kernel + bias). Calls the fused ops.linear, whose kernel
// applies relu/sigmoid/tanh in its epilogue; other activations are applied after it.

import { isFloatDType } from "../../core/dtype.js";
import { ShapeError } from "../../core/errors.js";
import { cast, linear } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type Activation, type ActivationName, getActivation } from "../activations.js";
import { boolean, type ConfigObject, optional, positiveInt, serializeOrNull } from "../config.js";
import type { ConstraintIdentifier } from "../constraints.js";
import { type Constraint, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { formatSymbolicShape, type SymbolicShape } from "../symbolic-tensor.js";

export interface DenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  /** Activation name ("relu", "softmax", ...); linear by default. */
  activation?: ActivationName | null;
  /** Default true. */
  useBias?: boolean;
  /** Default "glorot_uniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output, added to `losses`. */
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * Densely connected layer: output = activation(input @ kernel + bias), on the last axis.
 * @example
 * const d = new Dense({ units: 64, activation: "relu" });
 * d.apply(randn([32, 10])).shape; // [32, 64]
 */
export class Dense extends Layer {
  static override readonly className = "Dense";
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(args: DenseArgs) {
    super(args);
    this.supportsMasking = true;
    const op = "Dense";
    this.units = positiveInt(op, "units", args.units);
    this.activation = getActivation(args.activation, `${op} activation`);
    this.useBias = optional(args.useBias, true, (v) => boolean(op, "useBias", v));
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros", `${op} biasInitializer`);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, `${op} kernelRegularizer`);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, `${op} biasRegularizer`);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${op} activityRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${op} kernelConstraint`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${op} biasConstraint`);
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const inDim = shape[shape.length - 1];
    if (shape.length < 2 || inDim === null || inDim === undefined) {
      throw new ShapeError(
        `${this.name}: Dense needs inputs of rank >= 2 with a known last axis (got ${formatSymbolicShape(shape)})`,
      );
    }
    this.kernel = this.addWeight("kernel", [inDim, this.units], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight("bias", [this.units], {
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    // integer and bool features are promoted to the layer's dtype, as Keras's matmul does
    const given = this.single(inputs);
    const x = isFloatDType(given.dtype) ? given : cast(given, this.dtype);
    const kernel = this.kernel!;
    if (x.shape[x.rank - 1] !== kernel.shape[0]) {
      throw new ShapeError(
        `${this.name}: expected inputs with last axis ${kernel.shape[0]} (got shape [${x.shape.join(",")}])`,
      );
    }
    const fused = this.activation.epilogue;
    let y = linear(x, kernel, this.bias, fused ?? "none");
    if (fused === null) y = this.activation.fn(y);
    if (this.activityRegularizer !== null) this.addLoss(this.activityRegularizer.penalty(y));
    return y;
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shape = this.singleShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serializeOrNull(this.kernelRegularizer),
      biasRegularizer: serializeOrNull(this.biasRegularizer),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
      kernelConstraint: serializeOrNull(this.kernelConstraint),
      biasConstraint: serializeOrNull(this.biasConstraint),
    };
  }
}
registerLayer("Dense", Dense);
