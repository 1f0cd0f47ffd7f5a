// ops/cast: dtype conversion. Differentiable between float dtypes (the gradient casts back).

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit, type DType, isDType, isFloatDType } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A copy of x converted to `dtype`: float to int truncates toward zero, any value to bool is `!= 0`.
 * @example
 * cast(tensor([1.7, -1.7]), "int32"); // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${JSON.stringify(dtype)}`);
  if (x.dtype === dtype) return x;
  const out = allocateUninit(dtype, x.size);
  kernels().cast(x.data, out);
  const y = new Tensor(out, x.shape);
  if (isFloatDType(dtype) && isFloatDType(x.dtype)) {
    record("cast", y, [x], (dy) => [cast(dy, x.dtype)]);
  }
  return y;
}
