// ops/linalg/index: the ts.linalg namespace (tensor ops, batched over leading axes, float32 and
// float64, gradients where standard). The float64 array-level API lives in ./dense.ts.
export { type CholeskyOptions, cholesky } from "./cholesky.js";
export { diagEmbed, diagonal, trace } from "./diagonal.js";
export { type Eigh, eigh, eigvalsh } from "./eigh.js";
export { type Lstsq, lstsq, matrixRank, pinv, type RcondOptions } from "./lstsq.js";
export { cond, type LinalgNormOptions, type NormOrder, norm } from "./norm.js";
export { type Qr, type QrMode, qr } from "./qr.js";
export { det, inv, type Slogdet, slogdet, solve } from "./solve.js";
export { type Svd, type SvdOptions, svd, svdvals } from "./svd.js";
export { tril, triu } from "./triangle.js";
export { type SolveTriangularOptions, solveTriangular } from "./triangular.js";
