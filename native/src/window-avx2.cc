// native/window-avx2: the tiled max-pooling loops (window-tiles.h) compiled for AVX2.
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstdint>

#include "window.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

namespace tessera {
namespace isa_avx2 {
#include "window-tiles.h"
}  // namespace isa_avx2

const TiledPoolIsa& tiledPoolAvx2() { return isa_avx2::tiledPoolTable(); }

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
