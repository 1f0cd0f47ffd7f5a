// native/epilogue-backward-avx512: the epilogue-adjoint loop compiled for AVX-512 (F, DQ, BW, VL) (vectorised
// by the compiler; fp-contract off keeps it bit-exact with the reference).
#pragma GCC optimize("fp-contract=off")

#include "epilogue-backward.h"

#if TESSERA_X86

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")
#endif

namespace tessera {
namespace epilogue_avx512 {

#include "epilogue-backward-isa.inc"

}  // namespace epilogue_avx512

const EpilogueIsa& epilogueAvx512() { return epilogue_avx512::kTable; }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
