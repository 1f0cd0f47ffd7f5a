// native/noise: seeded Gaussian noise added in place, out[i] = (out[i] + std z_i) scale, from a
// counter-based generator (Philox4x32-10, Box-Muller with our own float64 log and sincos), and
// inverted dropout's mask from the same generator. Contracts and specifications:
// src/backend/fused/gaussian-noise.ts and dropout.ts; every path reproduces the
// reference bit for bit (fp-contract off, the same operations in the same order), so the result
// does not depend on the ISA or the thread count.
#pragma once

#include <cstdint>

#include "common.h"

namespace tessera {

/** One call: n elements, the noise's std and the factor after, the Philox key and counter. */
struct NoiseCall {
  i64 n = 0;
  double std = 0;
  double scale = 1;
  std::uint32_t key0 = 0;
  std::uint32_t key1 = 0;
  /** Third counter word. */
  std::uint32_t stream = 0;
  /** Counter block of element 0 (element i uses block offset + i / 4). */
  std::uint64_t offset = 0;
  /** Dropout only: element i is kept where its Philox word is below this (at most 2^32). */
  std::uint64_t threshold = 0;
};

/** The loops of one ISA path over counter blocks [b0, b1) (elements [4 b0, min(n, 4 b1))). */
struct NoiseIsa {
  void (*f32)(float* out, const NoiseCall& call, i64 b0, i64 b1);
  void (*f64)(double* out, const NoiseCall& call, i64 b0, i64 b1);
  /** Dropout over the same blocks: out[i] = x[i] * (word_i < threshold ? scale : 0). */
  void (*dropoutF32)(const float* x, float* out, const NoiseCall& call, i64 b0, i64 b1);
  void (*dropoutF64)(const double* x, double* out, const NoiseCall& call, i64 b0, i64 b1);
};

const NoiseIsa& noiseScalar();
#if TESSERA_X86
const NoiseIsa& noiseAvx2();
const NoiseIsa& noiseAvx512();
#endif

/** The kernel on the active ISA path, split over the thread pool (the caller checked lengths). */
template <typename T>
void gaussianNoiseKernel(T* out, const NoiseCall& call);

/** Inverted dropout's mask from the same counter, applied to x into out (may alias), split as above. */
template <typename T>
void dropoutKernel(const T* x, T* out, const NoiseCall& call);

}  // namespace tessera
