// ops/lstm-from-inputs: an LSTM layer's recurrence from its inputs, lstmSequence(linear(x, W, b),
// U, h0, c0) as one op. On the whole-sequence kernels (no masks) the input projection x W + b goes
// to scratch memory that only this call reads, and its gradients (dx, dW, db) come from dz inside
// the op, so the 4H-wide projection and its gradient never become tensors of their own (in the
// LSTM bench, 4 MB each per training step that the garbage collector no longer chases). With masks
// it is exactly that composition. Shapes (time-major): T steps, B batch, F features, H units.

import type { FloatArray } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { linear } from "./linalg.js";
import { type LstmSequenceOptions, lstmSequence, runsWholeSequence } from "./lstm-sequence.js";
import { lstmSequenceWhole } from "./lstm-sequence-whole.js";
import { requireFloat, type TensorLike, toTensor } from "./operand.js";
import { gemm, scratchArray, setupSequence } from "./recurrent-shared.js";

/**
 * An LSTM over x (T, B, F) with input kernel (F, 4H), bias (4H) or null, recurrent kernel (H, 4H)
 * and initial states h0, c0 (B, H): the result of lstmSequence(linear(x, inputKernel, bias),
 * recurrentKernel, h0, c0, options), (2, T, B, H), or (2, B, H) with finalStates. Differentiable
 * in every input.
 * @example
 * const finals = lstmFromInputs(x, w, b, u, zeros([B, H]), zeros([B, H]), { finalStates: true });
 */
export function lstmFromInputs(
  xInput: TensorLike,
  inputKernelInput: TensorLike,
  biasInput: TensorLike | null,
  kernelInput: TensorLike,
  h0Input: TensorLike,
  c0Input: TensorLike,
  options: LstmSequenceOptions = {},
): Tensor {
  const x = toTensor(xInput);
  const w = toTensor(inputKernelInput);
  const bias = biasInput === null ? null : toTensor(biasInput);
  const kernel = toTensor(kernelInput);
  const h0 = toTensor(h0Input);
  const c0 = toTensor(c0Input);
  if (!runsWholeSequence(options)) return lstmSequence(linear(x, w, bias), kernel, h0, c0, options);
  const op = "lstmFromInputs";
  requireFloat(op, x);
  if (w.dtype !== x.dtype || (bias !== null && bias.dtype !== x.dtype))
    throw new DTypeError(
      `${op}: dtypes differ (got x ${x.dtype}, input kernel ${w.dtype}${bias ? `, bias ${bias.dtype}` : ""})`,
    );
  if (x.rank !== 3 || w.rank !== 2 || w.shape[0] !== x.shape[2]) {
    throw new ShapeError(
      `${op}: x (T, B, F) and input kernel (F, 4H) do not fit (got ${formatShape(x.shape)} and ${formatShape(w.shape)})`,
    );
  }
  const [T, B, F] = x.shape as [number, number, number];
  const G = w.shape[1]!;
  if (bias !== null && (bias.rank !== 1 || bias.size !== G))
    throw new ShapeError(`${op}: bias must have shape [${G}] (got ${formatShape(bias.shape)})`);
  const dtype = x.dtype as "float32" | "float64";
  const xProjData = scratchArray("lstmFromInputs.xProj", dtype, T * B * G); // (T, B, 4H)
  const biasData = bias === null ? undefined : (bias.data as FloatArray);
  const project = (): void =>
    gemm(x.data as FloatArray, w.data as FloatArray, xProjData, T * B, G, F, { bias: biasData });
  project();
  const xProj = new Tensor(xProjData, [T, B, G]); // never recorded, never returned
  const setup = setupSequence(op, xProj, kernel, [h0, c0], 4, options);
  return lstmSequenceWhole({
    xProj,
    kernel,
    h0,
    c0,
    setup,
    options,
    finalStates: options.finalStates ?? false,
    projection: { x, kernel: w, bias, project },
  });
}
