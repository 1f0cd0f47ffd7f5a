// data/augment/noise: additive Gaussian noise for any float tensor (images or tabular features).
// Layer: data.
import { DTypeError, ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { type RandomSource, resolveGenerator } from "../split/indexable.js";

/**
 * x + N(0, stddev^2) noise, element-wise, seeded.
 * @example
 * gaussianNoise(features, { stddev: 0.05, seed: 1 });
 */
export function gaussianNoise(x: Tensor, options: RandomSource & { stddev: number }): Tensor {
  const op = "gaussianNoise";
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor`);
  if (x.dtype !== "float32" && x.dtype !== "float64")
    throw new DTypeError(`${op}: expected a float tensor (got ${x.dtype})`);
  const { stddev } = options;
  if (!Number.isFinite(stddev) || stddev < 0)
    throw new ValueError(`${op}: stddev must be >= 0 (got ${stddev})`);
  const rng = resolveGenerator(options);
  const out = x.data.slice();
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + rng.normal(0, stddev);
  return new Tensor(out, x.shape);
}
