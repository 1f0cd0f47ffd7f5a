// backend/reference/epilogue: the adjoint of matmul's fused bias + activation epilogue (the
// specification of Kernels.epilogueBackward): dz = dy act'(y) from the saved output, and the bias
// gradient as the column sums of dz. Every element in float64, rounded once into dz's dtype.
import type { FloatArray } from "../../core/dtype.js";
import type { Kernels } from "../kernels.js";

/** See Kernels.epilogueBackward. */
export const epilogueBackwardKernel: Kernels["epilogueBackward"] = (y, dy, dz, dBias, p) => {
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
