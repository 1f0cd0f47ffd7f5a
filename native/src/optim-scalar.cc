// native/optim-scalar: the optimizer update loops one element at a time (the portable path), in
// the parameter's precision.
#include <cmath>

#include "optim.h"

#pragma GCC optimize("fp-contract=off")

namespace tessera {
namespace isa_scalar_optim {

template <typename T>
struct Vec {
  using V = T;
  static constexpr i64 kLanes = 1;
};

template <typename T>
TESSERA_INLINE T vset(T x) {
  return x;
}
template <typename T>
TESSERA_INLINE T vadd(T a, T b) {
  return a + b;
}
template <typename T>
TESSERA_INLINE T vsub(T a, T b) {
  return a - b;
}
template <typename T>
TESSERA_INLINE T vmul(T a, T b) {
  return a * b;
}
template <typename T>
TESSERA_INLINE T vdiv(T a, T b) {
  return a / b;
}
template <typename T>
TESSERA_INLINE T vsqrt(T a) {
  return std::sqrt(a);
}
template <typename T>
TESSERA_INLINE T vabs(T a) {
  return std::fabs(a);
}
template <typename T>
TESSERA_INLINE T vneg(T a) {
  return -a;
}
/** Math.sign(a): 1 or -1, and a itself for +-0 and NaN. */
template <typename T>
TESSERA_INLINE T vsign(T a) {
  return a > 0 ? T(1) : (a < 0 ? T(-1) : a);
}
/** Math.max(a, b) as the vector paths compute it: a if a is NaN, else b if b is NaN or not below a. */
template <typename T>
TESSERA_INLINE T vmaxJs(T a, T b) {
  return a != a ? a : (a > b ? a : b);
}
template <typename T>
TESSERA_INLINE T vload(const T* p) {
  return *p;
}
template <typename T>
TESSERA_INLINE void vstore(T* p, T v) {
  *p = v;
}

#include "optim-isa.inc"

}  // namespace isa_scalar_optim

OptimRange optimScalar() { return &isa_scalar_optim::optimRange; }

}  // namespace tessera
