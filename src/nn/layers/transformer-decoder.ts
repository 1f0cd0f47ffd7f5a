// nn/layers/transformer-decoder: TransformerDecoder (keras-hub): causal self-attention, then (when
// called on [x, encoderSequence]) cross-attention to the encoder's output, then a feedforward
// network; each a residual sub-block, post-norm by default or pre-norm with normalizeFirst (GPT-2).
// Called on x alone it is a decoder-only (GPT) block. Padding masks of both sequences are honoured.
// Shapes: B batch, T decoder time, S encoder time, D width.

import { recordedNodes } from "../../autograd/scratch-activations.js";
import { ShapeError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import type { CallContext, LayerInputs, LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { isShapeList } from "../symbolic-tensor.js";
import type { MultiHeadAttention } from "./multi-head-attention.js";
import { type SubBlock, type TransformerArgs, TransformerBlock } from "./transformer-base.js";

export type TransformerDecoderArgs = TransformerArgs;

/**
 * One transformer decoder block with causal self-attention.
 * @example
 * const block = new TransformerDecoder({ intermediateDim: 512, numHeads: 4, normalizeFirst: true });
 * block.apply(randn([2, 64, 128])).shape; // [2, 64, 128]
 */
export class TransformerDecoder extends TransformerBlock {
  static override readonly className = "TransformerDecoder";
  private selfAttention: { block: SubBlock; mha: MultiHeadAttention } | null = null;
  private crossAttention: { block: SubBlock; mha: MultiHeadAttention } | null = null;

  constructor(args: TransformerDecoderArgs) {
    super("TransformerDecoder", args);
  }

  override build(inputShape: LayerShape): void {
    const shape = this.sequenceShape(inputShape);
    const width = shape[2]!;
    this.selfAttention = {
      block: this.subBlock("self_attention", width),
      mha: this.attention("self_attention", width, true, shape),
    };
    if (isShapeList(inputShape) && inputShape.length > 1) {
      const encoder = inputShape[1]!;
      if (encoder.length !== 3 || encoder[2] === null) {
        throw new ShapeError(`${this.name}: the encoder sequence must be (batch, time, features)`);
      }
      this.crossAttention = {
        block: this.subBlock("cross_attention", width),
        mha: this.attention("cross_attention", width, false, [shape, encoder]),
      };
    }
    this.buildFeedforward(width);
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    const list = inputs instanceof Tensor ? [inputs] : [...inputs];
    const x = list[0]!;
    const encoder = list[1];
    if ((encoder === undefined) !== (this.crossAttention === null) || list.length > 2) {
      throw new ShapeError(
        `${this.name}: called on ${list.length} input(s) but built for ${this.crossAttention === null ? "x" : "[x, encoderSequence]"}`,
      );
    }
    const since = recordedNodes(); // this call's region of the graph starts here
    const masks = context.masks ?? [];
    const decoderMask = masks[0] ?? null;
    const self = this.selfAttention!;
    let y = this.residual(x, self.block, context.training, (h) => self.mha.apply(h, { mask: [decoderMask] }));
    if (encoder !== undefined) {
      const cross = this.crossAttention!;
      const encoderMask = masks[1] ?? null;
      y = this.residual(y, cross.block, context.training, (h) =>
        cross.mha.apply([h, encoder], { mask: [decoderMask, encoderMask] }),
      );
    }
    return this.scratchRegion(since, this.feedforwardBlock(y, context.training), context.training);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return isShapeList(inputShape) ? inputShape[0]! : inputShape;
  }
}
registerLayer("TransformerDecoder", TransformerDecoder);
