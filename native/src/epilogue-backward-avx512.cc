// native/epilogue-backward-avx512: the epilogue-adjoint loop compiled for AVX-512 (F, DQ, BW, VL) (vectorised
// by the compiler; fp-contract off keeps it bit-exact with the reference).
#pragma GCC optimize("fp-contract=off")

#include "epilogue-backward.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

namespace tessera {
namespace epilogue_avx512 {

#include "epilogue-backward-isa.inc"

}  // namespace epilogue_avx512

const EpilogueIsa& epilogueAvx512() { return epilogue_avx512::kTable; }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
