// native/noise: dispatch of the Gaussian-noise kernel to the active ISA path, with the counter
// blocks split over the thread pool once a call holds enough of them. Each element depends only on
// its own counter block, so the split does not change a single bit.
#include "noise.h"

#include <type_traits>

#include "cpu-features.h"
#include "parallel.h"

namespace tessera {
namespace {

/** Blocks (4 elements each) a thread should get at least: small calls stay on the caller. */
constexpr i64 kMinBlocksPerThread = 4096;

const NoiseIsa& activeNoise() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return noiseAvx512();
    case Isa::Avx2: return noiseAvx2();
    case Isa::Scalar: break;
  }
#endif
  return noiseScalar();
}

}  // namespace

template <typename T>
void gaussianNoiseKernel(T* out, const NoiseCall& call) {
  const NoiseIsa& isa = activeNoise();
  void (*const fn)(T*, const NoiseCall&, i64, i64) = [&isa]() {
    if constexpr (std::is_same_v<T, float>) return isa.f32;
    else return isa.f64;
  }();
  const i64 blocks = (call.n + 3) / 4;
  parallelChunks(blocks, kMinBlocksPerThread, [&](i64 b0, i64 b1) { fn(out, call, b0, b1); });
}

template void gaussianNoiseKernel<float>(float*, const NoiseCall&);
template void gaussianNoiseKernel<double>(double*, const NoiseCall&);

template <typename T>
void dropoutKernel(const T* x, T* out, const NoiseCall& call) {
  const NoiseIsa& isa = activeNoise();
  void (*const fn)(const T*, T*, const NoiseCall&, i64, i64) = [&isa]() {
    if constexpr (std::is_same_v<T, float>) return isa.dropoutF32;
    else return isa.dropoutF64;
  }();
  const i64 blocks = (call.n + 3) / 4;
  parallelChunks(blocks, kMinBlocksPerThread, [&](i64 b0, i64 b1) { fn(x, out, call, b0, b1); });
}

template void dropoutKernel<float>(const float*, float*, const NoiseCall&);
template void dropoutKernel<double>(const double*, double*, const NoiseCall&);

}  // namespace tessera
