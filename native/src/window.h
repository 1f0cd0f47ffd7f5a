// native/window: sliding-window kernels over channels-last batches (N, H, W, C): im2col and its
// adjoint col2im for convolution, max/average pooling and their adjoints, as the reference
// (src/backend/reference/im2col.ts, pool.ts) defines them. float32 or float64, one type per call.
#pragma once

#include <cstdint>

#include "common.h"

namespace tessera {

/** Mirrors WindowGeometry in src/backend/kernels.ts (validated by the caller). */
struct WindowGeometry {
  i64 batch, inH, inW, channels, kernelH, kernelW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH,
      outW;
};
inline constexpr int kWindowFields = 14;

/** out (N * OH * OW, KH * KW * C) = patch rows of x, (kh, kw, c) order, padding taps 0. */
void im2colKernel(const Array& x, const WindowGeometry& g, const Array& out);
/** out (N, H, W, C) = the patch rows summed back (padding taps dropped). */
void col2imKernel(const Array& cols, const WindowGeometry& g, const Array& out);
/** Max over inside taps, argmax = flat index into x (first max wins, NaN wins; -1 for an empty window). */
void maxPoolKernel(const Array& x, const WindowGeometry& g, const Array& out, std::int32_t* argmax);
/** out = 0, then out[argmax[i]] += dy[i] (argmax validated: -1 or inside its own image). */
void maxPoolBackwardKernel(const Array& dy, const std::int32_t* argmax, const WindowGeometry& g, const Array& out);
/**
 * The tiled max-pooling loops of one ISA path (window-tiles.h): output rows u0..u1 of 2x2 stride-2
 * windows, and one image's adjoint when windows tile the input (false: an argmax lies outside its
 * window; the caller scatters).
 */
struct TiledPoolIsa {
  void (*maxPoolRowsF32)(const float* x, const WindowGeometry& g, float* out, std::int32_t* argmax, i64 u0, i64 u1);
  void (*maxPoolRowsF64)(const double* x, const WindowGeometry& g, double* out, std::int32_t* argmax, i64 u0, i64 u1);
  bool (*gatherImageF32)(const float* dy, const std::int32_t* argmax, const WindowGeometry& g, i64 n, float* out);
  bool (*gatherImageF64)(const double* dy, const std::int32_t* argmax, const WindowGeometry& g, i64 n, double* out);
};
#if TESSERA_X86
const TiledPoolIsa& tiledPoolAvx2();
const TiledPoolIsa& tiledPoolAvx512();
#endif

/** Mean over inside taps (sums in double). */
void avgPoolKernel(const Array& x, const WindowGeometry& g, const Array& out);
/** out = 0, then each dy spread evenly over its window's inside taps. */
void avgPoolBackwardKernel(const Array& dy, const WindowGeometry& g, const Array& out);

}  // namespace tessera
