// backend/reference/norm: layer norm and RMS norm over the rows of a contiguous [rows, cols] view,
// forward and adjoint, as plain loops (the specification the native kernels are checked against).
// Every sum is a JS number (float64); stores round to the arrays' dtype.
import type { FloatArray } from "../../core/dtype.js";
import type { Kernels, NormParams } from "../kernels.js";

/** Layer norm of each row; see Kernels.layerNorm. */
export const layerNormKernel: Kernels["layerNorm"] = (x, gamma, beta, out, mean, rstd, p) => {
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

/** Float64 sums over rows for a parameter gradient, or null when that gradient is not wanted. */
function accumulator(wanted: FloatArray | null, cols: number): Float64Array | null {
  return wanted === null ? null : new Float64Array(cols);
}

/** The adjoint of layerNorm; see Kernels.layerNormBackward. */
export const layerNormBackwardKernel: Kernels["layerNormBackward"] = (
  dy,
  x,
  gamma,
  mean,
  rstd,
  dx,
  dgamma,
  dbeta,
  p: NormParams,
) => {
  const { rows, cols } = p;
  const gammaSum = accumulator(dgamma, cols);
  const betaSum = accumulator(dbeta, cols);
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

/** RMS norm of each row; see Kernels.rmsNorm. */
export const rmsNormKernel: Kernels["rmsNorm"] = (x, scale, out, rstd, p) => {
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

/** The adjoint of rmsNorm; see Kernels.rmsNormBackward. */
export const rmsNormBackwardKernel: Kernels["rmsNormBackward"] = (dy, x, scale, rstd, dx, dscale, p) => {
  const { rows, cols } = p;
  const scaleSum = accumulator(dscale, cols);
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
