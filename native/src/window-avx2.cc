// native/window-avx2: the tiled max-pooling loops (window-tiles.h) compiled for AVX2.
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstdint>

#include "window.h"

#if TESSERA_X86

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace tessera {
namespace isa_avx2 {
#include "window-tiles.h"
}  // namespace isa_avx2

const TiledPoolIsa& tiledPoolAvx2() { return isa_avx2::tiledPoolTable(); }

}  // namespace tessera

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // TESSERA_X86
