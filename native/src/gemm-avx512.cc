// native/gemm-avx512: the AVX-512 GEMM path. Micro-kernel tile 14 x 32 floats (or 14 x 16
// doubles): 28 zmm accumulators, 2 zmm of B per k step, A broadcast from memory, FMA.
// Every function in this file is compiled for AVX-512 and only called after CPUID said so.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>

#include "gemm.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

#include "simd-math-avx512.h"

namespace tessera {
namespace {

constexpr int kMR = 14;  // rows of the register tile

/** The vector operations the micro-kernel needs, for one element type. */
template <typename T>
struct Zmm;

template <>
struct Zmm<float> {
  using V = __m512;
  using M = __mmask16;
  static constexpr int L = 16;
  static TESSERA_INLINE V zero() { return _mm512_setzero_ps(); }
  static TESSERA_INLINE V load(const float* p) { return _mm512_loadu_ps(p); }
  static TESSERA_INLINE V broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static TESSERA_INLINE V add(V a, V b) { return _mm512_add_ps(a, b); }
  static TESSERA_INLINE V loadMasked(M m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }
  static TESSERA_INLINE void storeMasked(float* p, M m, V v) { _mm512_mask_storeu_ps(p, m, v); }
  // max(0, v) returning v when it is NaN (the second operand wins on NaN)
  static TESSERA_INLINE V relu(V v) { return _mm512_max_ps(_mm512_setzero_ps(), v); }
  static TESSERA_INLINE V sigmoid(V v) { return avx512::sigmoidPs(v); }
  static TESSERA_INLINE V tanh(V v) { return avx512::tanhPs(v); }
  static constexpr bool kVectorActivations = true;
};

template <>
struct Zmm<double> {
  using V = __m512d;
  using M = __mmask8;
  static constexpr int L = 8;
  static TESSERA_INLINE V zero() { return _mm512_setzero_pd(); }
  static TESSERA_INLINE V load(const double* p) { return _mm512_loadu_pd(p); }
  static TESSERA_INLINE V broadcast(const double* p) { return _mm512_set1_pd(*p); }
  static TESSERA_INLINE V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static TESSERA_INLINE V add(V a, V b) { return _mm512_add_pd(a, b); }
  static TESSERA_INLINE V loadMasked(M m, const double* p) { return _mm512_maskz_loadu_pd(m, p); }
  static TESSERA_INLINE void storeMasked(double* p, M m, V v) { _mm512_mask_storeu_pd(p, m, v); }
  static TESSERA_INLINE V relu(V v) { return _mm512_max_pd(_mm512_setzero_pd(), v); }
  static TESSERA_INLINE V sigmoid(V v) { return v; }  // float64 sigmoid/tanh: scalar pass below
  static TESSERA_INLINE V tanh(V v) { return v; }
  static constexpr bool kVectorActivations = false;
};

template <typename T>
constexpr int kNR = 2 * Zmm<T>::L;  // columns of the register tile: two vectors

/** Lanes [0, count) of a vector, count clamped to [0, L]. */
template <typename T>
TESSERA_INLINE typename Zmm<T>::M laneMask(int count) {
  if (count <= 0) return 0;
  if (count >= Zmm<T>::L) return static_cast<typename Zmm<T>::M>(~0u);
  return static_cast<typename Zmm<T>::M>((1u << count) - 1);
}

/**
 * C (ROWS x cols) [+]= Ap (kc x MR, first ROWS used) * Bp (kc x NR, first NV vectors used),
 * then bias + activation on the last k block.
 */
template <typename T, int ROWS, int NV, bool IN_PLACE_A = false>
void tileKernel(const TileArgs<T>& t) {
  using Z = Zmm<T>;
  using V = typename Z::V;
  constexpr int L = Z::L;
  V acc[ROWS][NV];
#pragma GCC unroll 32
  for (int r = 0; r < ROWS; r++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) acc[r][v] = Z::zero();

  // Fetch the C tile while the k loop runs: its rows are ldc apart, often in conflicting L1
  // sets, and a miss at the end of the tile would stall the stores.
  if (t.accumulate) {
#pragma GCC unroll 32
    for (int r = 0; r < ROWS; r++) {
      _mm_prefetch(reinterpret_cast<const char*>(t.c + r * t.ldc), _MM_HINT_T0);
      if (NV == 2) _mm_prefetch(reinterpret_cast<const char*>(t.c + r * t.ldc + L), _MM_HINT_T0);
    }
  }
  const T* ap = t.ap;
  const T* bp = t.bp;
  // A packed: the tile's rows at ap[r], kMR apart per k step; in place: at ap[r * lda], 1 apart
  const i64 rowStep = IN_PLACE_A ? t.aRowStride : 1;
  const i64 kStep = IN_PLACE_A ? 1 : kMR;
  for (i64 p = 0; p < t.kc; p++) {
    V b[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) b[v] = Z::load(bp + v * L);
#pragma GCC unroll 32
    for (int r = 0; r < ROWS; r++) {
      const V a = Z::broadcast(ap + r * rowStep);
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) acc[r][v] = Z::fma(a, b[v], acc[r][v]);
    }
    ap += kStep;
    bp += t.bStride;
  }

  typename Z::M masks[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; v++) masks[v] = laneMask<T>(t.cols - v * L);
  const bool withBias = t.epilogue && t.bias != nullptr;
  const Activation act = t.epilogue ? t.activation : Activation::None;
  const bool vectorAct = Z::kVectorActivations || act == Activation::None || act == Activation::Relu;
  V bias[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; v++) bias[v] = withBias ? Z::loadMasked(masks[v], t.bias + v * L) : Z::zero();
#pragma GCC unroll 32
  for (int r = 0; r < ROWS; r++) {
    T* row = t.c + r * t.ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) {
      V x = acc[r][v];
      if (t.accumulate) x = Z::add(x, Z::loadMasked(masks[v], row + v * L));
      if (vectorAct) {
        if (withBias) x = Z::add(x, bias[v]);
        if (act == Activation::Relu) x = Z::relu(x);
        else if (act == Activation::Sigmoid) x = Z::sigmoid(x);
        else if (act == Activation::Tanh) x = Z::tanh(x);
      }
      Z::storeMasked(row + v * L, masks[v], x);
    }
  }
  if (!vectorAct) epilogueGeneric<T>(t.c, t.ldc, ROWS, t.cols, t.bias, act);
}

template <typename T, int ROWS>
TESSERA_INLINE void tileRows(const TileArgs<T>& t) {
  if (t.cols > Zmm<T>::L) tileKernel<T, ROWS, 2>(t);
  else tileKernel<T, ROWS, 1>(t);
}

/** A read in place (GemmKernel::tileInPlaceA). */
template <typename T, int ROWS>
TESSERA_INLINE void tileRowsInPlaceA(const TileArgs<T>& t) {
  if (t.cols > Zmm<T>::L) tileKernel<T, ROWS, 2, true>(t);
  else tileKernel<T, ROWS, 1, true>(t);
}

/** Calls KERNEL<T, rows>(t) for the tile's valid rows (a full tile is the common case). */
#define TESSERA_DISPATCH_ROWS(KERNEL)       \
  switch (t.rows) {                         \
    case 14: return KERNEL<T, 14>(t);       \
    case 13: return KERNEL<T, 13>(t);       \
    case 12: return KERNEL<T, 12>(t);       \
    case 11: return KERNEL<T, 11>(t);       \
    case 10: return KERNEL<T, 10>(t);       \
    case 9: return KERNEL<T, 9>(t);         \
    case 8: return KERNEL<T, 8>(t);         \
    case 7: return KERNEL<T, 7>(t);         \
    case 6: return KERNEL<T, 6>(t);         \
    case 5: return KERNEL<T, 5>(t);         \
    case 4: return KERNEL<T, 4>(t);         \
    case 3: return KERNEL<T, 3>(t);         \
    case 2: return KERNEL<T, 2>(t);         \
    default: return KERNEL<T, 1>(t);        \
  }

template <typename T>
void tile(const TileArgs<T>& t) {
  TESSERA_DISPATCH_ROWS(tileRows)
}

template <typename T>
void tileInPlaceA(const TileArgs<T>& t) {
  TESSERA_DISPATCH_ROWS(tileRowsInPlaceA)
}

#undef TESSERA_DISPATCH_ROWS

/** See GemmKernel::packRows: masked copies, the source read row by row (and prefetched ahead). */
template <typename T>
void packRows(const T* src, i64 ld, i64 kc, i64 cols, int W, T* dst) {
  using Z = Zmm<T>;
  constexpr int L = Z::L;
  const i64 panels = (cols + W - 1) / W;
  for (i64 p = 0; p < kc; p++) {
    const T* s = src + p * ld;
    T* d = dst + p * W;
    prefetchPackRow(s, ld, p, kc, cols);
    for (i64 q = 0; q < panels; q++, s += W, d += kc * W) {
      const int w = static_cast<int>(std::min<i64>(W, cols - q * W));
      for (int j0 = 0; j0 < W; j0 += L) {
        const auto v = Z::loadMasked(laneMask<T>(w - j0), s + j0);
        Z::storeMasked(d + j0, laneMask<T>(W - j0), v);
      }
    }
  }
}

/** Transposes a 16 x 16 block of floats held in 16 registers, in place. */
TESSERA_INLINE void transpose16x16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  __m512 u[16];
  for (int g = 0; g < 4; g++) {
    const __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 1]);
    const __m512d c = _mm512_castps_pd(t[4 * g + 2]), d = _mm512_castps_pd(t[4 * g + 3]);
    u[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));  // column 4L + 0 of rows 4g..4g+3
    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));  // column 4L + 1
    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));  // column 4L + 2
    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));  // column 4L + 3
  }
  for (int c = 0; c < 4; c++) {
    const __m512 v = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x88);
    const __m512 w = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xDD);
    const __m512 v2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x88);
    const __m512 w2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xDD);
    r[c] = _mm512_shuffle_f32x4(v, v2, 0x88);
    r[8 + c] = _mm512_shuffle_f32x4(v, v2, 0xDD);
    r[4 + c] = _mm512_shuffle_f32x4(w, w2, 0x88);
    r[12 + c] = _mm512_shuffle_f32x4(w, w2, 0xDD);
  }
}

/** See GemmKernel::packColumns: 16 x 16 register transposes. */
void packColumnsF32(const float* src, i64 ld, i64 kc, i64 rows, int W, float* dst) {
  const i64 panels = (rows + W - 1) / W;
  for (i64 q = 0; q < panels; q++) {
    const float* s = src + q * W * ld;
    float* d = dst + q * kc * W;
    const int w = static_cast<int>(std::min<i64>(W, rows - q * W));
    for (i64 p0 = 0; p0 < kc; p0 += 16) {
      const int count = static_cast<int>(std::min<i64>(16, kc - p0));
      const __mmask16 pmask = laneMask<float>(count);
      for (int i0 = 0; i0 < W; i0 += 16) {
        __m512 r[16];
        for (int j = 0; j < 16; j++) {
          const int i = i0 + j;
          r[j] = i < w ? _mm512_maskz_loadu_ps(pmask, s + i * ld + p0) : _mm512_setzero_ps();
        }
        transpose16x16(r);
        const __mmask16 smask = laneMask<float>(W - i0);
        float* out = d + p0 * W + i0;
        for (int j = 0; j < count; j++) _mm512_mask_storeu_ps(out + j * W, smask, r[j]);
      }
    }
  }
}

template <typename T>
GemmKernel<T> makeKernel() {
  GemmKernel<T> k;
  k.mr = kMR;
  k.nr = kNR<T>;
  k.kc = sizeof(T) == 4 ? 256 : 192;
  k.nc = 1024;
  k.tile = tile<T>;
  k.tileInPlaceA = tileInPlaceA<T>;
  k.packRows = packRows<T>;
  k.packColumns = packColumnsGeneric<T>;
  return k;
}

}  // namespace

template <typename T>
const GemmKernel<T>& gemmKernelAvx512() {
  static const GemmKernel<T> kernel = [] {
    GemmKernel<T> k = makeKernel<T>();
    if constexpr (sizeof(T) == 4) k.packColumns = packColumnsF32;
    return k;
  }();
  return kernel;
}

template const GemmKernel<float>& gemmKernelAvx512<float>();
template const GemmKernel<double>& gemmKernelAvx512<double>();

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
