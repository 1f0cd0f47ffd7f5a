// ops/broadcast-apply: runs a binary kernel over two broadcast operands into a new tensor.

import type { BinaryOp } from "../backend/kernels.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit, type DType } from "../core/dtype.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";

export function applyBinary(op: BinaryOp, a: Tensor, b: Tensor, outDType: DType): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocateUninit(outDType, sizeOf(shape));
  kernels().binary[op](
    a.data,
    broadcastStrides(a.shape, shape),
    b.data,
    broadcastStrides(b.shape, shape),
    out,
    shape,
  );
  return new Tensor(out, shape);
}
