// nn/layers/average: Average, a merge layer. Averages the inputs elementwise.
import { add, div } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * Averages the inputs elementwise. Inputs broadcast against each other.
 * @example
 * new Average().apply([a, b]);
 */
export class Average extends Merge {
  static override readonly className = "Average";

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return div(
      inputs.slice(1).reduce<Tensor>((acc, t) => add(acc, t), inputs[0]!),
      inputs.length,
    );
  }
}
registerLayer("Average", Average);
