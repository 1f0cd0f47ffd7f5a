// native/conv-avx512: the direct convolution loops (conv-direct.h) compiled for AVX-512 (64-byte vectors).
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstring>
#include <vector>

#include "conv.h"

#if TESSERA_X86

#include "isa-target-avx512.h"

namespace tessera {
namespace isa_avx512 {
#include "conv-direct.h"
}  // namespace isa_avx512

template <typename T>
const ConvDirect<T>& convDirectAvx512() {
  return isa_avx512::DirectLoops<T, 64>::table();
}
template const ConvDirect<float>& convDirectAvx512<float>();
template const ConvDirect<double>& convDirectAvx512<double>();

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
