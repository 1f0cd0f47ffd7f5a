// native/gemm-avx2: the AVX2 + FMA GEMM path. Micro-kernel tile 6 x 16 floats (or 6 x 8
// doubles): 12 ymm accumulators, 2 ymm of B per k step, A broadcast. Edge tiles are computed
// whole into a local buffer (the packed panels are zero-padded) and the valid part copied out.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>

#include "gemm.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

#include "simd-math-avx2.h"

namespace tessera {
namespace {

constexpr int kMR = 6;

template <typename T>
struct Ymm;

template <>
struct Ymm<float> {
  using V = __m256;
  static constexpr int L = 8;
  static TESSERA_INLINE V zero() { return _mm256_setzero_ps(); }
  static TESSERA_INLINE V load(const float* p) { return _mm256_loadu_ps(p); }
  static TESSERA_INLINE V loadu(const float* p) { return _mm256_loadu_ps(p); }
  static TESSERA_INLINE void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  static TESSERA_INLINE V broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static TESSERA_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
  static TESSERA_INLINE V relu(V v) { return _mm256_max_ps(_mm256_setzero_ps(), v); }
  static TESSERA_INLINE V sigmoid(V v) { return avx2::sigmoidPs(v); }
  static TESSERA_INLINE V tanh(V v) { return avx2::tanhPs(v); }
  static constexpr bool kVectorActivations = true;
};

template <>
struct Ymm<double> {
  using V = __m256d;
  static constexpr int L = 4;
  static TESSERA_INLINE V zero() { return _mm256_setzero_pd(); }
  static TESSERA_INLINE V load(const double* p) { return _mm256_loadu_pd(p); }
  static TESSERA_INLINE V loadu(const double* p) { return _mm256_loadu_pd(p); }
  static TESSERA_INLINE void storeu(double* p, V v) { _mm256_storeu_pd(p, v); }
  static TESSERA_INLINE V broadcast(const double* p) { return _mm256_broadcast_sd(p); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static TESSERA_INLINE V add(V a, V b) { return _mm256_add_pd(a, b); }
  static TESSERA_INLINE V relu(V v) { return _mm256_max_pd(_mm256_setzero_pd(), v); }
  static TESSERA_INLINE V sigmoid(V v) { return v; }
  static TESSERA_INLINE V tanh(V v) { return v; }
  static constexpr bool kVectorActivations = false;
};

template <typename T>
constexpr int kNR = 2 * Ymm<T>::L;

template <typename T>
void tile(const TileArgs<T>& t) {
  using Y = Ymm<T>;
  using V = typename Y::V;
  constexpr int L = Y::L;
  constexpr int NR = kNR<T>;
  V acc[kMR][2];
#pragma GCC unroll 8
  for (int r = 0; r < kMR; r++) acc[r][0] = acc[r][1] = Y::zero();
  const T* ap = t.ap;
  const T* bp = t.bp;
  const i64 kc = t.kc, bStride = t.bStride;  // locals: stores to C must not force reloads
  for (i64 p = 0; p < kc; p++) {
    const V b0 = Y::load(bp), b1 = Y::load(bp + L);
#pragma GCC unroll 8
    for (int r = 0; r < kMR; r++) {
      const V a = Y::broadcast(ap + r);
      acc[r][0] = Y::fma(a, b0, acc[r][0]);
      acc[r][1] = Y::fma(a, b1, acc[r][1]);
    }
    ap += kMR;
    bp += bStride;
  }

  const bool full = t.rows == kMR && t.cols == NR;
  alignas(64) T buffer[kMR * NR];
  T* out = full ? t.c : buffer;
  const i64 ld = full ? t.ldc : NR;
  const Activation act = t.epilogue ? t.activation : Activation::None;
  const bool vectorAct = full && (Y::kVectorActivations || act == Activation::None || act == Activation::Relu);
  const bool withBias = vectorAct && t.epilogue && t.bias != nullptr;
  const V bias0 = withBias ? Y::loadu(t.bias) : Y::zero();
  const V bias1 = withBias ? Y::loadu(t.bias + L) : Y::zero();
#pragma GCC unroll 8
  for (int r = 0; r < kMR; r++) {
    V x0 = acc[r][0], x1 = acc[r][1];
    T* row = out + r * ld;
    if (full && t.accumulate) {
      x0 = Y::add(x0, Y::loadu(row));
      x1 = Y::add(x1, Y::loadu(row + L));
    }
    if (vectorAct) {
      x0 = Y::add(x0, bias0);
      x1 = Y::add(x1, bias1);
      if (act == Activation::Relu) {
        x0 = Y::relu(x0);
        x1 = Y::relu(x1);
      } else if (act == Activation::Sigmoid) {
        x0 = Y::sigmoid(x0);
        x1 = Y::sigmoid(x1);
      } else if (act == Activation::Tanh) {
        x0 = Y::tanh(x0);
        x1 = Y::tanh(x1);
      }
    }
    Y::storeu(row, x0);
    Y::storeu(row + L, x1);
  }
  if (!full) {
    for (int r = 0; r < t.rows; r++) {
      T* row = t.c + r * t.ldc;
      const T* src = buffer + r * NR;
      for (int j = 0; j < t.cols; j++) row[j] = t.accumulate ? row[j] + src[j] : src[j];
    }
  }
  if (!vectorAct && t.epilogue && (t.bias != nullptr || act != Activation::None))
    epilogueGeneric<T>(t.c, t.ldc, t.rows, t.cols, t.bias, act);
}

template <typename T>
GemmKernel<T> makeKernel() {
  GemmKernel<T> k;
  k.mr = kMR;
  k.nr = kNR<T>;
  k.kc = 256;
  k.nc = 1024;
  k.tile = tile<T>;
  k.packRows = packRowsGeneric<T>;
  k.packColumns = packColumnsGeneric<T>;
  return k;
}

}  // namespace

template <typename T>
const GemmKernel<T>& gemmKernelAvx2() {
  static const GemmKernel<T> kernel = makeKernel<T>();
  return kernel;
}

template const GemmKernel<float>& gemmKernelAvx2<float>();
template const GemmKernel<double>& gemmKernelAvx2<double>();

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
