// native/norm-scalar: the norm and GELU loops for the portable path (baseline ISA); float32 GELU
// is computed in double, exactly as the reference does.
#include <cmath>

#include "norm.h"

namespace tessera {
namespace norm_scalar {

#include "norm-isa.inc"

}  // namespace norm_scalar

const NormIsa& normScalar() { return norm_scalar::kTable; }

}  // namespace tessera
