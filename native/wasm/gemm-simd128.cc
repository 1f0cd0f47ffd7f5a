// native/wasm/gemm-simd128: the GEMM micro-kernel for WebAssembly SIMD128, in the slot of the
// portable path (gemmKernelScalar, which the driver takes on every non-x86 target). Float32 tile
// 4 x 16: 16 f32x4 accumulators, 4 of B per k step, A splatted; SIMD128 has no fused multiply-add,
// so each step is a multiply and an add, which V8 keeps in xmm registers. Float64 keeps the
// portable kernel. The scalar build of native/src/gemm-scalar.cc is compiled in this module with
// gemmKernelScalar renamed to gemmKernelPortable (scripts/build-wasm.mjs), and still supplies the
// packing and epilogue routines every path shares.
#include <wasm_simd128.h>

#include <algorithm>

#include "../src/gemm.h"

namespace tessera {

template <typename T>
const GemmKernel<T>& gemmKernelPortable();

namespace {

constexpr int kMR = 4;
constexpr int kNR = 16;

TESSERA_INLINE v128_t madd(v128_t a, v128_t b, v128_t c) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }

void tileF32(const TileArgs<float>& t) {
  v128_t acc[kMR][4];
#pragma clang loop unroll(full)
  for (int r = 0; r < kMR; r++) acc[r][0] = acc[r][1] = acc[r][2] = acc[r][3] = wasm_f32x4_splat(0.0f);
  const float* ap = t.ap;
  const float* bp = t.bp;
  const i64 kc = t.kc, bStride = t.bStride;
  for (i64 p = 0; p < kc; p++) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    const v128_t b2 = wasm_v128_load(bp + 8), b3 = wasm_v128_load(bp + 12);
#pragma clang loop unroll(full)
    for (int r = 0; r < kMR; r++) {
      const v128_t a = wasm_v128_load32_splat(ap + r);
      acc[r][0] = madd(a, b0, acc[r][0]);
      acc[r][1] = madd(a, b1, acc[r][1]);
      acc[r][2] = madd(a, b2, acc[r][2]);
      acc[r][3] = madd(a, b3, acc[r][3]);
    }
    ap += kMR;
    bp += bStride;
  }

  const bool full = t.rows == kMR && t.cols == kNR;
  alignas(16) float buffer[kMR * kNR];
  float* out = full ? t.c : buffer;
  const i64 ld = full ? t.ldc : kNR;
  const Activation act = t.epilogue ? t.activation : Activation::None;
  // bias and relu on the registers of a full tile; sigmoid, tanh and edges in double afterwards
  const bool vectorAct = full && (act == Activation::None || act == Activation::Relu);
  const bool withBias = vectorAct && t.epilogue && t.bias != nullptr;
  v128_t bias[4];
  for (int j = 0; j < 4; j++) bias[j] = withBias ? wasm_v128_load(t.bias + 4 * j) : wasm_f32x4_splat(0.0f);
  const v128_t zero = wasm_f32x4_splat(0.0f);
#pragma clang loop unroll(full)
  for (int r = 0; r < kMR; r++) {
    float* row = out + r * ld;
    for (int j = 0; j < 4; j++) {
      v128_t x = acc[r][j];
      if (full && t.accumulate) x = wasm_f32x4_add(x, wasm_v128_load(row + 4 * j));
      if (vectorAct) {
        if (withBias) x = wasm_f32x4_add(x, bias[j]);
        // relu keeps NaN, as the reference's x > 0 ? x : (x == x ? 0 : x) does
        if (act == Activation::Relu) x = wasm_v128_bitselect(zero, x, wasm_f32x4_le(x, zero));
      }
      wasm_v128_store(row + 4 * j, x);
    }
  }
  if (!full) {
    for (int r = 0; r < t.rows; r++) {
      float* row = t.c + r * t.ldc;
      const float* src = buffer + r * kNR;
      for (int j = 0; j < t.cols; j++) row[j] = t.accumulate ? row[j] + src[j] : src[j];
    }
  }
  if (!vectorAct && t.epilogue && (t.bias != nullptr || act != Activation::None))
    epilogueGeneric<float>(t.c, t.ldc, t.rows, t.cols, t.bias, act);
}

GemmKernel<float> makeKernelF32() {
  GemmKernel<float> k;
  k.mr = kMR;
  k.nr = kNR;
  k.kc = 256;
  k.nc = 384;
  k.tile = tileF32;
  k.packRows = packRowsGeneric<float>;
  k.packColumns = packColumnsGeneric<float>;
  return k;
}

}  // namespace

template <>
const GemmKernel<float>& gemmKernelScalar<float>() {
  static const GemmKernel<float> kernel = makeKernelF32();
  return kernel;
}

template <>
const GemmKernel<double>& gemmKernelScalar<double>() {
  return gemmKernelPortable<double>();
}

}  // namespace tessera
