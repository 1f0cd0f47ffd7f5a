// nn/layers/gru: GRU (Cho et al. 2014) with Keras 3 defaults: tanh activation, sigmoid recurrent
// activation, resetAfter true (the cuDNN form, separate input and recurrent biases, bias (2, 3H));
// resetAfter false applies the reset gate before the recurrent product (bias (3H)). Weights:
// kernel (F, 3H), recurrent_kernel (H, 3H), gate blocks [z r h]. The reset-after form with fusable
// activations runs as one ops.gruSequence; every other form runs the composed per-step loop.

import { gruSequence } from "../../ops/gru-sequence.js";
import { add, linear, matmul, mul, reshape, slice, split, sub } from "../../ops/index.js";
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

export interface GRUArgs extends RecurrentArgs {
  /** Gate activation (default "sigmoid"). */
  recurrentActivation?: ActivationName | null;
  /** Apply the reset gate after the recurrent product (default true, cuDNN-compatible). */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit layer. Call it on a sequence (B, T, F), or on [x, h0].
 * @example
 * new GRU({ units: 16 }).apply(randn([4, 10, 3])).shape; // [4, 16]
 */
export class GRU extends RecurrentLayer {
  static override readonly className = "GRU";
  readonly stateCount = 1;
  readonly recurrentActivation: Activation;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    const op = "GRU";
    super(op, args);
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? "sigmoid" : args.recurrentActivation,
      `${op} recurrentActivation`,
    );
    this.resetAfter = optional(args.resetAfter, true, (v) => boolean(op, "resetAfter", v));
  }

  override build(inputShape: LayerShape): void {
    const width = 3 * this.units;
    this.buildWeights(inputShape, 3, this.resetAfter ? [2, width] : [width]);
    super.build(inputShape);
  }

  /** (input bias, recurrent bias): rows of the (2, 3H) bias when resetting after, else (bias, null). */
  private biases(): [Tensor | null, Tensor | null] {
    if (this.bias === null) return [null, null];
    if (!this.resetAfter) return [this.bias, null];
    const width = 3 * this.units;
    return [reshape(slice(this.bias, [0]), [width]), reshape(slice(this.bias, [1]), [width])];
  }

  protected projectInputs(x: Tensor): Tensor {
    return linear(x, this.kernel!, this.biases()[0]);
  }

  protected run(xProj: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun {
    const act = cellActivationOf(this.activation);
    const rec = cellActivationOf(this.recurrentActivation);
    const recurrentBias = this.biases()[1];
    if (this.resetAfter && act !== null && rec !== null) {
      const hs = gruSequence(xProj, this.recurrentKernel!, recurrentBias, initial[0]!, {
        mask: options.mask,
        goBackwards: options.goBackwards,
        recurrentMask: options.recurrentMask,
        activation: act,
        recurrentActivation: rec,
      }); // (T, B, H) by input time
      return { sequence: hs, finals: [slice(hs, [options.goBackwards ? 0 : xProj.shape[0]! - 1])] };
    }
    const H = this.units;
    const u = this.recurrentKernel!;
    const uzr = slice(u, [null, [0, 2 * H]]);
    const uh = slice(u, [null, [2 * H, 3 * H]]);
    return this.composedLoop(xProj, initial, options, (z, [h], recurrentMask) => {
      const hIn = recurrentMask === null ? h! : mul(h!, recurrentMask);
      const [xz, xr, xh] = split(z, 3, 1) as [Tensor, Tensor, Tensor];
      let hh: Tensor;
      let zg: Tensor;
      if (this.resetAfter) {
        let inner = matmul(hIn, u);
        if (recurrentBias !== null) inner = add(inner, recurrentBias);
        const [rz, rr, rh] = split(inner, 3, 1) as [Tensor, Tensor, Tensor];
        zg = this.recurrentActivation.fn(add(xz, rz));
        const rg = this.recurrentActivation.fn(add(xr, rr));
        hh = this.activation.fn(add(xh, mul(rg, rh)));
      } else {
        const [rz, rr] = split(matmul(hIn, uzr), 2, 1) as [Tensor, Tensor];
        zg = this.recurrentActivation.fn(add(xz, rz));
        const rg = this.recurrentActivation.fn(add(xr, rr));
        hh = this.activation.fn(add(xh, matmul(mul(rg, hIn), uh)));
      }
      // h = z h_prev + (1 - z) hh
      return [add(mul(zg, h!), mul(sub(1, zg), hh))];
    });
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      resetAfter: this.resetAfter,
    };
  }
}
registerLayer("GRU", GRU);
