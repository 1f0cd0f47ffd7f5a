// ops/dropout: inverted dropout as one fused op. The mask is drawn by the backend's dropout kernel
// from a counter-based generator keyed by two words taken from a seeded Generator, and applied in
// the same pass; the gradient draws the same mask again from the same counter (backend/fused/
// dropout holds the kernels' specification). A noise shape (one draw shared along axes of size 1)
// draws the mask at that shape and multiplies, broadcasting.

import { record } from "../autograd/backward.js";
import { noGrad } from "../autograd/mode.js";
import type { DropoutParams } from "../backend/fused/dropout.js";
import { kernels } from "../backend/registry.js";
import { allocate, allocateUninit, type FloatArray } from "../core/dtype.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { type Generator, getGenerator } from "../core/random.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { mul } from "./binary.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";

export interface DropoutOptions {
  /** Shape of the mask, broadcast against x (an axis of size 1 shares one draw along it). */
  noiseShape?: readonly number[];
  /** The generator the mask's key is drawn from (default: the global one). */
  generator?: Generator;
}

/** The mask as a tensor of `shape`: scale where kept, 0 where dropped. */
function maskTensor(dtype: "float32" | "float64", shape: readonly number[], params: DropoutParams): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const ones = allocate(dtype, size).fill(1) as FloatArray;
  kernels().dropout(ones, ones, { ...params, n: size });
  return new Tensor(ones, shape);
}

/**
 * Zeroes each element of x with probability `rate` and scales the rest by 1 / (1 - rate), so the
 * expected value is x. Two words of the generator key the mask: the same generator state gives
 * the same mask on every backend.
 * @example
 * dropout(ones([2, 4]), 0.5, { generator: new Generator(1) }); // zeros and 2s
 */
export function dropout(input: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const x = toTensor(input);
  requireFloat("dropout", x);
  if (!(rate >= 0 && rate <= 1)) throw new ValueError(`dropout: rate must be in [0, 1] (got ${rate})`);
  const g = options.generator ?? getGenerator();
  const keep = 1 - rate;
  const params: DropoutParams = {
    n: x.size,
    keep,
    scale: keep > 0 ? 1 / keep : 0,
    key0: g.nextUint32(),
    key1: g.nextUint32(),
    stream: 0,
    offset: 0,
  };
  const dtype = x.dtype === "float64" ? "float64" : "float32";
  const noise = options.noiseShape;
  if (noise !== undefined) {
    if (noise.length !== x.rank || noise.some((d, i) => d !== 1 && d !== x.shape[i]))
      throw new ShapeError(
        `dropout: noiseShape ${formatShape(noise)} does not broadcast to x ${formatShape(x.shape)} (each axis 1 or x's size)`,
      );
    return mul(
      x,
      noGrad(() => maskTensor(dtype, noise, params)),
    );
  }
  const out = allocateUninit(x.dtype, x.size) as FloatArray;
  kernels().dropout(x.data as FloatArray, out, params);
  return record(
    "dropout",
    new Tensor(out, x.shape),
    [x],
    (dy) => {
      const dx = allocateUninit(dy.dtype, dy.size) as FloatArray;
      kernels().dropoutBackward(dy.data as FloatArray, dx, params);
      return [new Tensor(dx, x.shape)];
    },
    // the composed form, which a second derivative goes through
    ([a]) =>
      mul(
        a!,
        noGrad(() => maskTensor(dtype, x.shape, params)),
      ),
  );
}
