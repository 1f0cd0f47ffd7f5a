// nn/layers/transformer-base: what TransformerEncoder and TransformerDecoder share (keras-hub's
// options and sub-layers): residual sub-blocks around attention and a two-layer feedforward
// network, post-norm (normalizeFirst false, the original Transformer) or pre-norm (true, GPT-2).
// Sub-layers are created in build() once the model width D is known, named after the block so
// weight paths survive a config round trip. Shapes: B batch, T time, D width.

import { markScratchRegion } from "../../autograd/scratch-activations.js";
import { ConfigError, ShapeError } from "../../core/errors.js";
import { add } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type Activation, type ActivationName, getActivation } from "../activations.js";
import { boolean, type ConfigObject, finiteNumber, numberInRange, optional, positiveInt } from "../config.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { activeKVCache } from "../kv-cache.js";
import { Layer, type LayerArgs, type LayerShape } from "../layer.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import { LayerNormalization } from "./layer-normalization.js";
import { MultiHeadAttention } from "./multi-head-attention.js";

export interface TransformerArgs extends LayerArgs {
  /** Hidden size of the feedforward network (e.g. 4 D). */
  intermediateDim: number;
  /** Attention heads; D must be a multiple. */
  numHeads: number;
  /** Dropout after attention and feedforward, and on attention probabilities (default 0). */
  dropout?: number;
  /** Feedforward activation (default "relu"). */
  activation?: ActivationName;
  /** LayerNormalization epsilon (default 1e-5). */
  layerNormEpsilon?: number;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** Normalise before each sub-block (pre-norm) rather than after the residual add (default false). */
  normalizeFirst?: boolean;
}

/** A residual sub-block: its norm, its body's dropout. */
export interface SubBlock {
  norm: LayerNormalization;
  dropout: Dropout;
}

/** Base class of the transformer blocks. */
export abstract class TransformerBlock extends Layer {
  readonly intermediateDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly activation: Activation;
  readonly layerNormEpsilon: number;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly normalizeFirst: boolean;
  protected feedforward: { block: SubBlock; intermediate: Dense; output: Dense } | null = null;

  constructor(op: string, args: TransformerArgs) {
    super(args);
    this.supportsMasking = true;
    this.intermediateDim = positiveInt(op, "intermediateDim", args.intermediateDim);
    this.numHeads = positiveInt(op, "numHeads", args.numHeads);
    this.dropout = optional(args.dropout, 0, (v) => numberInRange(op, "dropout", v, 0, 1));
    this.activation = getActivation(args.activation ?? "relu", `${op} activation`);
    this.layerNormEpsilon = optional(args.layerNormEpsilon, 1e-5, (v) =>
      finiteNumber(op, "layerNormEpsilon", v),
    );
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros", `${op} biasInitializer`);
    this.normalizeFirst = optional(args.normalizeFirst, false, (v) => boolean(op, "normalizeFirst", v));
  }

  /** The (B, T, D) shape of the first input, checked. */
  protected sequenceShape(inputShape: LayerShape): SymbolicShape {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (shape.length !== 3 || shape[2] === null) {
      throw new ShapeError(
        `${this.name}: expected (batch, time, features) with known features (got ${formatSymbolicShape(shape)})`,
      );
    }
    if (shape[2]! % this.numHeads !== 0) {
      throw new ConfigError(
        `${this.name}: the width ${shape[2]} must be a multiple of numHeads (${this.numHeads})`,
      );
    }
    return shape;
  }

  /** A sub-layer named after this block and tracked by it. */
  protected child<L extends Layer>(layer: L): L {
    return this.track(layer);
  }

  /** A norm + dropout pair for one residual sub-block, built for width D. */
  protected subBlock(prefix: string, width: number): SubBlock {
    const norm = this.child(
      new LayerNormalization({
        name: `${this.name}_${prefix}_layer_norm`,
        epsilon: this.layerNormEpsilon,
        dtype: this.dtype,
      }),
    );
    norm.maybeBuild([null, null, width]);
    const dropout = this.child(
      new Dropout({ name: `${this.name}_${prefix}_dropout`, rate: this.dropout, dtype: this.dtype }),
    );
    return { norm, dropout };
  }

  /** Self- or cross-attention with D / numHeads per head, built for the given shapes. */
  protected attention(
    prefix: string,
    width: number,
    causal: boolean,
    shapes: LayerShape,
  ): MultiHeadAttention {
    const keyDim = width / this.numHeads;
    const mha = this.child(
      new MultiHeadAttention({
        name: `${this.name}_${prefix}`,
        numHeads: this.numHeads,
        keyDim,
        valueDim: keyDim,
        dropout: this.dropout,
        useCausalMask: causal,
        kernelInitializer: this.kernelInitializer,
        biasInitializer: this.biasInitializer,
        dtype: this.dtype,
      }),
    );
    mha.maybeBuild(shapes);
    return mha;
  }

  /** The feedforward sub-layers for width D. */
  protected buildFeedforward(width: number): void {
    const block = this.subBlock("feedforward", width);
    const dense = (suffix: string, units: number, activation: ActivationName | null) =>
      this.child(
        new Dense({
          name: `${this.name}_feedforward_${suffix}`,
          units,
          activation,
          kernelInitializer: this.kernelInitializer,
          biasInitializer: this.biasInitializer,
          dtype: this.dtype,
        }),
      );
    const intermediate = dense("intermediate_dense", this.intermediateDim, this.activation.name);
    intermediate.maybeBuild([null, null, width]);
    const output = dense("output_dense", width, null);
    output.maybeBuild([null, null, this.intermediateDim]);
    this.feedforward = { block, intermediate, output };
  }

  /** x + dropout(body(norm(x))) (pre-norm) or norm(x + dropout(body(x))) (post-norm). */
  protected residual(x: Tensor, block: SubBlock, training: boolean, body: (h: Tensor) => Tensor): Tensor {
    const h = this.normalizeFirst ? block.norm.apply(x, { mask: null }) : x;
    const y = add(block.dropout.apply(body(h), { training, mask: null }), x);
    return this.normalizeFirst ? y : block.norm.apply(y, { mask: null });
  }

  /** The feedforward residual sub-block. */
  protected feedforwardBlock(x: Tensor, training: boolean): Tensor {
    const ff = this.feedforward!;
    return this.residual(x, ff.block, training, (h) =>
      ff.output.apply(ff.intermediate.apply(h, { mask: null }), { mask: null }),
    );
  }

  /**
   * In training, marks what the block's call recorded since `since` as scratch activations
   * (autograd/scratch-activations): its norms, projections, attention and feedforward outputs are
   * read only by the ops leading to its output, so backward() may recycle them. Not under a KV
   * cache, which keeps the keys and values for later calls.
   */
  protected scratchRegion(since: number, output: Tensor, training: boolean): Tensor {
    return training && activeKVCache() === null ? markScratchRegion(since, output) : output;
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      intermediateDim: this.intermediateDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      activation: this.activation.name,
      layerNormEpsilon: this.layerNormEpsilon,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      normalizeFirst: this.normalizeFirst,
    };
  }
}
