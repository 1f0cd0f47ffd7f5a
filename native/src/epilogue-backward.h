// native/epilogue-backward: the adjoint of the GEMM's fused bias + activation epilogue over a
// [rows, cols] output y = act(z): dz = dy act'(y) in one pass from the saved output, and the bias
// gradient (column sums of dz, in double) in the same pass (contract: src/backend/kernels.ts
// epilogueBackward; specification: src/backend/fused/epilogue-backward.ts).
#pragma once

#include "common.h"

namespace tessera {

/** The activation codes of the GEMM epilogue (as in gemm.h / the JS table). */
enum class EpilogueAct : int { None = 0, Relu = 1, Sigmoid = 2, Tanh = 3 };

/**
 * The row loop of one ISA path over rows [r0, r1): writes dz (when non-null; null only for None)
 * and adds each row's rounded dz values into acc (length cols; skipped when null).
 */
template <typename T>
using EpilogueRowsFn = void (*)(const T* y, const T* dy, T* dz, double* acc, i64 cols, i64 r0, i64 r1,
                                EpilogueAct act);

struct EpilogueIsa {
  EpilogueRowsFn<float> f32;
  EpilogueRowsFn<double> f64;
};

const EpilogueIsa& epilogueScalar();
#if TESSERA_X86
const EpilogueIsa& epilogueAvx2();
const EpilogueIsa& epilogueAvx512();
#endif

/** The kernel on the active ISA path, rows split over the thread pool (callers checked lengths). */
template <typename T>
void epilogueBackwardKernel(const T* y, const T* dy, T* dz, T* dBias, i64 rows, i64 cols, EpilogueAct act);

}  // namespace tessera
