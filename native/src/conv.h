// native/conv: fused 2-D convolution kernels over channels-last batches, ungrouped, as the reference
// (src/backend/reference/conv.ts) defines them: y = act(patches(x) @ W + bias) and its adjoint.
// Two algorithms per pass, same results up to rounding:
//   Gemm   - patch rows of a block of output pixels (im2col) built in per-thread scratch that fits
//            in L2, then one GEMM per block on the active ISA's micro-kernel (no N*OH*OW x KH*KW*C
//            patch matrix is ever allocated);
//   Direct - loops over the kernel taps with the output (or gradient) vectorised over the
//            filters (conv-direct.h), compiled per ISA (conv-avx2.cc, conv-avx512.cc).
// float32 or float64, one type per call.
#pragma once

#include "common.h"
#include "window.h"

namespace tessera {

enum class ConvAlgorithm : int { Gemm = 0, Direct = 1 };

/**
 * The geometry of x (N, H, W, C) and kernel (KH, KW, C, F); output (N, OH, OW, F). A depthwise
 * shape (groups = C) has kernel (KH, KW, 1, F) with F = C * M: output channel c * M + m sees input
 * channel c only, and both algorithms run the depthwise direct loops.
 */
struct ConvShape {
  WindowGeometry g;
  i64 filters;
  Activation activation;
  bool depthwise;
};

/** out (N*OH*OW, F) = act(patches(x) @ w + bias); bias may be null. */
void convForwardKernel(const Array& x, const Array& w, const Array* bias, const Array& out, const ConvShape& s,
                       ConvAlgorithm algorithm);

/**
 * From y = conv forward output and dy (both N*OH*OW x F): dz = dy * act'(y) (through y), then
 * dx (N, H, W, C) = col2im(dz @ w^T), dw (KH*KW*C, F) = patches(x)^T @ dz, dbias (F) = sum of dz
 * rows. Each output may be null (not computed); every non-null one is overwritten.
 */
void convBackwardKernel(const Array& x, const Array& w, const Array& y, const Array& dy, const Array* dx,
                        const Array* dw, const Array* dbias, const ConvShape& s, ConvAlgorithm inputAlgorithm,
                        ConvAlgorithm filterAlgorithm);

/** One ISA's direct loops (conv-direct.h), on a range [r0, r1) of flat output pixels. */
template <typename T>
struct ConvDirect {
  /** out rows r0..r1 = sum over taps + bias, relu applied (not sigmoid/tanh); zeros: at least C zeros. */
  void (*forward)(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, i64 r0, i64 r1,
                  const T* zeros);
  /** dw (K*C, F) += patches(rows)^T @ dz, dz holding rows r0..r1 (first row at dz). */
  void (*filter)(const T* x, const T* dz, T* dw, const ConvShape& s, i64 r0, i64 r1, const T* zeros);
  /** dx += col2im(dz @ w^T) for rows r0..r1; wt is w per tap transposed to (K, F, C). */
  void (*input)(const T* dz, const T* wt, T* dx, const ConvShape& s, i64 r0, i64 r1);
  /** The same three for a depthwise shape (kernel (K, F), output channel c * M + m reads channel c). */
  void (*depthwiseForward)(const T* x, const T* w, const T* bias, T* out, const ConvShape& s, i64 r0, i64 r1,
                           const T* zeros);
  void (*depthwiseFilter)(const T* x, const T* dz, T* dw, const ConvShape& s, i64 r0, i64 r1, const T* zeros);
  void (*depthwiseInput)(const T* dz, const T* w, T* dx, const ConvShape& s, i64 r0, i64 r1);
  /**
   * dz (rows x F) = dy where y > 0, else 0, and db (F, may be null) += the rows of dz in row order,
   * in one pass; only for F a multiple of the vector lanes and at most `biasFilters`.
   */
  void (*reluBias)(const T* dy, const T* y, i64 rows, i64 F, T* dz, T* db);
  /** db (F) += the rows of dz (rows x F) in row order; same bounds on F as reluBias. */
  void (*biasOnly)(const T* dz, i64 rows, i64 F, T* db);
  /** Vector lanes of this ISA for T, and the widest F (a multiple of them) reluBias and biasOnly take. */
  i64 lanes;
  i64 biasFilters;
};

template <typename T>
const ConvDirect<T>& convDirectScalar();
#if TESSERA_X86
template <typename T>
const ConvDirect<T>& convDirectAvx2();
template <typename T>
const ConvDirect<T>& convDirectAvx512();
#endif

}  // namespace tessera
