// nn/layers/minimum: Minimum, a merge layer. Elementwise minimum of the inputs.
import { minimum } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * Elementwise minimum of the inputs. Inputs broadcast against each other.
 * @example
 * new Minimum().apply([a, b]);
 */
export class Minimum extends Merge {
  static override readonly className = "Minimum";

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce<Tensor>((acc, t) => minimum(acc, t), inputs[0]!);
  }
}
registerLayer("Minimum", Minimum);
