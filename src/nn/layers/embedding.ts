// nn/layers/embedding: Embedding, a trainable lookup table from integer ids to dense vectors
// (Keras 3 defaults: embeddings uniform in [-0.05, 0.05]). With maskZero the id 0 is padding: the
// output carries a (B, T) mask that recurrent layers and attention honour.
import { isFloatDType } from "../../core/dtype.js";
import { cast, gather, notEqual } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, optional, positiveInt, serializeOrNull } from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { SymbolicShape } from "../symbolic-tensor.js";

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids lie in [0, inputDim). */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Default "random_uniform" (RandomUniform(-0.05, 0.05), Keras "uniform"). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Treat id 0 as padding and emit a mask (default false). */
  maskZero?: boolean;
}

/**
 * Maps integer ids (any shape) to vectors: output shape = input shape + [outputDim].
 * @example
 * const e = new Embedding({ inputDim: 100, outputDim: 8, maskZero: true });
 * e.apply(tensor([[5, 2, 0]], { dtype: "int32" })).shape; // [1, 3, 8]
 */
export class Embedding extends Layer {
  static override readonly className = "Embedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  embeddings: Tensor | null = null;

  constructor(args: EmbeddingArgs) {
    super(args);
    const op = "Embedding";
    this.inputDim = positiveInt(op, "inputDim", args.inputDim);
    this.outputDim = positiveInt(op, "outputDim", args.outputDim);
    this.embeddingsInitializer = getInitializer(
      args.embeddingsInitializer ?? "random_uniform",
      `${op} embeddingsInitializer`,
    );
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer, `${op} embeddingsRegularizer`);
    this.embeddingsConstraint = getConstraint(args.embeddingsConstraint, `${op} embeddingsConstraint`);
    this.maskZero = optional(args.maskZero, false, (v) => boolean(op, "maskZero", v));
    // ids are not cast to the layer's float dtype
    this.autocast = false;
  }

  override build(inputShape: LayerShape): void {
    this.embeddings = this.addWeight("embeddings", [this.inputDim, this.outputDim], {
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const given = this.single(inputs);
    // float ids (from a float pipeline) are truncated to int32, as Keras casts them
    const ids = given.dtype === "int32" ? given : cast(given, "int32");
    return gather(this.embeddings!, ids, 0);
  }

  override computeMask(inputs: LayerInputs, _masks: MaskList): Tensor | null {
    if (!this.maskZero) return null;
    const ids = this.single(inputs);
    return notEqual(isFloatDType(ids.dtype) ? cast(ids, "int32") : ids, 0);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    return [...this.singleShape(inputShape), this.outputDim];
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInitializer.serialize(),
      embeddingsRegularizer: serializeOrNull(this.embeddingsRegularizer),
      embeddingsConstraint: serializeOrNull(this.embeddingsConstraint),
      maskZero: this.maskZero,
    };
  }
}
registerLayer("Embedding", Embedding);
