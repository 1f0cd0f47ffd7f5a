// native/norm: layer norm and RMS norm over the rows of a contiguous [rows, cols] view, GELU
// (exact and tanh form) and SwiGLU, forward and adjoint (contracts and specification: the fused-op
// definitions src/backend/fused/{layer-norm,rms-norm,gelu,swiglu}.ts). Row statistics and parameter-gradient sums
// accumulate in double on every path; rows (and GELU elements) are split over the thread pool,
// and the sums over rows of dgamma / dbeta / dscale go through one double partial per thread.
#pragma once

#include "common.h"

namespace tessera {

/** The [rows, cols] view of one call. */
struct NormShape {
  i64 rows = 0;
  i64 cols = 0;
  double epsilon = 0;
};

/**
 * The row loops of one ISA path, over rows [r0, r1). Backward loops add their parameter-gradient
 * terms into the double accumulators (length cols; null when not wanted) and overwrite dx.
 */
template <typename T>
struct NormRows {
  void (*layerNorm)(const T* x, const T* gamma, const T* beta, T* out, T* mean, T* rstd, const NormShape& s, i64 r0,
                    i64 r1);
  void (*layerNormBackward)(const T* dy, const T* x, const T* gamma, const T* mean, const T* rstd, T* dx,
                            double* dgamma, double* dbeta, const NormShape& s, i64 r0, i64 r1);
  void (*rmsNorm)(const T* x, const T* scale, T* out, T* rstd, const NormShape& s, i64 r0, i64 r1);
  void (*rmsNormBackward)(const T* dy, const T* x, const T* scale, const T* rstd, T* dx, double* dscale,
                          const NormShape& s, i64 r0, i64 r1);
  /** GELU of n elements (out may alias x). */
  void (*gelu)(const T* x, T* out, i64 n, bool approximate);
  /** dx = dy gelu'(x) for n elements. */
  void (*geluBackward)(const T* x, const T* dy, T* dx, i64 n, bool approximate);
  /** out = silu(gate) up = gate sigmoid(gate) up for n elements. */
  void (*swiglu)(const T* gate, const T* up, T* out, i64 n);
  /** dGate = dy up silu'(gate), dUp = dy silu(gate) for n elements. */
  void (*swigluBackward)(const T* gate, const T* up, const T* dy, T* dGate, T* dUp, i64 n);
};

struct NormIsa {
  NormRows<float> f32;
  NormRows<double> f64;
};

const NormIsa& normScalar();
#if TESSERA_X86
const NormIsa& normAvx2();
const NormIsa& normAvx512();
#endif

/** The kernels on the active ISA path, split over the thread pool (callers checked lengths). */
template <typename T>
void layerNormKernel(const T* x, const T* gamma, const T* beta, T* out, T* mean, T* rstd, const NormShape& s);
template <typename T>
void layerNormBackwardKernel(const T* dy, const T* x, const T* gamma, const T* mean, const T* rstd, T* dx, T* dgamma,
                             T* dbeta, const NormShape& s);
template <typename T>
void rmsNormKernel(const T* x, const T* scale, T* out, T* rstd, const NormShape& s);
template <typename T>
void rmsNormBackwardKernel(const T* dy, const T* x, const T* scale, const T* rstd, T* dx, T* dscale,
                           const NormShape& s);
template <typename T>
void geluKernel(const T* x, T* out, i64 n, bool approximate);
template <typename T>
void geluBackwardKernel(const T* x, const T* dy, T* dx, i64 n, bool approximate);
template <typename T>
void swigluKernel(const T* gate, const T* up, T* out, i64 n);
template <typename T>
void swigluBackwardKernel(const T* gate, const T* up, const T* dy, T* dGate, T* dUp, i64 n);

}  // namespace tessera
