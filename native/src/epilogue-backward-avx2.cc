// native/epilogue-backward-avx2: the epilogue-adjoint loop compiled for AVX2 + FMA (vectorised
// by the compiler; fp-contract off keeps it bit-exact with the reference).
#pragma GCC optimize("fp-contract=off")

#include "epilogue-backward.h"

#if TESSERA_X86

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace tessera {
namespace epilogue_avx2 {

#include "epilogue-backward-isa.inc"

}  // namespace epilogue_avx2

const EpilogueIsa& epilogueAvx2() { return epilogue_avx2::kTable; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
