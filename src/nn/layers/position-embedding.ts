// nn/layers/position-embedding: PositionEmbedding (keras-hub): a learned vector per position,
// embeddings (sequenceLength, D). Called on (B, T, D) it returns the first T position vectors
// broadcast to (B, T, D) (to be added to token embeddings by the caller); T may be shorter than
// sequenceLength. The input's mask passes through. Under an active KVCache (nn/kv-cache) the
// positions start after the cached ones.
import { ShapeError } from "../../core/errors.js";
import { broadcastTo, slice } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, integer, optional, positiveInt } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { activeKVCache } from "../kv-cache.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { formatSymbolicShape } from "../symbolic-tensor.js";

export interface PositionEmbeddingArgs extends LayerArgs {
  /** The longest sequence the layer can embed. */
  sequenceLength: number;
  /** Default "glorot_uniform". */
  initializer?: InitializerIdentifier;
  /** Position of the first step (default 0), e.g. when decoding one token at a time. */
  startIndex?: number;
}

/**
 * Learned position embeddings.
 * @example
 * const pos = new PositionEmbedding({ sequenceLength: 64 });
 * const x = tokens.add(pos.apply(tokens)); // (B, T, D)
 */
export class PositionEmbedding extends Layer {
  static override readonly className = "PositionEmbedding";
  readonly sequenceLength: number;
  readonly initializer: Initializer;
  readonly startIndex: number;
  embeddings: Tensor | null = null;

  constructor(args: PositionEmbeddingArgs) {
    super(args);
    const op = "PositionEmbedding";
    this.supportsMasking = true;
    this.sequenceLength = positiveInt(op, "sequenceLength", args.sequenceLength);
    this.initializer = getInitializer(args.initializer ?? "glorot_uniform", `${op} initializer`);
    this.startIndex = optional(args.startIndex, 0, (v) => integer(op, "startIndex", v));
  }

  override build(inputShape: LayerShape): void {
    const shape = this.singleShape(inputShape);
    const features = shape[shape.length - 1];
    if (shape.length < 2 || features === null || features === undefined) {
      throw new ShapeError(
        `${this.name}: expected inputs (..., T, D) with a known D (got ${formatSymbolicShape(shape)})`,
      );
    }
    this.embeddings = this.addWeight("embeddings", [this.sequenceLength, features], {
      initializer: this.initializer,
    });
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    const x = this.single(inputs);
    const T = x.shape[x.rank - 2]!;
    // incremental decoding: the new positions follow the ones the KV cache holds
    const start = this.startIndex + (activeKVCache()?.position ?? 0);
    if (start < 0 || start + T > this.sequenceLength) {
      throw new ShapeError(
        `${this.name}: positions ${start}..${start + T - 1} exceed sequenceLength ${this.sequenceLength}`,
      );
    }
    const positions = slice(this.embeddings!, [[start, start + T]]); // (T, D)
    return broadcastTo(positions, x.shape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.singleShape(inputShape);
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      sequenceLength: this.sequenceLength,
      initializer: this.initializer.serialize(),
      startIndex: this.startIndex,
    };
  }
}
registerLayer("PositionEmbedding", PositionEmbedding);
