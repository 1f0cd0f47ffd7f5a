// nn/layers/transformer-encoder: TransformerEncoder (keras-hub): self-attention then a feedforward
// network, each a residual sub-block, post-norm by default or pre-norm with normalizeFirst. The
// input's padding mask (Embedding maskZero) hides padded keys; apply([x, attentionMask]) adds a
// (B, T, T) mask. Shapes: B batch, T time, D width.

import { recordedNodes } from "../../autograd/scratch-activations.js";
import { ShapeError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { isShapeList } from "../symbolic-tensor.js";
import type { MultiHeadAttention } from "./multi-head-attention.js";
import { type SubBlock, type TransformerArgs, TransformerBlock } from "./transformer-base.js";

export type TransformerEncoderArgs = TransformerArgs;

/**
 * One transformer encoder block (Vaswani et al. 2017).
 * @example
 * const enc = new TransformerEncoder({ intermediateDim: 256, numHeads: 4 });
 * enc.apply(randn([2, 10, 64])).shape; // [2, 10, 64]
 */
export class TransformerEncoder extends TransformerBlock {
  static override readonly className = "TransformerEncoder";
  private selfAttention: { block: SubBlock; mha: MultiHeadAttention } | null = null;

  constructor(args: TransformerEncoderArgs) {
    super("TransformerEncoder", args);
  }

  override build(inputShape: LayerShape): void {
    const shape = this.sequenceShape(inputShape);
    const width = shape[2]!;
    const block = this.subBlock("self_attention", width);
    const mha = this.attention("self_attention", width, false, shape);
    this.selfAttention = { block, mha };
    this.buildFeedforward(width);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const list = inputs instanceof Tensor ? [inputs] : [...inputs];
    if (list.length > 2)
      throw new ShapeError(`${this.name}: expected x or [x, attentionMask] (got ${list.length} inputs)`);
    const x = list[0]!;
    const attentionMask = list[1];
    const since = recordedNodes(); // this call's region of the graph starts here
    const padding = context.mask ?? null;
    const { block, mha } = this.selfAttention!;
    const attended = this.residual(x, block, context.training, (h) =>
      attentionMask === undefined
        ? mha.apply(h, { mask: [padding] })
        : mha.apply([h, h, h, attentionMask], { mask: [padding, padding, padding, null] }),
    );
    return this.scratchRegion(since, this.feedforwardBlock(attended, context.training), context.training);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return isShapeList(inputShape) ? inputShape[0]! : inputShape;
  }
}
registerLayer("TransformerEncoder", TransformerEncoder);
