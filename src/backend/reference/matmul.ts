// backend/reference/matmul: batched GEMM, cache-blocked, with the bias + activation epilogue.
// Per batch: out (m, n) = op(A) (m, k) @ op(B) (k, n). B is packed into a contiguous (kc, n)
// panel per k-block so the inner loop streams two rows; A is read through its strides.
import type { FloatArray } from "../../core/dtype.js";
import type { EpilogueActivation, Kernels, MatmulParams } from "../kernels.js";
import { sigmoid } from "./scalar-math.js";

const K_BLOCK = 128; // rows of the packed B panel (kc)
const N_BLOCK = 512; // columns of the packed B panel (nc): kc * nc * 8 bytes = 512 KiB fits L2

export const matmulKernel: Kernels["matmul"] = (a, b, out, params) => {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = params;
  const panel = new Float64Array(Math.min(K_BLOCK, Math.max(k, 1)) * Math.min(N_BLOCK, Math.max(n, 1)));
  const row = new Float64Array(Math.min(N_BLOCK, Math.max(n, 1)));
  // element strides of op(A) (i, p) and op(B) (p, j)
  const aRowStride = transA ? 1 : k;
  const aColStride = transA ? m : 1;
  const bRowStride = transB ? 1 : n;
  const bColStride = transB ? k : 1;
  for (let bt = 0; bt < batch; bt++) {
    const aBase = bt * aBatchStride;
    const bBase = bt * bBatchStride;
    const oBase = bt * m * n;
    out.fill(0, oBase, oBase + m * n);
    for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
      const nc = Math.min(N_BLOCK, n - j0);
      for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
        const kc = Math.min(K_BLOCK, k - p0);
        // pack B[p0:p0+kc, j0:j0+nc] row-major into panel (kc, nc)
        for (let p = 0; p < kc; p++) {
          const src = bBase + (p0 + p) * bRowStride + j0 * bColStride;
          const dst = p * nc;
          for (let j = 0; j < nc; j++) panel[dst + j] = b[src + j * bColStride]!;
        }
        for (let i = 0; i < m; i++) {
          const aRow = aBase + i * aRowStride + p0 * aColStride;
          const o = oBase + i * n + j0;
          for (let j = 0; j < nc; j++) row[j] = out[o + j]!;
          for (let p = 0; p < kc; p++) {
            const av = a[aRow + p * aColStride]!;
            const pp = p * nc;
            for (let j = 0; j < nc; j++) row[j] = row[j]! + av * panel[pp + j]!;
          }
          for (let j = 0; j < nc; j++) out[o + j] = row[j]!;
        }
      }
    }
    applyEpilogue(out, oBase, m, n, params);
  }
};

function applyEpilogue(out: FloatArray, base: number, m: number, n: number, params: MatmulParams): void {
  const { bias } = params;
  const activation: EpilogueActivation = params.activation ?? "none";
  if (!bias && activation === "none") return;
  for (let i = 0; i < m; i++) {
    const o = base + i * n;
    for (let j = 0; j < n; j++) {
      let v = out[o + j]! + (bias ? bias[j]! : 0);
      if (activation === "relu") v = Math.max(v, 0);
      else if (activation === "sigmoid") v = sigmoid(v);
      else if (activation === "tanh") v = Math.tanh(v);
      out[o + j] = v;
    }
  }
}
