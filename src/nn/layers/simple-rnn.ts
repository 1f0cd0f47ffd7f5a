// nn/layers/simple-rnn: SimpleRNN, h_t = activation(x_t W + b + h_{t-1} U), Keras 3 defaults (tanh,
// glorot_uniform kernel, orthogonal recurrent kernel, zero bias). Weights: kernel (F, H),
// recurrent_kernel (H, H), bias (H). Fusable activations run as one ops.simpleRnnSequence.
import { add, linear, matmul, mul, slice } from "../../ops/index.js";
import { simpleRnnSequence } from "../../ops/simple-rnn-sequence.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import {
  cellActivationOf,
  type RecurrentArgs,
  RecurrentLayer,
  type RecurrentRun,
  type RunOptions,
} from "./recurrent-base.js";

export type SimpleRNNArgs = RecurrentArgs;

/**
 * Fully connected recurrent layer. Call it on a sequence (B, T, F), or on [x, h0].
 * @example
 * new SimpleRNN({ units: 8, returnSequences: true }).apply(randn([2, 5, 3])).shape; // [2, 5, 8]
 */
export class SimpleRNN extends RecurrentLayer {
  static override readonly className = "SimpleRNN";
  readonly stateCount = 1;

  constructor(args: SimpleRNNArgs) {
    super("SimpleRNN", args);
  }

  override build(inputShape: LayerShape): void {
    this.buildWeights(inputShape, 1, [this.units]);
    super.build(inputShape);
  }

  protected projectInputs(x: Tensor): Tensor {
    return linear(x, this.kernel!, this.bias);
  }

  protected run(xProj: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun {
    const act = cellActivationOf(this.activation);
    if (act !== null) {
      const hs = simpleRnnSequence(xProj, this.recurrentKernel!, initial[0]!, {
        mask: options.mask,
        goBackwards: options.goBackwards,
        recurrentMask: options.recurrentMask,
        activation: act,
      }); // (T, B, H) by input time
      return { sequence: hs, finals: [slice(hs, [options.goBackwards ? 0 : xProj.shape[0]! - 1])] };
    }
    return this.composedLoop(xProj, initial, options, (z, [h], recurrentMask) => {
      const hIn = recurrentMask === null ? h! : mul(h!, recurrentMask);
      return [this.activation.fn(add(z, matmul(hIn, this.recurrentKernel!)))];
    });
  }
}
registerLayer("SimpleRNN", SimpleRNN);
