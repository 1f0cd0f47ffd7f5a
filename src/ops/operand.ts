// ops/operand: turning op arguments into tensors and checking their dtypes. A plain JS number next
// to a tensor takes that tensor's dtype; a number that dtype cannot hold widens to float32.
import { allocate, type DType, isFloatDType } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { type TensorInput, tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";

/** Anything an op accepts as a tensor argument. */
export type TensorLike = Tensor | number | boolean | TensorInput;

export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = dtype === "bool" ? (value !== 0 ? 1 : 0) : value;
  return new Tensor(data, []);
}

/** Converts an argument that has no partner to take a dtype from. */
export function toTensor(x: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return scalarTensor(x, "float32");
  if (typeof x === "boolean") return scalarTensor(x ? 1 : 0, "bool");
  return tensor(x);
}

/** Converts a pair of arguments, letting a JS number take the dtype of the tensor beside it. */
export function toTensorPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor && !(b instanceof Tensor)) return [a, partner(b, a.dtype)];
  if (b instanceof Tensor && !(a instanceof Tensor)) return [partner(a, b.dtype), b];
  const ta = toTensor(a);
  const tb = toTensor(b);
  if (ta.dtype !== tb.dtype) {
    throw new DTypeError(
      `${op}: dtypes differ (got ${ta.dtype} and ${tb.dtype}); cast one of them with cast()`,
    );
  }
  return [ta, tb];
}

function partner(x: Exclude<TensorLike, Tensor>, dtype: DType): Tensor {
  if (typeof x === "number") {
    // a number the tensor's dtype cannot hold (1.5 beside int32, 2 or 0.5 beside bool) widens to float32
    const fits = dtype === "int32" ? Number.isInteger(x) : dtype === "bool" ? x === 0 || x === 1 : true;
    return scalarTensor(x, fits ? dtype : "float32");
  }
  if (typeof x === "boolean") return scalarTensor(x ? 1 : 0, dtype);
  return tensor(x, { dtype });
}

export function requireFloat(op: string, t: Tensor): void {
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(
      `${op}: expected a floating-point tensor (got ${t.dtype}); cast it with cast(x, "float32")`,
    );
  }
}

export function requireNumeric(op: string, t: Tensor): void {
  if (t.dtype === "bool") {
    throw new DTypeError(`${op}: arithmetic on bool tensors is not supported; cast to a numeric dtype first`);
  }
}
