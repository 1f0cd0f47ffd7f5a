// native/conv-avx2: the direct convolution loops (conv-direct.h) compiled for AVX2 + FMA (32-byte vectors).
// Every function in this file is compiled for that ISA and only called after CPUID said so.
#include <algorithm>
#include <cstring>
#include <vector>

#include "conv.h"

#if TESSERA_X86

#include "isa-target-avx2.h"

namespace tessera {
namespace isa_avx2 {
#include "conv-direct.h"
}  // namespace isa_avx2

template <typename T>
const ConvDirect<T>& convDirectAvx2() {
  return isa_avx2::DirectLoops<T, 32>::table();
}
template const ConvDirect<float>& convDirectAvx2<float>();
template const ConvDirect<double>& convDirectAvx2<double>();

}  // namespace tessera

#include "isa-target-end.h"

#endif  // TESSERA_X86
