// backend/fused/layer-norm: the layerNorm fused op. Its contract (NormParams, the kernel types),
// the reference forward and adjoint as plain loops (the specification the native kernels in
// native/src/norm-*.cc are checked against) and the native call's trailing arguments.
// The kernels normalise each row of a contiguous [rows, cols] view over its cols elements. Per-row
// statistics (mean, rstd = 1 / sqrt(variance + epsilon)) are written by the forward kernel in x's
// dtype and read back by the adjoint. Row statistics and the parameter gradients (sums over rows)
// accumulate in float64 (JS numbers); stores round to the arrays' dtype.
import type { FloatArray } from "../../core/dtype.js";
import { defineFusedOp } from "./define.js";

/** A [rows, cols] view normalised row by row; epsilon is added to the variance (mean square). */
export interface NormParams {
  rows: number;
  cols: number;
  epsilon: number;
}

/**
 * Layer norm of each row of x (rows, cols): y = (x - mean) rstd gamma + beta, with mean and
 * rstd = 1 / sqrt(var + epsilon) (population variance) written to mean and rstd (rows). gamma and
 * beta (cols) are optional: null means 1 and 0.
 */
export type LayerNormKernel = (
  x: FloatArray,
  gamma: FloatArray | null,
  beta: FloatArray | null,
  out: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  params: NormParams,
) => void;

/**
 * The adjoint of layerNorm from the saved mean and rstd: with g = dy gamma and xhat = (x - mean)
 * rstd, dx = rstd (g - mean_c(g) - xhat mean_c(g xhat)); dgamma = sum_rows dy xhat and dbeta =
 * sum_rows dy (each skipped when null). Overwrites dx, dgamma and dbeta.
 */
export type LayerNormBackwardKernel = (
  dy: FloatArray,
  x: FloatArray,
  gamma: FloatArray | null,
  mean: FloatArray,
  rstd: FloatArray,
  dx: FloatArray,
  dgamma: FloatArray | null,
  dbeta: FloatArray | null,
  params: NormParams,
) => void;

/** Float64 sums over rows for a parameter gradient, or null when that gradient is not wanted. */
export function rowSums(wanted: FloatArray | null, cols: number): Float64Array | null {
  return wanted === null ? null : new Float64Array(cols);
}

const layerNormKernel: LayerNormKernel = (x, gamma, beta, out, mean, rstd, p) => {
  const { rows, cols, epsilon } = p;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += x[base + c]!;
    const mu = sum / cols;
    let squares = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[base + c]! - mu;
      squares += d * d;
    }
    const rs = 1 / Math.sqrt(squares / cols + epsilon);
    mean[r] = mu;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) {
      let y = (x[base + c]! - mu) * rs;
      if (gamma !== null) y *= gamma[c]!;
      if (beta !== null) y += beta[c]!;
      out[base + c] = y;
    }
  }
};

const layerNormBackwardKernel: LayerNormBackwardKernel = (dy, x, gamma, mean, rstd, dx, dgamma, dbeta, p) => {
  const { rows, cols } = p;
  const gammaSum = rowSums(dgamma, cols);
  const betaSum = rowSums(dbeta, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const mu = mean[r]!;
    const rs = rstd[r]!;
    // g = dy gamma; sums of g and g xhat over the row
    let sumG = 0;
    let sumGX = 0;
    for (let c = 0; c < cols; c++) {
      const d = dy[base + c]!;
      const g = gamma === null ? d : d * gamma[c]!;
      const xhat = (x[base + c]! - mu) * rs;
      sumG += g;
      sumGX += g * xhat;
      if (gammaSum !== null) gammaSum[c]! += d * xhat;
      if (betaSum !== null) betaSum[c]! += d;
    }
    const meanG = sumG / cols;
    const meanGX = sumGX / cols;
    for (let c = 0; c < cols; c++) {
      const g = gamma === null ? dy[base + c]! : dy[base + c]! * gamma[c]!;
      const xhat = (x[base + c]! - mu) * rs;
      dx[base + c] = rs * (g - meanG - xhat * meanGX);
    }
  }
  if (dgamma !== null && gammaSum !== null) dgamma.set(gammaSum);
  if (dbeta !== null && betaSum !== null) dbeta.set(betaSum);
};

export const layerNorm = defineFusedOp({
  name: "layerNorm",
  reference: layerNormKernel,
  vjp: layerNormBackwardKernel,
  positional: {
    forward: (p) => [p.rows, p.cols, p.epsilon],
    backward: (p) => [p.rows, p.cols],
  },
});
