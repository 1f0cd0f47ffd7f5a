// nn/layers/token-and-position-embedding: TokenAndPositionEmbedding (keras-hub): an Embedding of
// the token ids plus a PositionEmbedding of their positions, (B, T) ids -> (B, T, D). Its sub-layers
// are named after it ("<name>_token_embedding", "<name>_position_embedding") so weight paths are
// stable across a config round trip. With maskZero the id 0 is padding and the output is masked.
import { markScratchRegion, recordedNodes } from "../../autograd/scratch-activations.js";
import { add } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { boolean, type ConfigObject, optional, positiveInt } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { registerLayer } from "../registry.js";
import type { SymbolicShape } from "../symbolic-tensor.js";
import { Embedding } from "./embedding.js";
import { PositionEmbedding } from "./position-embedding.js";

export interface TokenAndPositionEmbeddingArgs extends LayerArgs {
  vocabularySize: number;
  sequenceLength: number;
  embeddingDim: number;
  /** Token embeddings initializer (default "random_uniform", Keras "uniform"). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Treat id 0 as padding (default false). */
  maskZero?: boolean;
}

/**
 * Token plus learned position embeddings.
 * @example
 * const emb = new TokenAndPositionEmbedding({ vocabularySize: 65, sequenceLength: 64, embeddingDim: 128 });
 * emb.apply(ids).shape; // [B, T, 128]
 */
export class TokenAndPositionEmbedding extends Layer {
  static override readonly className = "TokenAndPositionEmbedding";
  readonly vocabularySize: number;
  readonly sequenceLength: number;
  readonly embeddingDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly maskZero: boolean;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: PositionEmbedding;

  constructor(args: TokenAndPositionEmbeddingArgs) {
    super(args);
    const op = "TokenAndPositionEmbedding";
    this.vocabularySize = positiveInt(op, "vocabularySize", args.vocabularySize);
    this.sequenceLength = positiveInt(op, "sequenceLength", args.sequenceLength);
    this.embeddingDim = positiveInt(op, "embeddingDim", args.embeddingDim);
    this.embeddingsInitializer = getInitializer(
      args.embeddingsInitializer ?? "random_uniform",
      `${op} embeddingsInitializer`,
    );
    this.maskZero = optional(args.maskZero, false, (v) => boolean(op, "maskZero", v));
    this.autocast = false;
    this.tokenEmbedding = this.track(
      new Embedding({
        name: `${this.name}_token_embedding`,
        inputDim: this.vocabularySize,
        outputDim: this.embeddingDim,
        embeddingsInitializer: this.embeddingsInitializer,
        maskZero: this.maskZero,
        dtype: this.dtype,
      }),
    );
    this.positionEmbedding = this.track(
      new PositionEmbedding({
        name: `${this.name}_position_embedding`,
        sequenceLength: this.sequenceLength,
        dtype: this.dtype,
      }),
    );
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    this.tokenEmbedding.maybeBuild(shape);
    this.positionEmbedding.maybeBuild([...shape, this.embeddingDim]);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const since = recordedNodes();
    const tokens = this.tokenEmbedding.apply(this.single(inputs), { mask: null });
    const y = add(tokens, this.positionEmbedding.apply(tokens, { mask: null }));
    // in training the gathered rows and positions are read only by the sum: backward() may recycle them
    return context.training ? markScratchRegion(since, y) : y;
  }

  override computeMask(inputs: LayerInputs, masks: MaskList): Tensor | null | MaskList {
    return this.tokenEmbedding.computeMask(inputs, masks);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    return [...this.singleShape(inputShape), this.embeddingDim];
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      vocabularySize: this.vocabularySize,
      sequenceLength: this.sequenceLength,
      embeddingDim: this.embeddingDim,
      embeddingsInitializer: this.embeddingsInitializer.serialize(),
      maskZero: this.maskZero,
    };
  }
}
registerLayer("TokenAndPositionEmbedding", TokenAndPositionEmbedding);
