// native/recurrent: dispatch of the cell kernels to the active ISA path, with the batch rows split
// over the thread pool once a step holds enough work to pay for waking a second thread.
#include "recurrent.h"

#include <algorithm>

#include "cpu-features.h"
#include "parallel.h"

namespace tessera {
namespace {

/** Gate values (B x gates x H) a thread should get at least: small steps stay on the caller. */
constexpr i64 kMinGateValuesPerThread = 48 * 1024;

/** Calls body(b0, b1) over row ranges covering [0, batch). */
template <typename F>
void overRows(const CellShape& s, i64 gates, F&& body) {
  const i64 perRow = std::max<i64>(1, gates * s.units);
  parallelChunks(s.batch, std::max<i64>(1, kMinGateValuesPerThread / perRow), body, 1);
}

}  // namespace

const RecurrentIsa& activeRecurrent() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return recurrentAvx512();
    case Isa::Avx2: return recurrentAvx2();
    case Isa::Scalar: break;
  }
#endif
  return recurrentScalar();
}

template <typename T>
void lstmCellKernel(const T* x, const T* rec, const T* cPrev, T* gates, T* c, T* h, const CellShape& s) {
  const auto fn = rowsFor<T>(activeRecurrent()).lstm;
  overRows(s, 4, [&](i64 b0, i64 b1) { fn(x, rec, cPrev, gates, c, h, s, b0, b1); });
}

template <typename T>
void lstmCellBackwardKernel(const T* gates, const T* cPrev, const T* c, const T* dh, const T* dc, T* dz, T* dcPrev,
                            const CellShape& s) {
  const auto fn = rowsFor<T>(activeRecurrent()).lstmBackward;
  overRows(s, 4, [&](i64 b0, i64 b1) { fn(gates, cPrev, c, dh, dc, dz, dcPrev, s, b0, b1); });
}

template <typename T>
void gruCellKernel(const T* x, const T* rec, const T* hPrev, T* gates, T* h, const CellShape& s) {
  const auto fn = rowsFor<T>(activeRecurrent()).gru;
  overRows(s, 3, [&](i64 b0, i64 b1) { fn(x, rec, hPrev, gates, h, s, b0, b1); });
}

template <typename T>
void gruCellBackwardKernel(const T* gates, const T* rec, const T* hPrev, const T* dh, T* dx, T* drec, T* dhPrev,
                           const CellShape& s) {
  const auto fn = rowsFor<T>(activeRecurrent()).gruBackward;
  overRows(s, 3, [&](i64 b0, i64 b1) { fn(gates, rec, hPrev, dh, dx, drec, dhPrev, s, b0, b1); });
}

#define TESSERA_RECURRENT_INSTANTIATE(T)                                                                          \
  template void lstmCellKernel<T>(const T*, const T*, const T*, T*, T*, T*, const CellShape&);                   \
  template void lstmCellBackwardKernel<T>(const T*, const T*, const T*, const T*, const T*, T*, T*,              \
                                          const CellShape&);                                                     \
  template void gruCellKernel<T>(const T*, const T*, const T*, T*, T*, const CellShape&);                        \
  template void gruCellBackwardKernel<T>(const T*, const T*, const T*, const T*, T*, T*, T*, const CellShape&);
TESSERA_RECURRENT_INSTANTIATE(float)
TESSERA_RECURRENT_INSTANTIATE(double)
#undef TESSERA_RECURRENT_INSTANTIATE

}  // namespace tessera
