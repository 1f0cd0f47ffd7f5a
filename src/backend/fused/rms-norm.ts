// backend/fused/rms-norm: the rmsNorm fused op: its kernel types, the reference forward and
// adjoint as plain loops (the specification native/src/norm-*.cc is checked against) and the
// native call's trailing arguments. Rows of a contiguous [rows, cols] view, as layer-norm says.
import type { FloatArray } from "../../core/dtype.js";
import { defineFusedOp } from "./define.js";
import { type NormParams, rowSums } from "./layer-norm.js";

/**
 * RMS norm of each row of x (rows, cols): y = x rstd scale with rstd = 1 / sqrt(mean(x^2) +
 * epsilon) written to rstd (rows); scale (cols) null means 1.
 */
export type RmsNormKernel = (
  x: FloatArray,
  scale: FloatArray | null,
  out: FloatArray,
  rstd: FloatArray,
  params: NormParams,
) => void;

/**
 * The adjoint of rmsNorm: with g = dy scale and xhat = x rstd, dx = rstd (g - xhat mean_c(g xhat))
 * and dscale = sum_rows dy xhat (skipped when null). Overwrites dx and dscale.
 */
export type RmsNormBackwardKernel = (
  dy: FloatArray,
  x: FloatArray,
  scale: FloatArray | null,
  rstd: FloatArray,
  dx: FloatArray,
  dscale: FloatArray | null,
  params: NormParams,
) => void;

const rmsNormKernel: RmsNormKernel = (x, scale, out, rstd, p) => {
  const { rows, cols, epsilon } = p;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let squares = 0;
    for (let c = 0; c < cols; c++) squares += x[base + c]! * x[base + c]!;
    const rs = 1 / Math.sqrt(squares / cols + epsilon);
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) {
      const y = x[base + c]! * rs;
      out[base + c] = scale === null ? y : y * scale[c]!;
    }
  }
};

const rmsNormBackwardKernel: RmsNormBackwardKernel = (dy, x, scale, rstd, dx, dscale, p) => {
  const { rows, cols } = p;
  const scaleSum = rowSums(dscale, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const rs = rstd[r]!;
    let sumGX = 0;
    for (let c = 0; c < cols; c++) {
      const d = dy[base + c]!;
      const g = scale === null ? d : d * scale[c]!;
      const xhat = x[base + c]! * rs;
      sumGX += g * xhat;
      if (scaleSum !== null) scaleSum[c]! += d * xhat;
    }
    const meanGX = sumGX / cols;
    for (let c = 0; c < cols; c++) {
      const g = scale === null ? dy[base + c]! : dy[base + c]! * scale[c]!;
      dx[base + c] = rs * (g - x[base + c]! * rs * meanGX);
    }
  }
  if (dscale !== null && scaleSum !== null) dscale.set(scaleSum);
};

export const rmsNorm = defineFusedOp({
  name: "rmsNorm",
  reference: rmsNormKernel,
  vjp: rmsNormBackwardKernel,
  positional: {
    forward: (p) => [p.rows, p.cols, p.epsilon],
    backward: (p) => [p.rows, p.cols],
  },
});
