// native/attention: picks the active ISA path's attention kernels (see attention.h).
#include "attention.h"

#include "cpu-features.h"

namespace tessera {
namespace {

const AttentionIsa& isaTable() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return attentionAvx512();
    case Isa::Avx2: return attentionAvx2();
    case Isa::Scalar: break;
  }
#endif
  return attentionScalar();
}

}  // namespace

void attentionForward(const AttentionProblem& problem, const AttentionArrays& arrays) {
  isaTable().forward(problem, arrays);
}

void attentionBackward(const AttentionProblem& problem, const AttentionArrays& arrays) {
  isaTable().backward(problem, arrays);
}

}  // namespace tessera
