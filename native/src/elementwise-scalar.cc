// native/elementwise-scalar: the element-wise loops for the portable path (baseline ISA); the
// float32 special functions are computed in double, exactly as the reference does.
#include <cmath>
#include <cstdint>
#include <limits>

#include "elementwise-ops.h"
#include "elementwise.h"

namespace tessera {
namespace isa_scalar {

void expLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
}
void logLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::log(static_cast<double>(x[i])));
}
void tanhLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(std::tanh(static_cast<double>(x[i])));
}
void sigmoidLoopF32(const float* x, float* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = static_cast<float>(sigmoidRef(static_cast<double>(x[i])));
}

#include "elementwise-isa.inc"

}  // namespace isa_scalar

const ElementwiseIsa& elementwiseScalar() { return isa_scalar::kTable; }

}  // namespace tessera
