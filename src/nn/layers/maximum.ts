// nn/layers/maximum: Maximum, a merge layer. Elementwise maximum of the inputs.
import { maximum } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * Elementwise maximum of the inputs. Inputs broadcast against each other.
 * @example
 * new Maximum().apply([a, b]);
 */
export class Maximum extends Merge {
  static override readonly className = "Maximum";

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce<Tensor>((acc, t) => maximum(acc, t), inputs[0]!);
  }
}
registerLayer("Maximum", Maximum);
