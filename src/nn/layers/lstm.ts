// nn/layers/lstm: LSTM (Hochreiter 1997) with Keras 3 defaults: tanh activation, sigmoid recurrent
// activation, glorot_uniform kernel, orthogonal recurrent kernel, zero bias with unitForgetBias
// (forget-gate bias starts at 1). Weights: kernel (F, 4H), recurrent_kernel (H, 4H), bias (4H),
// gate blocks [i f c o]. With fusable activations projection and recurrence are one op
// (ops/lstm-from-inputs: lstmSequence over linear(x, kernel, bias), the projection kept private).
import { add, linear, matmul, mul, slice, split } from "../../ops/index.js";
import { lstmFromInputs } from "../../ops/lstm-from-inputs.js";
import { type LstmSequenceOptions, lstmSequence } from "../../ops/lstm-sequence.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type Activation, type ActivationName, getActivation } from "../activations.js";
import { boolean, type ConfigObject, optional } from "../config.js";
import type { LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import {
  cellActivationOf,
  type RecurrentArgs,
  RecurrentLayer,
  type RecurrentRun,
  type RunOptions,
} from "./recurrent-base.js";

export interface LSTMArgs extends RecurrentArgs {
  /** Gate activation (default "sigmoid"). */
  recurrentActivation?: ActivationName | null;
  /** Start the forget gate's bias at 1 (default true). */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory layer. Call it on a sequence (B, T, F), or on [x, h0, c0] to give the
 * initial states.
 * @example
 * const lstm = new LSTM({ units: 32, returnSequences: true });
 * lstm.apply(randn([8, 20, 5])).shape; // [8, 20, 32]
 */
export class LSTM extends RecurrentLayer {
  static override readonly className = "LSTM";
  readonly stateCount = 2;
  readonly recurrentActivation: Activation;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    const op = "LSTM";
    super(op, args);
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? "sigmoid" : args.recurrentActivation,
      `${op} recurrentActivation`,
    );
    this.unitForgetBias = optional(args.unitForgetBias, true, (v) => boolean(op, "unitForgetBias", v));
  }

  override build(inputShape: LayerShape): void {
    const H = this.units;
    this.buildWeights(inputShape, 4, [4 * H]);
    // Keras: the bias starts as [init(H), ones(H), init(2H)]
    if (this.bias !== null && this.unitForgetBias) this.bias.data.fill(1, H, 2 * H);
    super.build(inputShape);
  }

  protected projectInputs(x: Tensor): Tensor {
    return linear(x, this.kernel!, this.bias);
  }

  /** The options of the fused ops, or null when an activation has no fused cell. */
  private fusedOptions(options: RunOptions): LstmSequenceOptions | null {
    const act = cellActivationOf(this.activation);
    const rec = cellActivationOf(this.recurrentActivation);
    if (act === null || rec === null) return null;
    return {
      mask: options.mask,
      goBackwards: options.goBackwards,
      recurrentMask: options.recurrentMask,
      activation: act,
      recurrentActivation: rec,
      // without a sequence to return, only the final states leave the op (2, B, H)
      finalStates: !options.needSequence,
    };
  }

  /** The run from the fused op's states: (2, T, B, H), or (2, B, H) without a sequence. */
  private fromStates(states: Tensor, steps: number, options: RunOptions): RecurrentRun {
    if (!options.needSequence) return { sequence: null, finals: [slice(states, [0]), slice(states, [1])] };
    const last = options.goBackwards ? 0 : steps - 1;
    return { sequence: slice(states, [0]), finals: [slice(states, [0, last]), slice(states, [1, last])] };
  }

  protected override fusedRun(x: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun | null {
    const fused = this.fusedOptions(options);
    if (fused === null) return null;
    const [h0, c0] = initial as [Tensor, Tensor];
    const states = lstmFromInputs(x, this.kernel!, this.bias, this.recurrentKernel!, h0, c0, fused);
    return this.fromStates(states, x.shape[0]!, options);
  }

  protected run(xProj: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun {
    const fused = this.fusedOptions(options);
    if (fused !== null) {
      const states = lstmSequence(xProj, this.recurrentKernel!, initial[0]!, initial[1]!, fused);
      return this.fromStates(states, xProj.shape[0]!, options);
    }
    return this.composedLoop(xProj, initial, options, (z, [h, c], recurrentMask) => {
      const hIn = recurrentMask === null ? h! : mul(h!, recurrentMask);
      const [zi, zf, zc, zo] = split(add(z, matmul(hIn, this.recurrentKernel!)), 4, 1) as [
        Tensor,
        Tensor,
        Tensor,
        Tensor,
      ];
      const i = this.recurrentActivation.fn(zi);
      const f = this.recurrentActivation.fn(zf);
      const o = this.recurrentActivation.fn(zo);
      const cNew = add(mul(f, c!), mul(i, this.activation.fn(zc)));
      return [mul(o, this.activation.fn(cNew)), cNew];
    });
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      unitForgetBias: this.unitForgetBias,
    };
  }
}
registerLayer("LSTM", LSTM);
