// native/epilogue-backward-scalar: the epilogue-adjoint loop for the portable path (baseline ISA).
#pragma GCC optimize("fp-contract=off")

#include "epilogue-backward.h"

namespace tessera {
namespace epilogue_scalar {

#include "epilogue-backward-isa.inc"

}  // namespace epilogue_scalar

const EpilogueIsa& epilogueScalar() { return epilogue_scalar::kTable; }

}  // namespace tessera
