// native/gemm-scalar: the portable GEMM path (plain C++ the compiler may vectorize for the
// baseline ISA), plus the generic packing and epilogue routines every path uses for edges.
#include <algorithm>
#include <cmath>

#include "gemm.h"

namespace tessera {

template <typename T>
void packRowsGeneric(const T* src, i64 ld, i64 kc, i64 cols, int W, T* dst) {
  const i64 panels = (cols + W - 1) / W;
  // row by row: the source is read sequentially, each panel written sequentially
  for (i64 p = 0; p < kc; p++) {
    const T* s = src + p * ld;
    prefetchPackRow(s, ld, p, kc, cols);
    for (i64 q = 0; q < panels; q++) {
      T* d = dst + q * kc * W + p * W;
      const int w = static_cast<int>(std::min<i64>(W, cols - q * W));
      for (int j = 0; j < w; j++) d[j] = s[q * W + j];
      for (int j = w; j < W; j++) d[j] = T(0);
    }
  }
}

template <typename T>
void packColumnsGeneric(const T* src, i64 ld, i64 kc, i64 rows, int W, T* dst) {
  const i64 panels = (rows + W - 1) / W;
  for (i64 q = 0; q < panels; q++) {
    T* d = dst + q * kc * W;
    const int w = static_cast<int>(std::min<i64>(W, rows - q * W));
    // read each source row once (contiguous along p), scatter it into the panel's column i
    for (int i = 0; i < w; i++) {
      const T* s = src + (q * W + i) * ld;
      for (i64 p = 0; p < kc; p++) d[p * W + i] = s[p];
    }
    for (int i = w; i < W; i++) {
      for (i64 p = 0; p < kc; p++) d[p * W + i] = T(0);
    }
  }
}

/** The reference's activation, computed in double as the reference does. */
inline double activate(double v, Activation activation) {
  switch (activation) {
    case Activation::None:
      return v;
    case Activation::Relu:
      return std::isnan(v) ? v : std::max(v, 0.0);
    case Activation::Sigmoid:
      if (v >= 0) return 1.0 / (1.0 + std::exp(-v));
      return std::exp(v) / (1.0 + std::exp(v));
    case Activation::Tanh:
      return std::tanh(v);
  }
  return v;
}

template <typename T>
void epilogueGeneric(T* c, i64 ldc, int rows, int cols, const T* bias, Activation activation) {
  for (int r = 0; r < rows; r++) {
    T* row = c + r * ldc;
    for (int j = 0; j < cols; j++) {
      double v = static_cast<double>(row[j]);
      if (bias != nullptr) v += static_cast<double>(bias[j]);
      row[j] = static_cast<T>(activate(v, activation));
    }
  }
}

template void packRowsGeneric<float>(const float*, i64, i64, i64, int, float*);
template void packRowsGeneric<double>(const double*, i64, i64, i64, int, double*);
template void packColumnsGeneric<float>(const float*, i64, i64, i64, int, float*);
template void packColumnsGeneric<double>(const double*, i64, i64, i64, int, double*);
template void epilogueGeneric<float>(float*, i64, int, int, const float*, Activation);
template void epilogueGeneric<double>(double*, i64, int, int, const double*, Activation);

namespace {

// 4 x 8 floats (or doubles) of C in registers: small enough for the 16 baseline SSE registers.
constexpr int kMR = 4;
constexpr int kNR = 8;

template <typename T>
void tileScalar(const TileArgs<T>& t) {
  T acc[kMR][kNR] = {};
  const T* ap = t.ap;
  const T* bp = t.bp;
  for (i64 p = 0; p < t.kc; p++, ap += kMR, bp += t.bStride) {
    for (int r = 0; r < kMR; r++) {
      const T av = ap[r];
      for (int j = 0; j < kNR; j++) acc[r][j] += av * bp[j];
    }
  }
  for (int r = 0; r < t.rows; r++) {
    T* row = t.c + r * t.ldc;
    for (int j = 0; j < t.cols; j++) row[j] = t.accumulate ? row[j] + acc[r][j] : acc[r][j];
  }
  if (t.epilogue && (t.bias != nullptr || t.activation != Activation::None))
    epilogueGeneric<T>(t.c, t.ldc, t.rows, t.cols, t.bias, t.activation);
}

template <typename T>
GemmKernel<T> makeScalarKernel() {
  GemmKernel<T> k;
  k.mr = kMR;
  k.nr = kNR;
  k.kc = 256;
  k.nc = 2048;
  k.tile = tileScalar<T>;
  k.packRows = packRowsGeneric<T>;
  k.packColumns = packColumnsGeneric<T>;
  return k;
}

}  // namespace

template <typename T>
const GemmKernel<T>& gemmKernelScalar() {
  static const GemmKernel<T> kernel = makeScalarKernel<T>();
  return kernel;
}

template const GemmKernel<float>& gemmKernelScalar<float>();
template const GemmKernel<double>& gemmKernelScalar<double>();

}  // namespace tessera
