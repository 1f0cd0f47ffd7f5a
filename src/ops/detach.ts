// ops/detach: a tensor that shares data but is cut from the gradient graph, and clone().

import { record } from "../autograd/backward.js";
import { Tensor } from "../tensor/tensor.js";

/** Same data, no gradient history, requiresGrad false. */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape);
}

/** A copy with its own data array (gradient flows through). */
export function clone(x: Tensor): Tensor {
  const y = new Tensor(x.data.slice(), x.shape);
  return record("clone", y, [x], (dy) => [dy]);
}
