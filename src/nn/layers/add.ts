// nn/layers/add: Add, a merge layer. Sums the inputs elementwise.
import { add } from "../../ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { registerLayer } from "../registry.js";
import { Merge } from "./merge.js";

/**
 * Sums the inputs elementwise. Inputs broadcast against each other.
 * @example
 * new Add().apply([a, b]);
 */
export class Add extends Merge {
  static override readonly className = "Add";

  protected override merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce<Tensor>((acc, t) => add(acc, t), inputs[0]!);
  }
}
registerLayer("Add", Add);
