// native/window-avx512: the tiled max-pooling loops (window-tiles.h) compiled for AVX-512.
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstdint>

#include "window.h"

#if TESSERA_X86

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
#endif

namespace tessera {
namespace isa_avx512 {
#include "window-tiles.h"
}  // namespace isa_avx512

const TiledPoolIsa& tiledPoolAvx512() { return isa_avx512::tiledPoolTable(); }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
