// ops/join: concat, stack and split along an axis.

import { record } from "../autograd/backward.js";
import { kernels } from "../backend/registry.js";
import { allocateUninit } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape, normalizeAxis, sizeOf, stridesOf } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { slice } from "./indexing.js";
import { type TensorLike, toTensor } from "./operand.js";
import { expandDims } from "./shape.js";

/** Joins tensors along an existing axis; all other dimensions must match. */
export function concat(inputs: readonly TensorLike[], axis = 0): Tensor {
  if (inputs.length === 0) throw new ValueError("concat: expected at least one tensor");
  const xs = inputs.map(toTensor);
  const first = xs[0]!;
  const a = normalizeAxis("concat", axis, first.rank);
  for (const x of xs) {
    if (x.dtype !== first.dtype)
      throw new DTypeError(`concat: dtypes differ (got ${first.dtype} and ${x.dtype})`);
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes must match except on axis ${axis} (got ${xs.map((t) => formatShape(t.shape)).join(" and ")})`,
      );
    }
  }
  const shape = [...first.shape];
  shape[a] = xs.reduce((p, x) => p + x.shape[a]!, 0);
  const out = allocateUninit(first.dtype, sizeOf(shape));
  const outStrides = stridesOf(shape);
  let offset = 0;
  for (const x of xs) {
    kernels().stridedCopy(
      x.data,
      { offset: 0, strides: stridesOf(x.shape) },
      out,
      { offset: offset * outStrides[a]!, strides: outStrides },
      x.shape,
    );
    offset += x.shape[a]!;
  }
  const y = new Tensor(out, shape);
  return record("concat", y, xs, (dy) => {
    let start = 0;
    return xs.map((x) => {
      const size = x.shape[a]!;
      const part = x.requiresGrad ? slice(dy, axisRange(x.rank, a, start, start + size)) : null;
      start += size;
      return part;
    });
  });
}

function axisRange(rank: number, axis: number, start: number, stop: number): ([number, number] | null)[] {
  return Array.from({ length: rank }, (_, i) => (i === axis ? ([start, stop] as [number, number]) : null));
}

/** Joins same-shaped tensors along a new axis. */
export function stack(inputs: readonly TensorLike[], axis = 0): Tensor {
  if (inputs.length === 0) throw new ValueError("stack: expected at least one tensor");
  const xs = inputs.map(toTensor);
  const first = xs[0]!;
  for (const x of xs) {
    if (x.shape.length !== first.shape.length || x.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(
        `stack: all shapes must be equal (got ${xs.map((t) => formatShape(t.shape)).join(" and ")})`,
      );
    }
  }
  const a = normalizeAxis("stack", axis, first.rank + 1);
  return concat(
    xs.map((x) => expandDims(x, a)),
    a,
  );
}

/**
 * Splits along an axis into `sections` equal parts, or into parts of the given sizes.
 * @example
 * split(arange(6), 3); // three tensors of 2
 * split(arange(6), [1, 5]);
 */
export function split(input: TensorLike, sections: number | readonly number[], axis = 0): Tensor[] {
  const x = toTensor(input);
  const a = normalizeAxis("split", axis, x.rank);
  const length = x.shape[a]!;
  let sizes: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || length % sections !== 0) {
      throw new ShapeError(
        `split: axis ${axis} of size ${length} cannot be split into ${sections} equal parts`,
      );
    }
    sizes = new Array<number>(sections).fill(length / sections);
  } else {
    sizes = [...sections];
    const total = sizes.reduce((p, s) => p + s, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== length) {
      throw new ShapeError(
        `split: sizes [${sizes.join(",")}] must be non-negative integers summing to ${length}`,
      );
    }
  }
  const parts: Tensor[] = [];
  let start = 0;
  for (const size of sizes) {
    parts.push(slice(x, axisRange(x.rank, a, start, start + size)));
    start += size;
  }
  return parts;
}
