// native/wasm/gemm-simd128: the GEMM micro-kernel for WebAssembly SIMD128, in the slot of the
// portable path (gemmKernelScalar, which the driver takes on every non-x86 target). Float32 tile
// 4 x 8: 8 f32x4 accumulators, 2 of B per k step, A splatted (v128.load32_splat, a vbroadcastss
// on x64); SIMD128 has no fused multiply-add, so each step is a multiply and an add. Float64
// keeps the portable kernel.
// Why 4 x 8 (measured, V8 11.3 in Node 20 on Zen 4; bench/wasm.bench.ts): V8 gives wasm SIMD 15
// of the 16 xmm registers (xmm15 is its scratch), and its scheduler hoists every load of a loop
// body to the top, so a tile needing more than ~14 live vectors spills: 4 x 16 (16 accumulators,
// the previous tile) and 5 x 8 / 6 x 8 / 3 x 12 all ran 10-40 % slower than 4 x 8, and unrolling
// k by 2 or 4 slower still, for the same reason. Clang 14 does not fold `bp + 4` into the load's
// offset once loop strength reduction has rewritten the pointers (each load then costs an extra
// add in V8); an empty asm statement per k step hands the pointers over opaque, so the loads
// below carry their offsets (v128.load offset=16) and V8 emits one vbroadcastss/vmovdqu each.
// Packing copies whole panels a v128 at a time and transposes 4 x 4 blocks in registers (1024:
// 3-8 % of the GEMM's time back). The scalar build of native/src/gemm-scalar.cc is compiled in
// this module with gemmKernelScalar renamed to gemmKernelPortable (scripts/build-wasm.mjs), and
// still supplies the generic packing (edges) and the epilogue routines every path shares.
#include <wasm_simd128.h>

#include <algorithm>

#include "../src/gemm.h"
#include "simd-math-simd128.h"

namespace tessera {

template <typename T>
const GemmKernel<T>& gemmKernelPortable();

namespace {

constexpr int kMR = 4;
constexpr int kNV = 2;  // f32x4 vectors per row of the tile
constexpr int kNR = 4 * kNV;

TESSERA_INLINE v128_t madd(v128_t a, v128_t b, v128_t c) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }

void tileF32(const TileArgs<float>& t) {
  v128_t acc[kMR][kNV];
#pragma clang loop unroll(full)
  for (int r = 0; r < kMR; r++) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0.0f);
  const float* ap = t.ap;
  const float* bp = t.bp;
  const i64 bStride = t.bStride;
  for (int p = static_cast<int>(t.kc); p > 0; p--) {
    // NOTE: opaque pointers, so the constant offsets below fold into the loads (see the header)
    __asm__("" : "+r"(ap), "+r"(bp));
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
#pragma clang loop unroll(full)
    for (int r = 0; r < kMR; r++) {
      const v128_t a = wasm_v128_load32_splat(ap + r);
      acc[r][0] = madd(a, b0, acc[r][0]);
      acc[r][1] = madd(a, b1, acc[r][1]);
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
  v128_t bias[kNV];
  for (int j = 0; j < kNV; j++) bias[j] = withBias ? wasm_v128_load(t.bias + 4 * j) : wasm_f32x4_splat(0.0f);
  const v128_t zero = wasm_f32x4_splat(0.0f);
#pragma clang loop unroll(full)
  for (int r = 0; r < kMR; r++) {
    float* row = out + r * ld;
    for (int j = 0; j < kNV; j++) {
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

/**
 * packRowsGeneric with whole panels copied a v128 at a time (panels of a multiple of 4 columns;
 * the last, partial panel and other widths take the generic loop).
 */
void packRowsF32(const float* src, i64 ld, i64 kc, i64 cols, int W, float* dst) {
  if (W % 4 != 0) return packRowsGeneric<float>(src, ld, kc, cols, W, dst);
  const i64 full = cols / W;
  for (i64 p = 0; p < kc; p++) {
    const float* s = src + p * ld;
    for (i64 q = 0; q < full; q++) {
      float* d = dst + q * kc * W + p * W;
      for (int j = 0; j < W; j += 4) wasm_v128_store(d + j, wasm_v128_load(s + q * W + j));
    }
  }
  if (full * W < cols) packRowsGeneric<float>(src + full * W, ld, kc, cols - full * W, W, dst + full * kc * W);
}

/**
 * packColumnsGeneric for panels of a multiple of 4 rows: 4 rows x 4 steps of k read as 4 vectors
 * and transposed in registers (the last partial panel, a k tail and other widths: generic).
 */
void packColumnsF32(const float* src, i64 ld, i64 kc, i64 rows, int W, float* dst) {
  if (W % 4 != 0) return packColumnsGeneric<float>(src, ld, kc, rows, W, dst);
  const i64 full = rows / W, kc4 = kc & ~i64(3);
  for (i64 q = 0; q < full; q++) {
    float* d = dst + q * kc * W;
    for (int i = 0; i < W; i += 4) {
      const float* s = src + (q * W + i) * ld;
      for (i64 p = 0; p < kc4; p += 4)
        simd128::transpose4x4(s + p, ld, d + p * W + i, W);
      for (i64 p = kc4; p < kc; p++)
        for (int r = 0; r < 4; r++) d[p * W + i + r] = s[r * ld + p];
    }
  }
  if (full * W < rows) packColumnsGeneric<float>(src + full * W * ld, ld, kc, rows - full * W, W, dst + full * kc * W);
}

GemmKernel<float> makeKernelF32() {
  GemmKernel<float> k;
  k.mr = kMR;
  k.nr = kNR;
  k.kc = 256;
  k.nc = 384;
  k.tile = tileF32;
  k.packRows = packRowsF32;
  k.packColumns = packColumnsF32;
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
