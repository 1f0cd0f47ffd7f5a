// native/window-avx512: the tiled max-pooling loops (window-tiles.h) compiled for AVX-512.
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstdint>

#include "window.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

namespace tessera {
namespace isa_avx512 {
#include "window-tiles.h"
}  // namespace isa_avx512

const TiledPoolIsa& tiledPoolAvx512() { return isa_avx512::tiledPoolTable(); }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
