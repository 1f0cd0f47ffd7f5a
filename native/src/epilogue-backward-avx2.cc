// native/epilogue-backward-avx2: the epilogue-adjoint loop compiled for AVX2 + FMA (vectorised
// by the compiler; fp-contract off keeps it bit-exact with the reference).
#pragma GCC optimize("fp-contract=off")

#include "epilogue-backward.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

namespace tessera {
namespace epilogue_avx2 {

#include "epilogue-backward-isa.inc"

}  // namespace epilogue_avx2

const EpilogueIsa& epilogueAvx2() { return epilogue_avx2::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
