// backend/fused/epilogue-backward: the adjoint of matmul's fused bias + activation epilogue (the
// forward is the matmul kernel's epilogue, so this op is an adjoint only): dz = dy act'(y) from the
// saved output, and the bias gradient as the column sums of dz. Every element in float64, rounded
// once into dz's dtype. The specification of native/src/epilogue-backward*.cc.
import type { FloatArray } from "../../core/dtype.js";
import type { EpilogueActivation } from "../kernel-params.js";
import { defineFusedOp } from "./define.js";

/** A [rows, cols] epilogue output y = activation(z) and its activation. */
export interface EpilogueBackwardParams {
  rows: number;
  cols: number;
  activation: EpilogueActivation;
}

/**
 * The adjoint of the GEMM epilogue y = activation(z + bias) over a [rows, cols] view:
 * dz = dy act'(y) with relu' = [y > 0], sigmoid' = y (1 - y), tanh' = (1 - y)(1 + y), each
 * element computed in float64 as dy * act'(y) and rounded once (dy * 1 for "none"); dz may be
 * dy itself, and may be null (nothing written) when activation is "none". When dBias is non-null,
 * dBias[c] = sum over rows of the rounded dz[r, c], accumulated in float64 in row order.
 * y is not read for "none". Overwrites dz and dBias.
 */
export type EpilogueBackwardKernel = (
  y: FloatArray,
  dy: FloatArray,
  dz: FloatArray | null,
  dBias: FloatArray | null,
  params: EpilogueBackwardParams,
) => void;

/** The addon's activation codes (native/src/epilogue-backward.h EpilogueAct). */
const CODES: Record<EpilogueActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };

const epilogueBackwardKernel: EpilogueBackwardKernel = (y, dy, dz, dBias, p) => {
  const { rows, cols, activation } = p;
  const n = rows * cols;
  // the rounded dz values: dz itself, or (dz null, "none") dy
  let out: FloatArray = dy;
  if (dz !== null) {
    out = dz;
    if (activation === "relu") for (let i = 0; i < n; i++) dz[i] = dy[i]! * (y[i]! > 0 ? 1 : 0);
    else if (activation === "sigmoid")
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dz[i] = dy[i]! * (v * (1 - v));
      }
    else if (activation === "tanh")
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dz[i] = dy[i]! * ((1 - v) * (1 + v));
      }
    else if (dz !== dy) for (let i = 0; i < n; i++) dz[i] = dy[i]!;
  }
  if (dBias === null) return;
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c]! += out[base + c]!;
  }
  for (let c = 0; c < cols; c++) dBias[c] = acc[c]!;
};

export const epilogueBackward = defineFusedOp({
  name: "epilogueBackward",
  reference: epilogueBackwardKernel,
  vjp: undefined,
  positional: {
    forward: (p) => [p.rows, p.cols, CODES[p.activation]],
    backward: undefined,
  },
});
