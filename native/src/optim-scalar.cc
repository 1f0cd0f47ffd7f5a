// native/optim-scalar: the optimizer update loops one double at a time (the portable path).
#include <cmath>

#include "optim.h"

#pragma GCC optimize("fp-contract=off")

namespace tessera {
namespace isa_scalar_optim {

using VD = double;
constexpr i64 kLanes = 1;

TESSERA_INLINE VD vset(double x) { return x; }
TESSERA_INLINE VD vadd(VD a, VD b) { return a + b; }
TESSERA_INLINE VD vsub(VD a, VD b) { return a - b; }
TESSERA_INLINE VD vmul(VD a, VD b) { return a * b; }
TESSERA_INLINE VD vdiv(VD a, VD b) { return a / b; }
TESSERA_INLINE VD vsqrt(VD a) { return std::sqrt(a); }
/** Math.max(a, b) as the vector paths compute it: a if a is NaN, else b if b is NaN or not below a. */
TESSERA_INLINE VD vmaxJs(VD a, VD b) { return a != a ? a : (a > b ? a : b); }
TESSERA_INLINE VD vload(const float* p) { return static_cast<double>(*p); }
TESSERA_INLINE VD vload(const double* p) { return *p; }
TESSERA_INLINE void vstore(float* p, VD v) { *p = static_cast<float>(v); }
TESSERA_INLINE void vstore(double* p, VD v) { *p = v; }

#include "optim-isa.inc"

}  // namespace isa_scalar_optim

OptimRange optimScalar() { return &isa_scalar_optim::optimRange; }

}  // namespace tessera
