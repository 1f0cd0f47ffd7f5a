// native/noise-scalar: the Gaussian-noise loops for the portable path, one counter block at a
// time in plain uint64 / double arithmetic (noise-isa.inc).
#pragma GCC optimize("fp-contract=off")
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
#include <algorithm>
#include <cmath>
#include <cstring>

#include "noise.h"

namespace tessera {
namespace noise_scalar {

using VecU = std::uint64_t;
using VecD = double;
constexpr int kLanes = 1;
TESSERA_INLINE VecU splatU(std::uint64_t v) { return v; }
TESSERA_INLINE VecD splatD(double v) { return v; }
TESSERA_INLINE VecU iotaU() { return 0; }
TESSERA_INLINE VecD asD(VecU v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
TESSERA_INLINE VecU asU(VecD v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
TESSERA_INLINE VecU mulWide(VecU a, VecU b) { return a * b; }
TESSERA_INLINE VecD sqrtV(VecD v) { return std::sqrt(v); }
TESSERA_INLINE void storeBlocks(double* z, VecD z0, VecD z1, VecD z2, VecD z3) {
  z[0] = z0;
  z[1] = z1;
  z[2] = z2;
  z[3] = z3;
}

#include "noise-isa.inc"

}  // namespace noise_scalar

const NoiseIsa& noiseScalar() { return noise_scalar::kTable; }

}  // namespace tessera
