// native/recurrent-scalar: the cell row loops for the portable path (baseline ISA); float32
// sigmoid and tanh are computed in double, as the reference does.
#include <algorithm>
#include <cmath>

#include "recurrent.h"

namespace tessera {
namespace recurrent_scalar {

TESSERA_INLINE double sigmoidOne(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
void tanhLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::tanh(static_cast<double>(x[i])));
}
void sigmoidLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(sigmoidOne(static_cast<double>(x[i])));
}

#include "recurrent-isa.inc"

}  // namespace recurrent_scalar

const RecurrentIsa& recurrentScalar() { return recurrent_scalar::kTable; }

}  // namespace tessera
